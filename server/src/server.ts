// The Breakwater language server: the same engine as `breakwater check`, kept warm per workspace folder and fed the
// editor's unsaved buffers, so the editor shows exactly what CI reports. Works with any LSP client (--stdio).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  WatchKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Range,
} from 'vscode-languageserver/node';
import { Analysis, findWorkspaceRoot, UserInputError, type AnalysisResult, type BreakwaterConfig, type FileChange } from '../../engine';
import { codeActions, hover, OPEN_DOCS_COMMAND } from './actions';
import { configDiagnostic, diagnosticsByUri, fileUri, type SeverityOverrides } from './diagnostics';
import { DiagnosticsStore } from './publish';
import { readText } from '../../engine/extract/read';
import { CONFIG_FILE_NAMES } from '../../engine/config/config';
import { initialConfigText } from '../../engine/config/init';
import { writeFileSafely } from '../../engine/io/write';
import { inExtractionWorker } from '../../engine/extract/deep';
import { fixAllEdits, quickFixes } from './fixes';
import { connect, transportOf } from './protocol';

/** What the server asks the client to watch on disk: sources, and the files that shape the layout, config and environment. */
const WATCHED_FILES = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/{package.json,tsconfig*.json,breakwater.json,.breakwaterrc.json,*.yml,*.yaml,.env*,Dockerfile}'];
/** The code action kind editors run on save (`"editor.codeActionsOnSave": { "source.fixAll.breakwater": "explicit" }`). */
const FIX_ALL = `${CodeActionKind.SourceFixAll}.breakwater`;
export const ANALYSE_WORKSPACE_COMMAND = 'breakwater.analyseWorkspace';
/** Writes a commented breakwater.json stating what the latest analysis found, as `breakwater init` does. */
export const CREATE_CONFIG_COMMAND = 'breakwater.createConfig';
/** Sent after each analysis, for a status item: `{ folder, state, findings, files, durationMs }`. */
export const STATUS_NOTIFICATION = 'breakwater/status';

/** The editor settings the server uses (`breakwater.*`), from initializationOptions and workspace/didChangeConfiguration. */
export interface Settings {
  /** The milliseconds a quick fix writes when it adds a timeout. */
  defaultTimeoutMs: number;
  /** Analyse as the user types (unsaved buffers), or only when a file is saved. */
  run: 'onType' | 'onSave';
  /** Rule severities that win over breakwater.json's in the editor; `off` hides a rule. */
  rules: SeverityOverrides;
}

const DEFAULT_SETTINGS: Settings = { defaultTimeoutMs: 5000, run: 'onType', rules: {} };

/** Takes what is valid of what a client sent and keeps the rest as it was: a bad setting never stops the server. */
export function readSettings(raw: unknown, current: Settings = DEFAULT_SETTINGS): Settings {
  const given = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: SeverityOverrides = {};
  if (given.rules && typeof given.rules === 'object') {
    for (const [rule, severity] of Object.entries(given.rules as Record<string, unknown>)) {
      if (severity === 'off' || severity === 'warn' || severity === 'error') rules[rule] = severity;
    }
  }
  return {
    defaultTimeoutMs: typeof given.defaultTimeoutMs === 'number' && given.defaultTimeoutMs > 0 ? given.defaultTimeoutMs : current.defaultTimeoutMs,
    run: given.run === 'onSave' || given.run === 'onType' ? given.run : current.run,
    rules: given.rules !== undefined ? rules : current.rules,
  };
}

/** What a folder needs from the server around it. */
interface FolderHost {
  connection: Connection;
  overlays: Map<string, string>;
  store: DiagnosticsStore;
  settings(): Settings;
  /** Diagnostics of these documents changed. */
  changed(uris: string[]): void;
  /** Whether `folder` is the innermost workspace folder that holds the document. */
  owns(folder: Folder, uri: string): boolean;
}

/**
 * One workspace folder: its analysis, the last good config, and what was last reported. A folder inside a workspace
 * (an editor opened on `services/orders`) is analysed from the workspace root above it, as `breakwater check
 * services/orders` is (findWorkspaceRoot), and reports the files in the folder only.
 */
