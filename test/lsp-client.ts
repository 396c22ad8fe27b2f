// A minimal LSP client for tests: spawns the built server as a process and speaks real LSP over stdio (JSON-RPC
// framing and all), keeping what the server publishes so a test can wait for a condition on it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const serverScript = path.join(__dirname, '..', 'bin', 'breakwater-language-server.js');

export interface StartOptions {
  /** The server to spawn; the CLI package's by default. */
  script?: string;
  /** Client capabilities beyond dynamic file watching and work-done progress. */
  capabilities?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** More workspace folders after `root`. */
  moreFolders?: string[];
}

export interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** A client that keeps the latest diagnostics per URI and lets a test wait for a condition on them. */
export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly shown: string[] = [];
  /** Whether each shown document was to open outside the editor (`external`). */
  readonly shownExternally: boolean[] = [];
  readonly progress: string[] = [];
  /** `breakwater/status` notifications, in order. */
  readonly statuses: Array<{ folder: string; state: string; findings?: number; files?: number; durationMs?: number; configError?: string }> = [];
  /** `window/logMessage` texts (the output channel), in order. */
  readonly logs: string[] = [];
  /** How often the server asked the client to pull diagnostics again. */
  refreshes = 0;
  /** Called with each `$/progress` notification (a test can cancel the work it reports). */
  onProgress?: (token: string | number, kind: string) => void;
  private waiters: Array<() => void> = [];

  constructor(
    readonly connection: MessageConnection,
    readonly child: ChildProcess,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.waiters.forEach((wake) => wake());
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string } }) => {
      this.progress.push(params.value.kind);
      this.onProgress?.(params.token, params.value.kind);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.waiters.forEach((wake) => wake());
    });
    connection.onNotification('breakwater/status', (params: TestClient['statuses'][number]) => {
      this.statuses.push(params);
      this.waiters.forEach((wake) => wake());
    });
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    connection.onRequest('window/showDocument', (params: { uri: string; external?: boolean }) => {
      this.shown.push(params.uri);
      this.shownExternally.push(params.external === true);
      return { success: true };
    });
    connection.listen();
  }

  async until<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; diagnostics: ${JSON.stringify([...this.diagnostics])}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

/** Applies LSP text edits the way an editor does (from the end, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: LspTextEdit[]): string {
  const offset = (position: { line: number; character: number }) => text.split('\n').slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

export async function start(root: string, options: StartOptions = {}): Promise<TestClient> {
  const child = spawn(process.execPath, [options.script ?? serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const client = new TestClient(connection, child);
  const uri = pathToFileURL(root).toString();
  const result = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [root, ...(options.moreFolders ?? [])].map((folder, index) => ({ uri: pathToFileURL(folder).toString(), name: `folder${index}` })),
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true }, ...options.capabilities },
    initializationOptions: options.initializationOptions,
  });
  assert.equal((result as { serverInfo?: { name: string } }).serverInfo?.name, 'breakwater-language-server');
  await connection.sendNotification('initialized', {});
  return client;
}

export async function stop(client: TestClient): Promise<number | null> {
  await client.connection.sendRequest('shutdown');
  await client.connection.sendNotification('exit');
  return new Promise((resolve) => client.child.on('exit', (code) => resolve(code)));
}
