// The Breakwater language server: the same engine as `breakwater check`, kept warm per workspace folder and fed the
// editor's unsaved buffers, so the editor shows exactly what CI reports. Works with any LSP client (--stdio).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Analysis, UserInputError, type AnalysisResult, type BreakwaterConfig, type FileChange } from '../../engine';
import { codeActions, hover, OPEN_DOCS_COMMAND } from './actions';
import { configDiagnostic, diagnosticsByUri, fileUri } from './diagnostics';
import { quickFixes } from './fixes';

/** Edits arrive per keystroke; analyse once typing pauses. */
const DEBOUNCE_MS = 150;
const CONFIG_FILES = ['breakwater.json', '.breakwaterrc.json'];
/** The code action kind editors run on save (`"editor.codeActionsOnSave": { "source.fixAll.breakwater": "explicit" }`). */
const FIX_ALL = `${CodeActionKind.SourceFixAll}.breakwater`;

/** One workspace folder: its analysis, the last good config, and what was last published. */
class Folder {
  private analysis?: Analysis;
  private lastGoodConfig: BreakwaterConfig = {};
  private pending: FileChange[] = [];
  private timer?: NodeJS.Timeout;
  private published = new Set<string>();
  private configError?: UserInputError;
  private running: Promise<void> = Promise.resolve();
  /** The latest analysis, for hover. */
  latest?: AnalysisResult;

  constructor(
    readonly root: string,
    private readonly connection: Connection,
    private readonly overlays: Map<string, string>,
  ) {}

  /** Changes are gathered and analysed together once the editor is quiet for a moment. */
  schedule(change: FileChange): void {
    this.pending.push(change);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Analyses one at a time, in order: a result is never published after a newer one. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.running = this.running.then(() => this.analyse());
    return this.running;
  }

  private async analyse(): Promise<void> {
    const changes = this.pending;
    this.pending = [];
    const configChanged = changes.some((change) => CONFIG_FILES.includes(path.basename(change.path)));
    let result: AnalysisResult | undefined;
    try {
      if (!this.analysis || configChanged) {
        // A config that does not load keeps the last good one in force; the error shows on the file.
        this.analysis = this.load();
        result = await this.withProgress((report) => this.analysis!.run(report));
      } else {
        result = await this.analysis.update(changes.filter((change) => !CONFIG_FILES.includes(path.basename(change.path))));
      }
    } catch (error) {
      this.connection.console.error(`Breakwater: ${(error as Error).message}`);
    }
    if (result) {
      this.latest = result;
      this.publish(result);
    }
  }

  /** A whole-workspace analysis reports progress to clients that show it (`window/workDoneProgress`). */
  private async withProgress<T>(work: (report: (done: number, total: number) => void) => Promise<T>): Promise<T> {
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Breakwater', 0, `Analysing ${path.basename(this.root)}`, false);
    let last = 0;
    try {
      return await work((done, total) => {
        const percentage = Math.floor((done / total) * 100);
        if (percentage >= last + 10) {
          last = percentage;
          progress?.report(percentage, `${done}/${total} files`);
        }
      });
    } finally {
      progress?.done();
    }
  }

  private load(): Analysis {
    try {
      const analysis = new Analysis(this.root, { overlays: this.overlays });
      this.configError = undefined;
      this.lastGoodConfig = analysis.configuration;
      return analysis;
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      this.configError = error;
      return new Analysis(this.root, { overlays: this.overlays, config: this.lastGoodConfig });
    }
  }

  private publish(result: AnalysisResult): void {
    const byUri = diagnosticsByUri(result);
    if (this.configError?.file) {
      const uri = fileUri(this.root, path.relative(this.root, this.configError.file));
      byUri.set(uri, [...(byUri.get(uri) ?? []), configDiagnostic(this.configError)]);
    }
    // Files that had diagnostics and have none now must be cleared.
    for (const uri of this.published) if (!byUri.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of byUri) void this.connection.sendDiagnostics({ uri, diagnostics: diagnostics as Diagnostic[] });
    this.published = new Set(byUri.keys());
  }

  contains(file: string): boolean {
    const relative = path.relative(this.root, file);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  }
}