class Folder {
  /** Where the analysis runs from: the workspace root at or above the folder. */
  readonly root: string;
  private analysis?: Analysis;
  /** False until a whole-workspace run has finished (the first one, or one that was cancelled). */
  private complete = false;
  private lastGoodConfig: BreakwaterConfig = {};
  private pending: FileChange[] = [];
  private queued = false;
  /** The next analysis starts over from disk and config (Analyse Workspace, a folder just added). */
  private rediscover = false;
  /** The folder left the workspace: nothing more is analysed or reported for it. */
  private closed = false;
  private reported = new Set<string>();
  /** Warnings already written to the output channel, so an edit does not repeat them. */
  private logged = new Set<string>();
  private configError?: UserInputError;
  /** How many findings the latest report put in the Problems panel (after the editor's rule settings). */
  private shown?: number;
  private running: Promise<void> = Promise.resolve();
  /** Aborts the whole-workspace run in progress (progress cancelled by the user, or a config change). */
  private abort?: AbortController;
  /** The latest analysis, for hover and code actions. */
  latest?: AnalysisResult;

  constructor(
    /** The workspace folder the editor opened: what this folder reports. */
    readonly folder: string,
    private readonly host: FolderHost,
  ) {
    this.root = findWorkspaceRoot(folder).root;
  }

  /**
   * No fixed debounce: a change is analysed as soon as the folder is idle, and the changes that arrive while an
   * analysis runs are gathered into the next one, so typing never queues up stale analyses.
   */
  schedule(change: FileChange): void {
    this.pending.push(change);
    if (CONFIG_FILE_NAMES.includes(path.basename(change.path))) this.abort?.abort(new DOMException('the config changed', 'AbortError'));
    this.queue();
  }

  /** Analyses the whole folder again from disk and config (the Analyse Workspace command). */
  reanalyse(): Promise<void> {
    this.rediscover = true;
    return this.queue();
  }

  /** The text of a file (workspace-relative) as the latest analysis read it. */
  analysedText(relativePath: string): string | undefined {
    return this.analysis?.textOf(relativePath);
  }

  /** Resolves once every change received so far is analysed and reported. */
  settled(): Promise<void> {
    return this.running;
  }

  private queue(): Promise<void> {
    if (!this.queued) {
      this.queued = true;
      this.running = this.running.then(() => {
        this.queued = false;
        return this.analyse();
      });
    }
    return this.running;
  }

  private async analyse(): Promise<void> {
    if (this.closed) return;
    const changes = this.pending;
    this.pending = [];
    const configChanged = changes.some((change) => CONFIG_FILE_NAMES.includes(path.basename(change.path)));
    const fresh = !this.analysis || configChanged || this.rediscover;
    const whole = fresh || !this.complete;
    this.rediscover = false;
    // The last count stays on show while it runs: a status item that drops to 0 on every keystroke says nothing.
    this.sendStatus({ state: 'analysing', ...(this.shown !== undefined && { findings: this.shown }) });
    let result: AnalysisResult | undefined;
    try {
      if (fresh) {
        this.analysis = this.load(); // a broken config keeps the last good one in force
        this.complete = false;
      }
      const analysis = this.analysis!;
      const sourceChanges = changes.filter((change) => !CONFIG_FILE_NAMES.includes(path.basename(change.path)));
      if (whole) {
        // A run cancelled earlier kept the facts it had extracted, so running again finishes sooner.
        result = await this.withProgress((onProgress, signal) => (fresh ? analysis.run({ onProgress, signal }) : analysis.update(sourceChanges, { onProgress, signal })));
        this.complete = true;
      } else {
        result = await analysis.update(sourceChanges);
      }
    } catch (error) {
      if ((error as Error).name === 'AbortError') this.host.connection.console.info(`Breakwater: analysis of ${this.root} stopped: ${(error as Error).message}`);
      else this.host.connection.console.error(`Breakwater: ${(error as Error).message}`);
    }
    if (this.closed) return; // removed while it ran: its diagnostics were cleared, and stay so
    if (result) {
      this.latest = result;
      // Files that could not be read or parsed: the output channel, as the CLI writes them to stderr.
      for (const warning of result.warnings) if (!this.logged.has(warning)) this.host.connection.console.warn(`Breakwater: ${warning}`);
      this.logged = new Set(result.warnings);
      if (this.configError) this.host.connection.console.error(`Breakwater: ${this.configError.message} (the last good configuration is used)`);
      this.report();
      this.host.connection.console.info(
        `Breakwater: analysed ${this.root}${whole ? '' : ` (${changes.length} changed file${changes.length === 1 ? '' : 's'})`}: ${result.stats.files} files, ${this.shown} finding${this.shown === 1 ? '' : 's'} shown, ${result.notices.length} file notice${result.notices.length === 1 ? '' : 's'}, ${result.stats.durationMs} ms`,
      );
    } else {
      this.sendStatus({ state: this.configError ? 'error' : 'cancelled', ...(this.shown !== undefined && { findings: this.shown }) });
    }
  }

