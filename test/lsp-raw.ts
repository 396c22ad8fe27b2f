// A raw JSON-RPC peer for fault tests: spawns the built server on stdio and writes bytes as they are, well framed or
// not, so a test can send what no real client library would (bad headers, broken JSON, requests out of order).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { serverScript } from './lsp-client';

export interface RawMessage {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class RawPeer {
  readonly messages: RawMessage[] = [];
  stderr = '';
  /** The exit code, or the signal's name, once the process is gone. */
  exit?: number | string;
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private nextId = 1000;

  /** What the server reads (its stdin, or the socket) and what it writes (its stdout, or the same socket). */
  readonly toServer: Writable;
  readonly fromServer: Readable;

  constructor(
    readonly child: ChildProcess,
    transport: { toServer: Writable; fromServer: Readable } = { toServer: child.stdin!, fromServer: child.stdout! },
  ) {
    this.toServer = transport.toServer;
    this.fromServer = transport.fromServer;
    this.fromServer.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.wake();
    });
    child.on('exit', (code, signal) => {
      this.exit = code ?? signal ?? 'unknown';
      this.wake();
    });
    // A server that died leaves a closed pipe or socket: writing to it must not fail the test with EPIPE.
    this.toServer.on('error', () => undefined);
    this.fromServer.on('error', () => undefined);
  }

  /** Writes bytes exactly as given. */
  raw(data: string | Buffer): void {
    if (!this.toServer.destroyed) this.toServer.write(data);
  }

  /** Writes one well-framed body, whatever it holds. */
  frame(body: string): void {
    this.raw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  send(message: RawMessage): void {
    this.frame(JSON.stringify({ jsonrpc: '2.0', ...message }));
  }

  notify(method: string, params?: unknown): void {
    this.send({ method, params });
  }

  /** Sends a request and waits for its answer (a generous bound: a server that never answers fails the test, not mocha). */
  async request(method: string, params?: unknown, id: number | string = this.nextId++): Promise<RawMessage> {
    this.send({ id, method, params });
    return this.until(() => this.messages.find((message) => message.id === id && message.method === undefined), `an answer to ${method}`);
  }

  async initialize(root: string | null, capabilities: Record<string, unknown> = {}): Promise<RawMessage> {
    const { pathToFileURL } = await import('node:url');
    const uri = root && pathToFileURL(root).toString();
    return this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: uri ? [{ uri, name: 'folder0' }] : null,
      capabilities,
    });
  }

  /** Waits until the process has exited, and gives its code (or signal name). */
  exited(what = 'the server to exit'): Promise<number | string> {
    return this.until(() => this.exit, what);
  }

  async until<T>(read: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      // A server that is gone will send nothing more.
      if (this.exit !== undefined) throw new Error(`the server exited (${this.exit}) while waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; exit: ${this.exit}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  kill(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as RawMessage);
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.wake();
    }
  }
}

export function spawnRaw(args: string[] = ['--stdio']): RawPeer {
  return new RawPeer(spawn(process.execPath, [serverScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/**
 * Spawns the built server with `--socket=<port>` or `--pipe=<name>`: the test listens (on 127.0.0.1, or on a Unix
 * socket in a fresh temporary folder) and the server connects to it, as LSP clients do. The peer talks over that
 * connection; the server's stdout is drained and ignored.
 */
export async function spawnRawOver(transport: 'socket' | 'pipe', extra: string[] = []): Promise<RawPeer & { cleanup(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-lsp-'));
  const listener = net.createServer();
  const pipe = path.join(dir, 'lsp.sock');
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    if (transport === 'pipe') listener.listen(pipe, resolve);
    else listener.listen(0, '127.0.0.1', resolve);
  });
  const arg = transport === 'pipe' ? `--pipe=${pipe}` : `--socket=${(listener.address() as net.AddressInfo).port}`;
  const connected = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const child = spawn(process.execPath, [serverScript, arg, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // never connected: the test fails, not mocha
  const socket = await Promise.race([connected, new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it connected`))))]).finally(() => clearTimeout(timer));
  listener.close();
  const peer = new RawPeer(child, { toServer: socket, fromServer: socket }) as RawPeer & { cleanup(): void };
  peer.cleanup = () => {
    peer.kill();
    socket.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return peer;
}