export function startServer(connection: Connection): void {
  const overlays = new Map<string, string>();
  let folders: Folder[] = [];
  let defaultTimeoutMs = 5000;

  const folderOf = (file: string) => folders.filter((folder) => folder.contains(file)).sort((a, b) => b.root.length - a.root.length)[0];
  const changed = (uri: string, text?: string | null) => {
    if (!uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    folderOf(file)?.schedule({ path: file, text });
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // The milliseconds a quick fix writes: the client's `breakwater.defaultTimeoutMs` setting, else 5 s.
    const requested = (params.initializationOptions as { defaultTimeoutMs?: unknown } | undefined)?.defaultTimeoutMs;
    if (typeof requested === 'number' && requested > 0) defaultTimeoutMs = requested;
    const roots = params.workspaceFolders?.map((folder) => fileURLToPath(folder.uri)) ?? (params.rootUri ? [fileURLToPath(params.rootUri)] : []);
    folders = roots.map((root) => new Folder(root, connection, overlays));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full, save: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
        executeCommandProvider: { commands: [OPEN_DOCS_COMMAND] },
        hoverProvider: true,
      },
      serverInfo: { name: 'breakwater-language-server' },
    };
  });

  connection.onInitialized(() => {
    // Files created, deleted or renamed on disk, and config or workspace changes, are picked up without a restart.
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: '**/{package.json,tsconfig*.json,breakwater.json,.breakwaterrc.json,docker-compose*.yml,compose*.yaml,.env*}' }],
      })
      .catch(() => undefined); // a client without dynamic registration still gets open/change/save
    for (const folder of folders) void folder.flush();
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    overlays.set(fileURLToPath(textDocument.uri), textDocument.text);
    changed(textDocument.uri, textDocument.text);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const text = contentChanges[contentChanges.length - 1]?.text;
    if (text === undefined) return;
    overlays.set(fileURLToPath(textDocument.uri), text);
    changed(textDocument.uri, text);
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    // Back to what is on disk.
    overlays.delete(fileURLToPath(textDocument.uri));
    changed(textDocument.uri, undefined);
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) changed(change.uri, change.type === 3 ? null : undefined);
  });

  connection.onCodeAction(({ textDocument, context }) => {
    const file = fileURLToPath(textDocument.uri);
    const text = overlays.get(file) ?? readText(file);
    const folder = folderOf(file);
    const relative = folder ? path.relative(folder.root, file).split(path.sep).join('/') : undefined;
    if (!folder?.latest || !relative) return codeActions(textDocument.uri, text, context.diagnostics);
    // `source.fixAll.breakwater` (fix-all on save): every safe fix of the document, as one edit.
    if (context.only?.some((kind) => FIX_ALL.startsWith(kind) && kind.startsWith(CodeActionKind.Source))) {
      const all = diagnosticsByUri(folder.latest).get(textDocument.uri) ?? [];
      const edits = quickFixes({ result: folder.latest, relativePath: relative, uri: textDocument.uri, text, diagnostics: all, defaultTimeoutMs }).flatMap((fix) => fix.edit?.changes?.[textDocument.uri] ?? []);
      return edits.length > 0 ? [{ title: 'Fix all Breakwater problems', kind: FIX_ALL, edit: { changes: { [textDocument.uri]: edits } } }] : [];
    }
    const fixes = quickFixes({ result: folder.latest, relativePath: relative, uri: textDocument.uri, text, diagnostics: context.diagnostics, defaultTimeoutMs });
    return [...fixes, ...codeActions(textDocument.uri, text, context.diagnostics)];
  });
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command === OPEN_DOCS_COMMAND && typeof args?.[0] === 'string') await connection.window.showDocument({ uri: args[0], external: true });
  });
  connection.onHover(({ textDocument, position }) => {
    const file = fileURLToPath(textDocument.uri);
    const folder = folderOf(file);
    if (!folder?.latest) return null;
    return hover(folder.latest, path.relative(folder.root, file).split(path.sep).join('/'), position) ?? null;
  });

  connection.listen();
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Starts on the transport the command line names: `--stdio`, `--node-ipc` or `--socket=<port>`. */
export function main(): void {
  startServer(createConnection(ProposedFeatures.all));
}

if (require.main === module) main();