  /** Reports the latest analysis under the current settings (also after the rule severities in the settings change). */
  report(): void {
    if (!this.latest || this.closed) return;
    const byUri = diagnosticsByUri(this.latest, this.host.settings().rules);
    // A file inside a nested workspace folder is that folder's to report; this one still analyses it, for its own
    // findings. So is a file of the workspace outside the folder, when the folder lies inside a workspace.
    for (const uri of byUri.keys()) if (!this.host.owns(this, uri)) byUri.delete(uri);
    if (this.configError?.file) {
      const uri = fileUri(this.root, path.relative(this.root, this.configError.file));
      byUri.set(uri, [...(byUri.get(uri) ?? []), configDiagnostic(this.configError)]);
    }
    this.host.changed(this.host.store.replace(this.reported, byUri));
    this.reported = new Set(byUri.keys());
    // The count is what the Problems panel shows: the editor's rule settings apply, the config's own diagnostic does not count.
    this.shown = [...byUri.values()].reduce((sum, diagnostics) => sum + diagnostics.filter((diagnostic) => diagnostic.code !== undefined && diagnostic.code !== 'config').length, 0);
    const { files, durationMs } = this.latest.stats;
    this.sendStatus({ state: 'done', findings: this.shown, files, durationMs, ...(this.configError && { configError: this.configError.message }) });
  }

  /** The folder is gone from the workspace: its diagnostics go too, and no more analyses run. */
  close(): void {
    this.closed = true;
    this.queued = false;
    this.abort?.abort(new DOMException('the folder was closed', 'AbortError'));
    this.pending = [];
    this.sendStatus({ state: 'removed' });
    this.host.changed(this.host.store.replace(this.reported, new Map()));
    this.reported.clear();
    this.latest = undefined;
  }

  private sendStatus(status: { state: 'analysing' | 'done' | 'cancelled' | 'error' | 'removed'; findings?: number; files?: number; durationMs?: number; configError?: string }): void {
    void this.host.connection.sendNotification(STATUS_NOTIFICATION, { folder: pathToFileURL(this.folder).toString(), ...status });
  }

