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

/** What the server sends after each analysis of a workspace folder. */
interface FolderStatus {
  folder: string;
  state: 'analysing' | 'done' | 'cancelled' | 'error' | 'removed';
  findings?: number;
  files?: number;
  durationMs?: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activationStart = performance.now();
  const output = vscode.window.createOutputChannel('Breakwater', { log: true });
  status = vscode.window.createStatusBarItem('breakwater.status', vscode.StatusBarAlignment.Right, 0);
  status.name = 'Breakwater';
  status.command = 'breakwater.showOutput';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('breakwater.showOutput', () => output.show()),
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
    else folders.set(update.folder, update);
    showFolders([...folders.values()]);
  });
}

/** One item for all folders: the findings count, and in the tooltip each folder's files and analysis time. */
function showFolders(all: FolderStatus[]): void {
  const findings = all.reduce((sum, folder) => sum + (folder.findings ?? 0), 0);
  const busy = all.some((folder) => folder.state === 'analysing');
  const failed = all.some((folder) => folder.state === 'error');
  const icon = busy ? '$(sync~spin)' : failed ? '$(warning)' : '$(shield)';
  const lines = all.map((folder) => {
    const name = path.basename(vscode.Uri.parse(folder.folder).fsPath);
    if (folder.state === 'done') return `${name}: ${folder.findings} finding${folder.findings === 1 ? '' : 's'} in ${folder.files} files, analysed in ${folder.durationMs} ms`;
    if (folder.state === 'error') return `${name}: breakwater.json has an error (see Problems); the last good config is used`;
    return `${name}: ${folder.state}`;
  });
  show(`${icon} Breakwater ${findings}`, lines.join('\n'));
}

function show(text: string, tooltip: string): void {
  status!.text = text;
  status!.tooltip = tooltip;
  status!.show();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
