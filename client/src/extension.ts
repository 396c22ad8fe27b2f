// The VS Code extension stays thin, as vscode-eslint's does. It starts the language server, passes the settings it
// needs, and adds the commands and a status item. Everything else happens in the server, over the shared engine.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem | undefined;

const SELECTOR = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language }));

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activationStart = performance.now();
  const output = vscode.window.createOutputChannel('Breakwater', { log: true });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 0);
  status.command = 'breakwater.showOutput';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('breakwater.showOutput', () => output.show()),
    vscode.commands.registerCommand('breakwater.restartServer', async () => {
      await client?.restart();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('breakwater')) await start(context, output);
    }),
  );
  await start(context, output);
  // Measured here so the README's activation figure can be checked in any editor: from activate() to a running server.
  output.info(`Activated in ${Math.round(performance.now() - activationStart)} ms`);
}

async function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  await client?.stop();
  client = undefined;
  const settings = vscode.workspace.getConfiguration('breakwater');
  if (!settings.get<boolean>('enable', true)) {
    status!.text = '$(circle-slash) Breakwater';
    status!.tooltip = 'Breakwater is disabled (breakwater.enable)';
    status!.show();
    return;
  }
  const module = context.asAbsolutePath(path.join('dist', 'extension-server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...SELECTOR, { scheme: 'file', pattern: '**/{breakwater.json,.breakwaterrc.json}' }],
    outputChannel: output,
    initializationOptions: { defaultTimeoutMs: settings.get<number>('defaultTimeoutMs', 5000) },
  };
  client = new LanguageClient('breakwater', 'Breakwater', serverOptions, clientOptions);
  client.onDidChangeState(({ newState }) => {
    status!.text = newState === State.Running ? '$(shield) Breakwater' : newState === State.Starting ? '$(sync~spin) Breakwater' : '$(warning) Breakwater';
    status!.tooltip = newState === State.Running ? 'Breakwater is analysing this workspace' : 'Breakwater is not running: see the output';
  });
  status!.show();
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