  /** A whole-workspace analysis reports progress to clients that show it (`window/workDoneProgress`), and can be cancelled there. */
  private async withProgress<T>(work: (report: (done: number, total: number) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    this.abort = abort;
    // A client that never answers the create request must not hold the analysis: it runs without progress then.
    const progress = await within(this.host.connection.window.createWorkDoneProgress(), PROGRESS_CREATE_TIMEOUT_MS);
    progress?.begin('Breakwater', 0, `Analysing ${path.basename(this.folder)}`, true);
    const cancelled = progress?.token.onCancellationRequested(() => abort.abort(new DOMException('cancelled by the user', 'AbortError')));
    let last = 0;
    try {
      return await work((done, total) => {
        const percentage = Math.floor((done / total) * 100);
        if (percentage >= last + 10) {
          last = percentage;
          progress?.report(percentage, `${done}/${total} files`);
        }
      }, abort.signal);
    } finally {
      cancelled?.dispose();
      progress?.done();
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private load(): Analysis {
    try {
      const analysis = new Analysis(this.root, { overlays: this.host.overlays });
      this.configError = undefined;
      this.lastGoodConfig = analysis.configuration;
      return analysis;
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      this.configError = error;
      return new Analysis(this.root, { overlays: this.host.overlays, config: this.lastGoodConfig });
    }
  }

  /** Whether the latest analysis read `file` or files below it (the folder itself counts; so does anything, before the first). */
  read(file: string): boolean {
    const relative = path.relative(this.root, file).split(path.sep).join('/');
    if (relative === '' || !this.latest) return true;
    return this.latest.model.files.some((entry) => entry.path === relative || entry.path.startsWith(`${relative}/`));
  }

  /** Whether the analysis reads `file`'s folder: the workspace root holds it. */
  contains(file: string): boolean {
    return isWithin(this.root, file);
  }

  /** Whether the folder the editor opened holds `file`: this folder reports it, unless a nested folder does. */
  reports(file: string): boolean {
    return isWithin(this.folder, file);
  }
}

function isWithin(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function startServer(connection: Connection): void {
  const overlays = new Map<string, string>();
  const store = new DiagnosticsStore();
  let folders: Folder[] = [];
  let settings = DEFAULT_SETTINGS;
  /** Clients that pull diagnostics (LSP 3.17) are not pushed them. */
  let pull = false;
  let refreshSupport = false;
  let workspaceFolderEvents = false;

  const host: FolderHost = {
    connection,
    overlays,
    store,
    settings: () => settings,
    owns: () => true, // set below, once the folders are known
    changed(uris) {
      if (uris.length === 0) return;
      if (!pull) {
        for (const uri of uris) void connection.sendDiagnostics({ uri, diagnostics: store.get(uri).diagnostics });
      } else if (refreshSupport) {
        // A change in one file can change another open file's findings: ask the client to pull again.
        void connection.languages.diagnostics.refresh().catch(() => undefined);
      }
    },
  };
  /** The folder that reports a file: the innermost workspace folder that holds it. */
  const folderOf = (file: string) => folders.filter((folder) => folder.reports(file)).sort((a, b) => b.folder.length - a.folder.length)[0];
  host.owns = (folder, uri) => !uri.startsWith('file:') || folderOf(fileURLToPath(uri)) === folder;
  const changed = (uri: string, text?: string | null) => {
    if (!uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    // Every folder that holds the file analyses it (an outer folder's findings can depend on it); the innermost reports it.
    for (const folder of folders) if (folder.contains(file)) folder.schedule({ path: file, text });
  };
  /** An unsaved breakwater.json is not analysed: the config is read from disk, when it is saved (a watched change). */
  const isConfig = (uri: string) => CONFIG_FILE_NAMES.includes(path.posix.basename(uri));
  const fileFolders = (list: readonly { uri: string }[] | null | undefined) => (list ?? []).filter((folder) => folder.uri.startsWith('file:')).map((folder) => fileURLToPath(folder.uri));
  const relativeTo = (folder: Folder, file: string) => path.relative(folder.root, file).split(path.sep).join('/');

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    pull = params.capabilities.textDocument?.diagnostic !== undefined;
    refreshSupport = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    workspaceFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    // Only folders on disk can be analysed (a virtual or remote folder is left alone).
    const roots = params.workspaceFolders ? fileFolders(params.workspaceFolders) : fileFolders(params.rootUri ? [{ uri: params.rootUri }] : []);
    folders = roots.map((root) => new Folder(root, host));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full, save: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
        executeCommandProvider: { commands: [OPEN_DOCS_COMMAND, ANALYSE_WORKSPACE_COMMAND, CREATE_CONFIG_COMMAND] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...(pull && { diagnosticProvider: { identifier: 'breakwater', interFileDependencies: true, workspaceDiagnostics: true } }),
      },
      serverInfo: { name: 'breakwater-language-server' },
    };
  });

  let initialized = false;
  connection.onInitialized(() => {
    initialized = true;
    // Files created, deleted or renamed on disk, and config or workspace changes, are picked up without a restart.
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        // A deleted folder comes as one event for the folder, which the globs of files never match: the last
        // watcher reports every deletion, and those of paths no analysis read are dropped below.
        watchers: [...WATCHED_FILES.map((globPattern) => ({ globPattern })), { globPattern: '**/*', kind: WatchKind.Delete }],
      })
      .catch(() => undefined); // a client without dynamic registration still gets open/change/save
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        for (const root of fileFolders(removed)) {
          folders.find((folder) => folder.folder === root)?.close();
          folders = folders.filter((folder) => folder.folder !== root);
        }
        for (const folder of fileFolders(added).map((root) => new Folder(root, host))) {
          folders.push(folder);
          void folder.reanalyse();
        }
      });
    }
    for (const folder of folders) void folder.reanalyse();
  });

  connection.onDidChangeConfiguration(({ settings: all }) => {
    const section = (all as { breakwater?: unknown } | undefined)?.breakwater;
    if (section === undefined) return;
    settings = readSettings(section, settings);
    for (const folder of folders) folder.report(); // rule severities apply to the latest analysis at once
  });

  // Opening or closing a document whose text is what the analysis already read changes nothing: no analysis for it.
  const analysedText = (file: string) => overlays.get(file) ?? readText(file) ?? '';
  connection.onDidOpenTextDocument(({ textDocument }) => {
    if (!textDocument.uri.startsWith('file:')) return;
    const file = fileURLToPath(textDocument.uri);
    // A file outside every workspace folder (or with none open): the workspace around it, found as the CLI finds it,
    // becomes a folder of its own. A file with no workspace marker above it (a lone script) is left alone.
    if (!folderOf(file) && initialized) {
      const { root, marker } = findWorkspaceRoot(file);
      if (marker) {
        const folder = new Folder(root, host);
        folders.push(folder);
        void folder.reanalyse();
      }
    }
    const before = analysedText(file);
    overlays.set(file, textDocument.text);
    if (textDocument.text !== before && !isConfig(textDocument.uri)) changed(textDocument.uri, textDocument.text);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const text = contentChanges[contentChanges.length - 1]?.text;
    if (text === undefined || !textDocument.uri.startsWith('file:') || isConfig(textDocument.uri)) return;
    overlays.set(fileURLToPath(textDocument.uri), text);
    // With `run: onSave` the buffer is kept for quick fixes, and analysed when it is saved.
    if (settings.run === 'onType') changed(textDocument.uri, text);
  });
  connection.onDidSaveTextDocument(({ textDocument }) => {
    if (!textDocument.uri.startsWith('file:')) return;
    if (settings.run === 'onSave' || isConfig(textDocument.uri)) changed(textDocument.uri, overlays.get(fileURLToPath(textDocument.uri)));
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    if (!textDocument.uri.startsWith('file:')) return;
    // Back to what is on disk.
    const file = fileURLToPath(textDocument.uri);
    const before = analysedText(file);
    overlays.delete(file);
    if (before !== (readText(file) ?? '') && !isConfig(textDocument.uri)) changed(textDocument.uri, undefined);
  });
  const isWatched = picomatch(WATCHED_FILES, { dot: true });
  /** A deleted path matters when it is a file of the watched kinds, or a folder that held files the analysis read. */
  const mattersDeleted = (uri: string) => {
    if (!uri.startsWith('file:')) return false;
    const file = fileURLToPath(uri);
    return folders.some((folder) => folder.contains(file) && (isWatched(relativeTo(folder, file)) || folder.read(file)));
  };
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      if (change.type === FileChangeType.Deleted && !mattersDeleted(change.uri)) continue;
      changed(change.uri, change.type === FileChangeType.Deleted ? null : undefined);
    }
  });

  // Pull diagnostics: answered once every edit received so far is analysed, so the client never gets a stale report.
  connection.languages.diagnostics.on(async ({ textDocument, previousResultId }, token) => {
    const folder = textDocument.uri.startsWith('file:') ? folderOf(fileURLToPath(textDocument.uri)) : undefined;
    if (folder) await untilCancelled(folder.settled(), token);
    const report = store.get(textDocument.uri);
    if (previousResultId === report.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: report.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: report.resultId, items: report.diagnostics };
  });
  // The workspace's other documents: answered with what changed since the client's result IDs, or held open until
  // something does (a long poll), so a client that asks again at once does not make the server do work.
  connection.languages.diagnostics.onWorkspace(async ({ previousResultIds }, token) => {
    const previous = new Map(previousResultIds.map(({ uri, value }) => [uri, value]));
    await untilCancelled(Promise.all(folders.map((folder) => folder.settled())), token);
    for (;;) {
      const changedReports = store.changedSince(previous);
      if (changedReports.length > 0) {
        return { items: changedReports.map(([uri, report]) => ({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: report.resultId, items: report.diagnostics })) };
      }
      await store.nextChange(token);
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    }
  });

  connection.onCodeAction(async ({ textDocument, context }, token) => {
    if (token.isCancellationRequested || !textDocument.uri.startsWith('file:')) return [];
    const file = fileURLToPath(textDocument.uri);
    const folder = folderOf(file);
    // As you type, the edits received so far are analysed first, so the fixes match the text they will edit.
    if (folder && settings.run === 'onType') await untilCancelled(folder.settled(), token);
    const text = overlays.get(file) ?? readText(file) ?? '';
    const relativePath = folder && relativeTo(folder, file);
    const fixAll = context.only?.some((kind) => FIX_ALL.startsWith(kind) && kind.startsWith(CodeActionKind.Source)) ?? false;
    // A fix finds its code by the finding's position: offered only when the findings come from this very text (with
    // `run: onSave`, not while the buffer has unsaved edits).
    if (!folder?.latest || !relativePath || folder.analysedText(relativePath) !== text) return fixAll ? [] : codeActions(textDocument.uri, text, context.diagnostics);
    const fixContext = { result: folder.latest, relativePath, uri: textDocument.uri, text, defaultTimeoutMs: settings.defaultTimeoutMs };
    // `source.fixAll.breakwater` (fix-all on save): every safe fix of the document, as one edit.
    if (fixAll) {
      const all = store.get(textDocument.uri).diagnostics;
      const edits = fixAllEdits({ ...fixContext, diagnostics: all });
      return edits.length > 0 ? [{ title: 'Fix all Breakwater problems', kind: FIX_ALL, edit: { changes: { [textDocument.uri]: edits } } }] : [];
    }
    const fixes = quickFixes({ ...fixContext, diagnostics: context.diagnostics });
    return [...fixes, ...codeActions(textDocument.uri, text, context.diagnostics)];
  });
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command === OPEN_DOCS_COMMAND && typeof args?.[0] === 'string') {
      // A web page opens in the browser; a workspace file (the owning service's API) in the editor, at its range.
      const file = args[0].startsWith('file:');
      await connection.window.showDocument({ uri: args[0], external: !file, ...(file && args[1] && { takeFocus: true, selection: args[1] as Range }) });
    }
    if (command === ANALYSE_WORKSPACE_COMMAND) await Promise.all(folders.map((folder) => folder.reanalyse()));
    if (command === CREATE_CONFIG_COMMAND) await createConfig(typeof args?.[0] === 'string' ? folders.find((folder) => pathToFileURL(folder.folder).toString() === args[0]) : folders[0]);
  });
  /** The folder's breakwater.json, written from its latest analysis and opened; an existing config is opened, not replaced. */
  async function createConfig(folder: Folder | undefined): Promise<void> {
    // A notification, not a request: a client that does not show messages must not fail the command.
    const tell = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message: `Breakwater: ${message}` });
    if (!folder) return tell(MessageType.Warning, 'open a folder first.');
    const existing = CONFIG_FILE_NAMES.map((name) => path.join(folder.root, name)).find((file) => fs.existsSync(file));
    if (existing) {
      await connection.window.showDocument({ uri: pathToFileURL(existing).toString(), takeFocus: true });
      return tell(MessageType.Info, `${path.basename(existing)} already exists; it is opened instead.`);
    }
    await folder.reanalyse();
    if (!folder.latest) return tell(MessageType.Error, 'the analysis did not finish; see the output.');
    const file = path.join(folder.root, 'breakwater.json');
    writeFileSafely(folder.root, file, initialConfigText(folder.latest, './node_modules/breakwater/schema/breakwater.schema.json'));
    await connection.window.showDocument({ uri: pathToFileURL(file).toString(), takeFocus: true });
  }

  connection.onHover(({ textDocument, position }, token) => {
    if (token.isCancellationRequested || !textDocument.uri.startsWith('file:')) return null;
    const file = fileURLToPath(textDocument.uri);
    const folder = folderOf(file);
    if (!folder?.latest) return null;
    return hover(folder.latest, relativeTo(folder, file), position) ?? null;
  });

  connection.listen();
}

