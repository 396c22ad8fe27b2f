// The language server under protocol faults, over raw JSON-RPC on stdio to the built server (issue 12, section 3):
// broken frames, broken JSON, requests out of order or with bad params, a client that never answers, a client that
// goes away, folders deleted under it, and a burst of edits. Each asserts the outcome, never how long it took: no
// death where the server can go on, a clear exit (logged, non-zero) where it cannot, and no hang (every wait is
// bounded and fails the test, not mocha, with what was seen).
import * as assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { serverScript, start, stop, type TestClient } from './lsp-client';
import { spawnRaw, spawnRawOver, type RawMessage, type RawPeer } from './lsp-raw';
import { writeWorkspace } from './rule-tester';

const unbounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items');\n`;
const bounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items', { timeout: 1000 });\n`;
const hoverAt = (uri: string, line = 0, character = 0) => ({ textDocument: { uri }, position: { line, character } });
const timeouts = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).filter((d) => d.code === 'missing-timeout');

describe('language server under protocol faults', function () {
  this.timeout(90_000);
  const roots: string[] = [];
  const peers: RawPeer[] = [];
  let client: TestClient | undefined;

  const workspace = (files: Record<string, string> = { 'src/index.ts': unbounded }) => {
    const root = writeWorkspace({ name: 'x', files });
    roots.push(root);
    return root;
  };
  const uriOf = (root: string, file: string) => pathToFileURL(path.join(root, file)).toString();
  const peer = () => {
    const raw = spawnRaw();
    peers.push(raw);
    return raw;
  };
  /** A server past initialize, on a workspace of one file with one finding. */
  const ready = async () => {
    const raw = peer();
    const root = workspace();
    const answer = await raw.initialize(root);
    assert.ok(answer.result, JSON.stringify(answer));
    raw.notify('initialized', {});
    return { raw, root };
  };
  const errorOf = (message: RawMessage) => message.error?.code;

  before(function () {
    if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'server.js'))) this.skip(); // `npm test` builds first
  });
  afterEach(() => {
    for (const raw of peers.splice(0)) raw.kill();
    if (client && client.child.exitCode === null) client.child.kill();
    client = undefined;
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  describe('a broken frame: logged, then a non-zero exit, so the client restarts the server', () => {
    // Bytes that are no header at all, the same on every run.
    const noise = Buffer.concat(Array.from({ length: 8 }, (_, i) => createHash('sha256').update(`noise ${i}`).digest()));
    const faults: Array<[string, (raw: RawPeer) => void]> = [
      ['a Content-Length that is not a number', (raw) => raw.raw('Content-Length: abc\r\n\r\n{}')],
      ['a negative Content-Length', (raw) => raw.raw('Content-Length: -5\r\n\r\n{}')],
      ['an oversized Content-Length', (raw) => raw.raw('Content-Length: 99999999999\r\n\r\n{"jsonrpc":"2.0"')],
      ['a header without Content-Length', (raw) => raw.raw('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}')],
      ['random bytes', (raw) => raw.raw(noise)],
      ['a body shorter than its Content-Length', (raw) => raw.raw('Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","method":"initialized"}')],
    ];
    for (const [name, fault] of faults) {
      it(name, async () => {
        const { raw } = await ready();
        fault(raw);
        // What a client sends next is what reveals a short body or noise: the server must not answer it as if nothing happened.
        const answered = raw.request('textDocument/hover', hoverAt('file:///nowhere.ts')).then(() => 'answered', () => 'not answered');
        const code = await raw.exited();
        assert.notEqual(code, 0, `exit code ${code}`);
        assert.equal(await answered, 'not answered');
        assert.match(raw.stderr, /breakwater-language-server: .*(frame|header|Content-Length)/i);
      });
    }
  });

  describe('over a real socket and a named pipe: the same strict framing and the same exits as on stdio', () => {
    const over: Array<RawPeer & { cleanup(): void }> = [];
    afterEach(() => {
      for (const raw of over.splice(0)) raw.cleanup();
    });
    for (const transport of ['socket', 'pipe'] as const) {
      const connectOver = async () => {
        const raw = await spawnRawOver(transport);
        over.push(raw);
        return raw;
      };

      it(`--${transport}: a malformed Content-Length is logged and the server exits with 1`, async () => {
        const raw = await connectOver();
        const root = workspace();
        assert.ok((await raw.initialize(root)).result, 'initialized');
        raw.raw('Content-Length: abc\r\n\r\n{}');
        assert.equal(await raw.exited(), 1);
        assert.match(raw.stderr, /breakwater-language-server: malformed frame: Content-Length is not a length: "abc"; exiting so that the client can start the server again/);
      });

      it(`--${transport}: random bytes before any message are logged and the server exits with 1`, async () => {
        const raw = await connectOver();
        raw.raw(Buffer.alloc(9000, 0x41));
        assert.equal(await raw.exited(), 1);
        assert.match(raw.stderr, /breakwater-language-server: malformed frame: no end of header/);
      });

      it(`--${transport}: the same error codes (a request before initialize, bad params)`, async () => {
        const raw = await connectOver();
        assert.equal(errorOf(await raw.request('textDocument/hover', hoverAt('file:///x.ts'))), -32002);
        assert.ok((await raw.initialize(workspace())).result, 'initialized');
        assert.equal(errorOf(await raw.request('textDocument/hover', { nope: 1 })), -32602);
      });

      it(`--${transport}: exits when the client closes the connection`, async () => {
        const raw = await connectOver();
        assert.ok((await raw.initialize(workspace())).result, 'initialized');
        raw.toServer.end();
        assert.equal(await raw.exited(), 1); // no shutdown was asked for
      });

      it(`--${transport}: exits when the client resets the connection while the server writes`, async () => {
        const raw = await connectOver();
        assert.ok((await raw.initialize(workspace())).result, 'initialized');
        raw.send({ id: 78, method: 'textDocument/hover', params: hoverAt('file:///nowhere.ts') });
        const socket = raw.toServer as import('node:net').Socket;
        if (transport === 'socket') socket.resetAndDestroy();
        else socket.destroy();
        assert.equal(await raw.exited(), 1);
        assert.doesNotMatch(raw.stderr, /^\s+at /m, 'no stack trace'); // ECONNRESET is logged when it wins the race with close
      });

      it(`--${transport}: exits with 0 after shutdown and exit`, async () => {
        const raw = await connectOver();
        assert.ok((await raw.initialize(workspace())).result, 'initialized');
        assert.equal((await raw.request('shutdown')).error, undefined);
        raw.notify('exit');
        assert.equal(await raw.exited(), 0);
      });
    }

    it('--socket: a port nobody listens on is logged and the server exits with 1', async () => {
      const net = await import('node:net');
      const listener = net.createServer();
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const port = (listener.address() as import('node:net').AddressInfo).port;
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      const raw = spawnRaw([`--socket=${port}`]);
      peers.push(raw);
      assert.equal(await raw.exited(), 1);
      assert.match(raw.stderr, /breakwater-language-server: .*(ECONNREFUSED|could not connect)/);
    });
  });

  describe('JSON-RPC and LSP error codes', () => {
    it('answers a body that is not JSON with ParseError (-32700), and goes on', async () => {
      const { raw } = await ready();
      raw.frame('{"jsonrpc": "2.0", "id": 5, "method": ');
      const parseError = await raw.until(() => raw.messages.find((message) => errorOf(message) === -32700), 'a ParseError');
      assert.equal(parseError.id, null);
      assert.equal((await raw.request('textDocument/hover', hoverAt('file:///nowhere.ts'))).result, null);
      assert.equal(raw.exit, undefined);
    });

    it('takes a large message arriving in many chunks, and answers what follows it', async () => {
      const { raw } = await ready();
      // 20 MB of text in a document the server does not analyse (not a file), written in 1 MB pieces.
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'untitled:big', languageId: 'typescript', version: 1, text: '// x\n'.repeat(4_000_000) } } }));
      raw.raw(`Content-Length: ${body.length}\r\n\r\n`);
      for (let offset = 0; offset < body.length; offset += 1 << 20) raw.raw(body.subarray(offset, offset + (1 << 20)));
      assert.equal((await raw.request('textDocument/hover', hoverAt('untitled:big'))).result, null);
      assert.equal(raw.exit, undefined);
    });

    it('answers JSON that is no JSON-RPC message with InvalidRequest (-32600), and goes on', async () => {
      const { raw } = await ready();
      for (const body of ['[1, 2]', '42', '"text"', '{"jsonrpc":"2.0","id":7,"method":12}', '{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}']) raw.frame(body);
      const invalid = await raw.until(() => {
        const found = raw.messages.filter((message) => errorOf(message) === -32600);
        return found.length >= 5 ? found : undefined;
      }, 'five InvalidRequest errors');
      assert.deepEqual(invalid.map((message) => message.id), [null, null, null, 7, null]);
      assert.equal((await raw.request('textDocument/hover', hoverAt('file:///nowhere.ts'))).result, null);
    });

    it('answers a request before initialize with ServerNotInitialized (-32002), drops notifications, then initializes', async () => {
      const raw = peer();
      const root = workspace();
      raw.notify('textDocument/didOpen', { textDocument: { uri: uriOf(root, 'src/index.ts'), languageId: 'typescript', version: 1, text: unbounded } });
      const early = await raw.request('textDocument/hover', hoverAt(uriOf(root, 'src/index.ts')));
      assert.equal(errorOf(early), -32002);
      const shutdownEarly = await raw.request('shutdown');
      assert.equal(errorOf(shutdownEarly), -32002);
      assert.ok((await raw.initialize(root)).result);
    });

    it('refuses a second initialize with InvalidRequest (-32600)', async () => {
      const { raw, root } = await ready();
      const again = await raw.initialize(root);
      assert.equal(errorOf(again), -32600);
      assert.match(again.error!.message, /initialize/);
      assert.equal((await raw.request('textDocument/hover', hoverAt('file:///nowhere.ts'))).result, null);
    });

    it('answers requests after shutdown with InvalidRequest (-32600), and exits with 0 on exit', async () => {
      const { raw } = await ready();
      assert.equal((await raw.request('shutdown')).result, null);
      assert.equal(errorOf(await raw.request('textDocument/hover', hoverAt('file:///nowhere.ts'))), -32600);
      assert.equal(errorOf(await raw.request('shutdown')), -32600);
      raw.notify('exit');
      assert.equal(await raw.exited(), 0);
    });

    it('answers bad params with InvalidParams (-32602) naming what is wrong, never an internal error', async () => {
      const { raw, root } = await ready();
      const uri = uriOf(root, 'src/index.ts');
      const cases: Array<[string, unknown]> = [
        ['textDocument/hover', { nope: 1 }],
        ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }],
        ['textDocument/hover', { textDocument: { uri: 'file://remote-host/x.ts' }, position: { line: 0, character: 0 } }],
        ['textDocument/hover', [1, 2]],
        ['textDocument/codeAction', 5],
        ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: {} }],
        ['workspace/executeCommand', { command: 5 }],
        ['textDocument/diagnostic', { textDocument: {} }],
        ['workspace/diagnostic', { previousResultIds: 'all' }],
      ];
      for (const [method, params] of cases) {
        const answer = await raw.request(method, params);
        assert.equal(errorOf(answer), -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(answer)}`);
        assert.doesNotMatch(answer.error!.message, /Cannot read|undefined|TypeError/, answer.error!.message);
      }
      // A notification with bad params cannot be answered: it is dropped, and the server goes on.
      raw.notify('textDocument/didOpen', { textDocument: { uri } });
      raw.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: 'all' });
      raw.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 5, type: 2 }] });
      raw.notify('workspace/didChangeWorkspaceFolders', {});
      assert.equal((await raw.request('textDocument/hover', hoverAt(uri))).error, undefined);
      assert.equal(raw.exit, undefined);
    });

    it('answers unknown methods with MethodNotFound (-32601) and ignores unknown notifications', async () => {
      const { raw } = await ready();
      assert.equal(errorOf(await raw.request('breakwater/nothing', {})), -32601);
      raw.notify('breakwater/nothing', { a: 1 });
      raw.notify('$/nothing');
      assert.equal((await raw.request('textDocument/hover', hoverAt('file:///nowhere.ts'))).result, null);
    });
  });

  describe('a client that goes away', () => {
    it('exits when its input closes', async () => {
      const { raw } = await ready();
      raw.child.stdin!.end();
      assert.equal(await raw.exited(), 1); // no shutdown was asked for
    });

    it('exits when only its output closes (stdout), though its input stays open', async () => {
      const { raw } = await ready();
      raw.fromServer.destroy(); // the client's end of the server's stdout is gone; stdin stays open
      raw.notify('textDocument/didOpen', { textDocument: { uri: 'file:///nowhere.ts', languageId: 'typescript', version: 1, text: 'export {};' } });
      raw.send({ id: 77, method: 'textDocument/hover', params: hoverAt('file:///nowhere.ts') }); // its answer meets the closed pipe
      assert.equal(await raw.exited('the server to notice its output is gone'), 1);
      assert.match(raw.stderr, /breakwater-language-server: the client's end of the output is closed \(EPIPE\); exiting/);
      assert.doesNotMatch(raw.stderr, /^\s+at /m, 'no stack trace'); // it was an uncaught "Connection is closed" error
    });

    it('over node IPC (how the VS Code extension starts it): the same error codes, and an exit when the channel closes', async () => {
      const child = fork(serverScript, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      const answers: RawMessage[] = [];
      child.on('message', (message: RawMessage) => answers.push(message));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a server that never exits fails the test, not mocha
      try {
        child.send({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: hoverAt('file:///x.ts') });
        child.send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
        child.send({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { nope: 1 } });
        const deadline = Date.now() + 30_000;
        while (answers.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        // Answers come in any order (initialize is answered asynchronously).
        const codes = answers.map((answer) => [answer.id, answer.error?.code]).sort((a, b) => Number(a[0]) - Number(b[0]));
        assert.deepEqual(codes, [[1, -32002], [2, undefined], [3, -32602]]);
        child.disconnect();
        assert.equal(await exited, 1);
      } finally {
        clearTimeout(killer);
        child.kill('SIGKILL');
      }
    });

    it('exits when the process that started it is gone (initialize processId)', async () => {
      const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      try {
        const raw = peer();
        const root = workspace();
        raw.send({ id: 1, method: 'initialize', params: { processId: parent.pid, rootUri: pathToFileURL(root).toString(), capabilities: {} } });
        await raw.until(() => raw.messages.find((message) => message.id === 1), 'the initialize answer');
        parent.kill('SIGKILL');
        assert.equal(await raw.exited('the server to notice its parent is gone'), 1);
      } finally {
        parent.kill('SIGKILL');
      }
    });
  });

  it('does not wait forever for a client that never answers window/workDoneProgress/create', async () => {
    const raw = peer();
    const root = workspace();
    await raw.initialize(root, { window: { workDoneProgress: true } });
    raw.notify('initialized', {});
    // This peer answers nothing the server asks; the first analysis must still be published.
    const uri = uriOf(root, 'src/index.ts');
    const published = await raw.until(
      () => raw.messages.find((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === uri),
      'the diagnostics of the first analysis',
    );
    assert.equal(timeouts((published.params as { diagnostics: Diagnostic[] }).diagnostics).length, 1);
    assert.ok(raw.messages.some((message) => message.method === 'window/workDoneProgress/create'), 'progress was asked for');
  });

  describe('folders deleted on disk', () => {
    it('asks the client to report deleted folders, not only deleted source files', async () => {
      const { raw } = await ready();
      const registration = await raw.until(() => raw.messages.find((message) => message.method === 'client/registerCapability'), 'the file watchers');
      const watchers = (registration.params as { registrations: Array<{ registerOptions: { watchers: Array<{ globPattern: string; kind?: number }> } }> }).registrations[0].registerOptions.watchers;
      // WatchKind.Delete is 4; a pattern that matches a folder's path (no extension).
      assert.ok(watchers.some((watcher) => watcher.globPattern === '**/*' && watcher.kind === 4), JSON.stringify(watchers));
    });

    it('does not analyse again for the deletion of a path it never read (a git lock file)', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
      const runs = () => client!.statuses.filter((status) => status.state === 'analysing').length;
      const before = runs();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, '.git/index.lock'), type: 3 }, { uri: uriOf(root, 'notes'), type: 3 }] });
      // A code action waits for every change received so far to be analysed: had one been scheduled, it shows now.
      await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
      assert.equal(runs(), before);
      assert.equal(await stop(client), 0);
    });

    it('clears the diagnostics of a folder deleted while it is analysed', async () => {
      const root = workspace({ 'src/index.ts': bounded, 'src/jobs/a.ts': unbounded, 'src/jobs/b.ts': unbounded });
      client = await start(root);
      const a = uriOf(root, 'src/jobs/a.ts');
      await client.until(() => timeouts(client!.diagnostics.get(a))[0], 'the finding in src/jobs');
      // An analysis runs (Analyse Workspace) while the folder goes; the client reports only the folder (as VS Code does).
      const analysing = client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
      fs.rmSync(path.join(root, 'src/jobs'), { recursive: true });
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, 'src/jobs'), type: 3 }] });
      await analysing;
      await client.until(() => (client!.diagnostics.get(a)?.length === 0 && client!.diagnostics.get(uriOf(root, 'src/jobs/b.ts'))?.length === 0 ? true : undefined), 'the deleted files to clear');
      assert.equal(await stop(client), 0);
    });

    it('clears the diagnostics of a workspace folder deleted on disk', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
      const analysing = client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
      fs.rmSync(root, { recursive: true });
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(root).toString(), type: 3 }] });
      await analysing;
      await client.until(() => (client!.diagnostics.get(uri)?.length === 0 ? true : undefined), 'the deleted folder to clear');
      assert.equal(client.child.exitCode, null);
      assert.equal(await stop(client), 0);
    });
  });

  describe('odd but well-formed requests', () => {
    it('answers about documents it does not know: never opened, not on disk, another scheme', async () => {
      const { raw, root } = await ready();
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
      for (const uri of [uriOf(root, 'src/missing.ts'), 'file:///no/such/folder/x.ts', 'untitled:Untitled-1', 'git:/x.ts?ref']) {
        assert.equal((await raw.request('textDocument/hover', hoverAt(uri))).error, undefined, uri);
        const actions = await raw.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
        assert.deepEqual(actions.result, [], uri);
        raw.notify('textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: unbounded }] });
        raw.notify('textDocument/didClose', { textDocument: { uri } });
      }
      assert.equal(raw.exit, undefined);
    });

    it('answers hover and code actions at positions past the end of the document', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      const finding = await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
      for (const position of [{ line: 1_000_000, character: 0 }, { line: 0, character: 1_000_000 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }]) {
        assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }), null);
        const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [{ ...finding, range: { start: position, end: position } }] } });
        assert.ok(Array.isArray(actions));
      }
      assert.equal(await stop(client), 0);
    });

    it('takes the text of the latest change whatever its version number', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 10, text: unbounded } });
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: bounded }] });
      await client.until(() => (client!.diagnostics.get(uri)?.length === 0 ? true : undefined), 'the edit with an older version number to be analysed');
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: unbounded }] });
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the same version number again');
      assert.equal(await stop(client), 0);
    });

    it('takes a cancellation of a request it never had, or already answered, as nothing', async () => {
      const { raw, root } = await ready();
      const uri = uriOf(root, 'src/index.ts');
      const answered = await raw.request('textDocument/hover', hoverAt(uri), 77);
      raw.notify('$/cancelRequest', { id: 77 });
      raw.notify('$/cancelRequest', { id: 'never-sent' });
      raw.notify('$/cancelRequest', {});
      assert.equal(answered.error, undefined);
      assert.equal((await raw.request('textDocument/hover', hoverAt(uri))).error, undefined);
      assert.equal(raw.exit, undefined);
    });

    it('follows a breakwater.json and editor settings changed while an analysis runs', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
      const config = uriOf(root, 'breakwater.json');
      for (const [severity, expected] of [['off', 0], ['error', 1]] as const) {
        const analysing = client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
        fs.writeFileSync(path.join(root, 'breakwater.json'), JSON.stringify({ rules: { 'missing-timeout': severity } }));
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 1 }] });
        await analysing;
        await client.until(() => (timeouts(client!.diagnostics.get(uri)).length === expected ? true : undefined), `missing-timeout ${severity}`);
      }
      assert.equal(timeouts(client.diagnostics.get(uri))[0].severity, 1);
      // Editor settings win over breakwater.json, also when they change mid-analysis.
      const analysing = client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { breakwater: { rules: { 'missing-timeout': 'warn' } } } });
      await analysing;
      await client.until(() => (timeouts(client!.diagnostics.get(uri))[0]?.severity === 2 ? true : undefined), 'the severity of the editor settings');
      assert.equal(await stop(client), 0);
    });

    it('after 1,000 rapid edits, the diagnostics are those of the final text', async () => {
      const root = workspace();
      client = await start(root);
      const uri = uriOf(root, 'src/index.ts');
      await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the first analysis');
      // Edit i has (i % 5) unbounded calls, each on its own line after the import; the last has 4, on lines 1 to 4.
      const text = (i: number) => `import axios from 'axios';\n${Array.from({ length: i % 5 }, (_, n) => `export const load${n} = () => axios.get('http://localhost:3000/items/${i}');\n`).join('')}`;
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 0, text: text(0) } });
      for (let i = 1; i <= 999; i++) void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i }, contentChanges: [{ text: text(i) }] });
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 1000 }, contentChanges: [{ text: text(1004) }] });
      const lines = () => timeouts(client!.diagnostics.get(uri)).map((d) => d.range.start.line);
      await client.until(() => (lines().length === 4 ? true : undefined), 'the diagnostics of the final text', 60_000);
      assert.deepEqual(lines(), [1, 2, 3, 4]);
      // Nothing older arrives afterwards: a request answered after every edit was analysed sees the same.
      await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [] } });
      assert.deepEqual(lines(), [1, 2, 3, 4]);
      assert.equal(client.child.exitCode, null);
      assert.equal(await stop(client), 0);
    });
  });
});
