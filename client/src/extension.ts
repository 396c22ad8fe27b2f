// The VS Code extension stays thin, as vscode-eslint's does. It starts the language server, passes it the settings,
// and adds the commands and a status item. Everything else happens in the server, over the shared engine.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
/** Starts and stops run one after another: a quick second toggle of breakwater.enable must not leave a server behind. */
let starting: Promise<void> = Promise.resolve();
let status: vscode.StatusBarItem | undefined;

const SELECTOR = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language }));

/** What the server sends as it analyses a workspace folder (`findings`: what the Problems panel shows, kept while it analyses). */
interface FolderStatus {
  folder: string;
  state: 'analysing' | 'done' | 'cancelled' | 'error' | 'removed';
  findings?: number;
  files?: number;
  durationMs?: number;
  /** breakwater.json has an error; the last good configuration is in force. */
  configError?: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activationStart = performance.now();
  const output = vscode.window.createOutputChannel('Breakwater', { log: true });
  status = vscode.window.createStatusBarItem('breakwater.status', vscode.StatusBarAlignment.Right, 0);
  status.name = 'Breakwater';
  status.command = 'breakwater.showMenu';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('breakwater.showOutput', () => output.show()),
    vscode.commands.registerCommand('breakwater.showMenu', () => showMenu(output)),
    // The same code actions as on save (`source.fixAll.breakwater`), for the file in the editor.
    vscode.commands.registerCommand('breakwater.fixAll', () => vscode.commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.breakwater', apply: 'first' })),
    vscode.commands.registerCommand('breakwater.restartServer', async () => {
      await client?.restart();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // Other settings reach the running server as workspace/didChangeConfiguration; only enable needs a (re)start.
      if (event.affectsConfiguration('breakwater.enable')) await restart(context, output);
    }),
  );
  // The server starts in the background, so activation does not keep VS Code's other extensions waiting.
  void restart(context, output).then(
    () => output.info(`Server ready ${Math.round(performance.now() - activationStart)} ms after activation began`),
    (error: Error) => output.error(`The server did not start: ${error.message}`),
  );
  // Logged so the README's activation figure can be checked in any editor.
  output.info(`Activated in ${Math.round(performance.now() - activationStart)} ms`);
}

function restart(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  starting = starting.catch(() => undefined).then(() => start(context, output));
  return starting;
}

async function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  await client?.stop();
  client = undefined;
  const settings = vscode.workspace.getConfiguration('breakwater');
  if (!settings.get<boolean>('enable', true)) {
    show('$(circle-slash) Breakwater', 'Breakwater is disabled (breakwater.enable)');
    return;
  }
  const module = context.asAbsolutePath(path.join('dist', 'extension-launcher.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...SELECTOR, { scheme: 'file', pattern: '**/{breakwater.json,.breakwaterrc.json}' }],
    outputChannel: output,
    initializationOptions: { defaultTimeoutMs: settings.get('defaultTimeoutMs'), run: settings.get('run'), rules: settings.get('rules') },
    synchronize: { configurationSection: 'breakwater' },
  };
  client = new LanguageClient('breakwater', 'Breakwater', serverOptions, clientOptions);
  const folders = new Map<string, FolderStatus>();
  client.onDidChangeState(({ newState }) => {
    if (newState === State.Starting) show('$(sync~spin) Breakwater', 'Breakwater is starting');
    if (newState === State.Stopped) show('$(warning) Breakwater', 'Breakwater is not running: see the output');
  });
  show('$(sync~spin) Breakwater', 'Breakwater is starting');
  await client.start();
  client.onNotification('breakwater/status', (update: FolderStatus) => {
    if (update.state === 'removed') folders.delete(update.folder);
    // While it analyses, what was last found stays (the server sends the count; files and time are the last run's).
    else folders.set(update.folder, update.state === 'done' ? update : { ...folders.get(update.folder), ...update });
    showFolders([...folders.values()]);
  });
}

/** One item for all folders: the findings count, and in the tooltip each folder's files and analysis time. */
function showFolders(all: FolderStatus[]): void {
  const findings = all.reduce((sum, folder) => sum + (folder.findings ?? 0), 0);
  const busy = all.some((folder) => folder.state === 'analysing');
  const failed = all.some((folder) => folder.state === 'error' || folder.configError);
  const icon = busy ? '$(sync~spin)' : failed ? '$(warning)' : '$(shield)';
  const lines = all.map((folder) => {
    const name = path.basename(vscode.Uri.parse(folder.folder).fsPath);
    const last = folder.files === undefined ? '' : `${folder.findings} finding${folder.findings === 1 ? '' : 's'} in ${folder.files} files, analysed in ${folder.durationMs} ms`;
    if (folder.state === 'error' || folder.configError) return `${name}: breakwater.json has an error (see Problems); the last good config is used${last && `. ${last}`}`;
    if (folder.state === 'analysing') return `${name}: analysing${last && ` (last: ${last})`}`;
    if (folder.state === 'done') return `${name}: ${last}`;
    return `${name}: ${folder.state}`;
  });
  show(`${icon} Breakwater ${findings}`, `${lines.join('\n')}\nClick for Breakwater's commands.`);
}

/** What the status item offers, as vscode-eslint's does: the output, an analysis, the config, and turning it off here. */
async function showMenu(output: vscode.LogOutputChannel): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const items: Array<vscode.QuickPickItem & { run: () => unknown }> = [
    { label: '$(output) Show Output', run: () => output.show() },
    { label: '$(refresh) Analyse Workspace', run: () => vscode.commands.executeCommand('breakwater.analyseWorkspace') },
    ...(folder ? [{ label: '$(gear) Open or Create breakwater.json', run: () => openConfig(folder) }] : []),
    { label: '$(debug-restart) Restart Server', run: () => vscode.commands.executeCommand('breakwater.restartServer') },
    { label: '$(circle-slash) Disable for this Workspace', run: () => vscode.workspace.getConfiguration('breakwater').update('enable', false, vscode.ConfigurationTarget.Workspace) },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Breakwater' });
  await picked?.run();
}

/** Opens the folder's breakwater.json, or creates one when there is none. */
async function openConfig(folder: vscode.WorkspaceFolder): Promise<void> {
  for (const name of ['breakwater.json', '.breakwaterrc.json']) {
    const uri = vscode.Uri.joinPath(folder.uri, name);
    try {
      await vscode.workspace.fs.stat(uri);
      await vscode.window.showTextDocument(uri);
      return;
    } catch {
      // not there: try the next name
    }
  }
  // None yet: the server writes one stating what it found (`breakwater init`), and opens it.
  await vscode.commands.executeCommand('breakwater.createConfig', folder.uri.toString());
}

function show(text: string, tooltip: string): void {
  status!.text = text;
  status!.tooltip = tooltip;
  status!.show();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