/** How long a whole-workspace analysis waits for the client to create its progress (it is at once in VS Code). */
const PROGRESS_CREATE_TIMEOUT_MS = 3000;

/** What `work` gives within `ms`, or undefined (also when it fails). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `work`, unless the request is cancelled first: then the request is dropped with RequestCancelled. */
async function untilCancelled<T>(work: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  let listener: { dispose(): void } | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    listener = token.onCancellationRequested(() => reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled')));
  });
  try {
    return await Promise.race([work, cancelled]);
  } finally {
    listener?.dispose();
  }
}

const USAGE = `Usage: breakwater-language-server --stdio
The Breakwater language server, for any LSP client. Transports: --stdio, --node-ipc, --socket=<port>, --pipe=<name>.
`;

/**
 * Starts on the transport the command line names: `--stdio`, `--node-ipc`, `--socket=<port>` or `--pipe=<name>`.
 * Without one, or with --help, it prints its usage (vscode-languageserver would throw with a stack trace).
 */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (!transportOf(args)) {
    const bad = args.find((arg) => /^--(socket|pipe)(=|$)/.test(arg));
    process.stderr.write(`breakwater-language-server: ${bad ? `${bad.split('=')[0]} needs ${bad.startsWith('--socket') ? 'a port (1-65535)' : 'a name'}` : 'no transport given'}.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  startServer(connect());
}

// Not in the large-stack extraction worker, which loads this bundle for its parser (engine/extract/deep.ts).
if (require.main === module && !inExtractionWorker) main();
