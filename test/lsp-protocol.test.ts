// The parts of LSP beyond pushed diagnostics, over real stdio to the built server: pull diagnostics (document and
// workspace), cancellation, editor settings, run-on-save, the status notification, the Analyse Workspace command and
// workspace folders coming and going.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { start, stop, type TestClient } from './lsp-client';
import { writeWorkspace } from './rule-tester';

const unbounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items');\n`;
const bounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items', { timeout: 1000 });\n`;

/** What a client that supports LSP 3.17 pull diagnostics says it can do. */
const PULL = { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } };

type DocumentReport = { kind: 'full'; resultId: string; items: Diagnostic[] } | { kind: 'unchanged'; resultId: string };
type WorkspaceReport = { items: Array<{ kind: string; uri: string; resultId: string; items: Diagnostic[] }> };

describe('language server protocol features', function () {
  this.timeout(60_000);
  const roots: string[] = [];
  let client: TestClient | undefined;

  const workspace = (files: Record<string, string>) => {
    const root = writeWorkspace({ name: 'x', files });
    roots.push(root);
    return root;
  };
  const uriOf = (root: string, file: string) => pathToFileURL(path.join(root, file)).toString();
  const timeouts = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).filter((d) => d.code === 'missing-timeout');
  const pullDocument = (uri: string, previousResultId?: string) => client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId }) as Promise<DocumentReport>;

  before(function () {
    if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'server.js'))) this.skip(); // `npm test` builds first
  });
  afterEach(async () => {
    if (client && client.child.exitCode === null) client.child.kill();
    client = undefined;
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers document pulls with result IDs: full, then unchanged, then full again after an edit', async () => {
    const root = workspace({ 'src/index.ts': unbounded });
    client = await start(root, { capabilities: PULL });
    const uri = uriOf(root, 'src/index.ts');

    const first = await pullDocument(uri);
    assert.equal(first.kind, 'full');
    assert.equal(first.kind === 'full' && timeouts(first.items).length, 1);
    assert.deepEqual(await pullDocument(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });

    // A pull right after an edit answers for the edited text, not the one before it.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: bounded }] });
    const edited = await pullDocument(uri, first.resultId);
    assert.equal(edited.kind, 'full');
    assert.notEqual(edited.resultId, first.resultId);
    assert.deepEqual(edited.kind === 'full' && timeouts(edited.items), []);
    assert.ok(client.refreshes >= 1, 'the server asks the client to pull again when diagnostics change');
    // A client that pulls is not also pushed.
    assert.equal(client.diagnostics.size, 0);
    assert.equal(await stop(client), 0);
  });

  it('holds a workspace pull open until something changes, and drops it when cancelled', async () => {
    const root = workspace({ 'src/a.ts': unbounded, 'src/b.ts': bounded });
    client = await start(root, { capabilities: PULL });
    const a = uriOf(root, 'src/a.ts');
    const b = uriOf(root, 'src/b.ts');

    const all = (await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as WorkspaceReport;
    assert.deepEqual(all.items.map((item) => item.uri), [a]); // b.ts never had a finding: not reported
    const previousResultIds = all.items.map((item) => ({ uri: item.uri, value: item.resultId }));

    // Nothing changed: the request stays open; a cancelled request is answered with RequestCancelled.
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest('workspace/diagnostic', { previousResultIds }, source.token);
    source.cancel();
    await assert.rejects(cancelled, (error: { code?: number }) => error.code === -32800);

    // An edit on disk answers the open request with the document that changed (and nothing answers it before).
    let answered = false;
    const waiting = (client.connection.sendRequest('workspace/diagnostic', { previousResultIds }) as Promise<WorkspaceReport>).finally(() => (answered = true));
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: a }, position: { line: 0, character: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(answered, false, 'held open while nothing changes');
    fs.writeFileSync(path.join(root, 'src/b.ts'), unbounded);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: b, type: 2 }] });
    const changed = await waiting;
    assert.deepEqual(changed.items.map((item) => item.uri), [b]);
    assert.equal(timeouts(changed.items[0].items).length, 1);
    assert.equal(await stop(client), 0);
  });

  it('takes rule severities from the editor settings, at start and when they change, over breakwater.json', async () => {
    const root = workspace({ 'src/index.ts': unbounded, 'breakwater.json': '{ "rules": { "missing-timeout": "warn" } }\n' });
    client = await start(root, { initializationOptions: { rules: { 'missing-timeout': 'off', 'not-a-rule': 'loud' } } });
    const uri = uriOf(root, 'src/index.ts');
    await client.until(() => client!.statuses.find((status) => status.state === 'done'), 'an analysis');
    assert.deepEqual(timeouts(client.diagnostics.get(uri)), []);

    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { breakwater: { rules: { 'missing-timeout': 'error' } } } });
    const finding = await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding, now an error');
    assert.equal(finding.severity, 1);

    // Settings from another extension's section are not Breakwater's.
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { eslint: { enable: false } } });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { breakwater: { rules: {} } } });
    await client.until(() => (timeouts(client!.diagnostics.get(uri))[0]?.severity === 2 ? true : undefined), 'the severity of breakwater.json again');
    assert.equal(await stop(client), 0);
  });

  it('with run: onSave, analyses an edited buffer when it is saved, not as it is typed', async () => {
    const root = workspace({ 'src/index.ts': unbounded });
    client = await start(root, { capabilities: PULL, initializationOptions: { run: 'onSave' } });
    const uri = uriOf(root, 'src/index.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    const before = await pullDocument(uri);
    assert.equal(before.kind === 'full' && timeouts(before.items).length, 1);

    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: bounded }] });
    assert.deepEqual(await pullDocument(uri, before.resultId), { kind: 'unchanged', resultId: before.resultId });

    fs.writeFileSync(path.join(root, 'src/index.ts'), bounded);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const saved = await pullDocument(uri, before.resultId);
    assert.deepEqual(saved.kind === 'full' && timeouts(saved.items), []);
    assert.equal(await stop(client), 0);
  });

  it('sends a status after each analysis, and Analyse Workspace finds files nobody told it about', async () => {
    const root = workspace({ 'src/index.ts': bounded });
    client = await start(root);
    const done = await client.until(() => client!.statuses.find((status) => status.state === 'done'), 'a done status');
    assert.equal(done.folder, pathToFileURL(root).toString());
    assert.equal(done.findings, 0);
    assert.equal(done.files, 1);
    assert.equal(typeof done.durationMs, 'number');
    assert.equal(client.statuses[0].state, 'analysing');

    fs.writeFileSync(path.join(root, 'src/new.ts'), unbounded);
    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
    assert.equal(timeouts(client.diagnostics.get(uriOf(root, 'src/new.ts'))).length, 1, 'the command returns once the new analysis is reported');
    assert.deepEqual(client.statuses.filter((status) => status.state === 'done').map((status) => status.findings), [0, 1]);
    assert.equal(await stop(client), 0);
  });

  it('keeps the last count while it analyses, counts what the Problems panel shows, flags a broken config, and logs each analysis', async () => {
    const root = workspace({ 'src/index.ts': unbounded, 'src/other.ts': unbounded });
    client = await start(root);
    const dones = () => client!.statuses.filter((status) => status.state === 'done');
    await client.until(() => dones()[0], 'the first analysis');
    assert.equal(dones()[0].findings, 2);
    await client.until(() => client!.logs.find((line) => /analysed .*: 2 files, 2 findings shown, 0 file notices, \d+ ms$/.test(line)), 'the analysis in the log');

    // A rule the editor turns off leaves the panel, and the count with it.
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { breakwater: { rules: { 'missing-timeout': 'off' } } } });
    await client.until(() => (dones().at(-1)?.findings === 0 ? true : undefined), 'a count of 0 with the rule off');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { breakwater: { rules: {} } } });
    await client.until(() => (dones().at(-1)?.findings === 2 ? true : undefined), 'the count back at 2');

    // The next analysis starts with the count it had, not 0.
    const before = client.statuses.length;
    fs.writeFileSync(path.join(root, 'src/third.ts'), unbounded);
    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
    const analysing = client.statuses.slice(before).find((status) => status.state === 'analysing');
    assert.equal(analysing?.findings, 2);
    assert.equal(dones().at(-1)?.findings, 3);

    // A broken breakwater.json: the analysis goes on with the last good config, and the status says so.
    fs.writeFileSync(path.join(root, 'breakwater.json'), '{ "rules": { ');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, 'breakwater.json'), type: 1 }] });
    const flagged = await client.until(() => dones().find((status) => status.configError), 'a done status with the config error');
    assert.equal(flagged.findings, 3);
    await client.until(() => client!.logs.find((line) => line.includes('the last good configuration is used')), 'the config error in the log');
    assert.equal(await stop(client), 0);
  });

  it('Create Configuration writes a breakwater.json stating what it found and opens it; an existing one is opened, not replaced', async () => {
    const root = workspace({ 'src/index.ts': unbounded, 'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/index.js' } }) });
    client = await start(root);
    await client.until(() => client!.statuses.find((status) => status.state === 'done'), 'the first analysis');
    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.createConfig', arguments: [pathToFileURL(root).toString()] });
    const config = path.join(root, 'breakwater.json');
    const text = fs.readFileSync(config, 'utf8');
    assert.match(text, /^\s*\/\/ {3}api \(\.\): /m);
    assert.match(text, /"missing-timeout": "warn", \/\/ 1 finding$/m);
    assert.deepEqual(client.shown, [pathToFileURL(config).toString()]);

    fs.writeFileSync(config, '{}\n');
    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.createConfig', arguments: [] });
    assert.equal(fs.readFileSync(config, 'utf8'), '{}\n');
    assert.equal(client.shown.length, 2);
    assert.equal(await stop(client), 0);
  });

  it('does not analyse again when a document opens or closes with the text already analysed', async () => {
    const root = workspace({ 'src/index.ts': unbounded });
    client = await start(root);
    const uri = uriOf(root, 'src/index.ts');
    await client.until(() => client!.statuses.find((status) => status.state === 'done'), 'the first analysis');
    const analyses = () => client!.statuses.filter((status) => status.state === 'analysing').length;
    // A request answered after a notification shows whether the notification queued an analysis (its status goes first).
    const settle = () => client!.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    await settle();
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await settle();
    assert.equal(analyses(), 1);
    // An open with other text than the disk's is analysed.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: bounded } });
    await settle();
    assert.equal(analyses(), 2);
    assert.equal(await stop(client), 0);
  });

  it('offers code-changing fixes only for the text the findings came from (run: onSave, unsaved edits)', async () => {
    const root = workspace({ 'src/index.ts': unbounded });
    client = await start(root, { initializationOptions: { run: 'onSave' } });
    const uri = uriOf(root, 'src/index.ts');
    const finding = await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
    const titles = async (diagnostic: Diagnostic) =>
      ((await client!.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as Array<{ title: string }>).map((action) => action.title);
    assert.ok((await titles(finding)).includes('Add `timeout: 5000`'));

    // A line inserted above, unsaved: the finding's position (1:26) now names another call, so no fix may edit by it.
    const edited = `import axios from 'axios';\nexport const list = () => axios.get('http://localhost:3000/other', { headers: {} });\n${unbounded.split('\n').slice(1).join('\n')}`;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    const stale = await titles(finding);
    assert.ok(!stale.some((title) => title.startsWith('Add ')), stale.join(', '));
    assert.ok(stale.includes('Disable missing-timeout for this line'));

    fs.writeFileSync(path.join(root, 'src/index.ts'), edited);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const moved = await client.until(() => timeouts(client!.diagnostics.get(uri)).find((d) => d.range.start.line === 2), 'the finding on its new line');
    assert.ok((await titles(moved)).includes('Add `timeout: 5000`'));
    assert.equal(await stop(client), 0);
  });

  it('treats a file saved with a byte-order mark as the text editors show: no analysis on open, fixes offered', async () => {
    const root = workspace({ 'src/index.ts': `\uFEFF${unbounded}` });
    client = await start(root);
    const uri = uriOf(root, 'src/index.ts');
    const finding = await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding');
    const analyses = () => client!.statuses.filter((status) => status.state === 'analysing').length;
    // Editors drop the mark from the document's text.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } })) as Array<{ title: string }>;
    assert.equal(analyses(), 1);
    assert.ok(actions.some((action) => action.title === 'Add `timeout: 5000`'), actions.map((action) => action.title).join(', '));
    assert.equal(await stop(client), 0);
  });

  it('reports a file of nested workspace folders once, from the innermost, and keeps it current', async () => {
    const outer = workspace({ 'src/index.ts': bounded, 'inner/package.json': '{ "name": "inner" }', 'inner/src/index.ts': unbounded });
    const inner = path.join(outer, 'inner');
    client = await start(outer, { moreFolders: [inner] });
    const uri = uriOf(inner, 'src/index.ts');
    await client.until(() => timeouts(client!.diagnostics.get(uri))[0], 'the finding in the inner folder');
    const done = () => client!.statuses.filter((status) => status.state === 'done').length;
    await client.until(() => (done() >= 2 ? true : undefined), 'both folders analysed');
    const before = done();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: bounded }] });
    await client.until(() => (done() >= before + 2 ? true : undefined), 'both folders to analyse the edit');
    assert.deepEqual(timeouts(client.diagnostics.get(uri)), []);
    assert.equal(await stop(client), 0);
  });

  it('forgets a folder removed while it is analysed: it reports nothing more, and its item leaves the status', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 2000; index++) files[`src/module-${index}.ts`] = `import axios from 'axios';\nexport const load${index} = () => axios.get('http://localhost:3000/items/${index}');\n`;
    const root = workspace(files);
    client = await start(root, { capabilities: { workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } } });
    const uri = uriOf(root, 'src/module-0.ts');
    await new Promise<void>((resolve) => {
      client!.onProgress = (_, kind) => {
        if (kind !== 'begin') return;
        client!.onProgress = undefined;
        // An edit queues another analysis, then the folder goes.
        void client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: bounded } });
        void client!.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: pathToFileURL(root).toString(), name: 'folder0' }] } });
        resolve();
      };
    });
    await client.until(() => client!.statuses.find((status) => status.state === 'removed'), 'the removed status');
    // The run in progress stops at its next check (every 20 ms) and the queued one never starts; a grace period for both.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual([...client.diagnostics.values()].filter((list) => list.length > 0), []);
    assert.ok(!client.statuses.some((status) => status.state === 'done'));
    assert.equal(await stop(client), 0);
  });

  it('analyses workspace folders added later, and clears the diagnostics of removed ones', async () => {
    const first = workspace({ 'src/index.ts': unbounded });
    const second = workspace({ 'src/index.ts': unbounded });
    client = await start(first, { capabilities: { workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } } });
    await client.until(() => timeouts(client!.diagnostics.get(uriOf(first, 'src/index.ts')))[0], 'the first folder');

    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(second).toString(), name: 'second' }], removed: [] } });
    await client.until(() => timeouts(client!.diagnostics.get(uriOf(second, 'src/index.ts')))[0], 'the added folder');

    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: pathToFileURL(first).toString(), name: 'x' }] } });
    await client.until(() => (client!.diagnostics.get(uriOf(first, 'src/index.ts'))?.length === 0 ? true : undefined), 'the removed folder to clear');
    assert.equal(timeouts(client.diagnostics.get(uriOf(second, 'src/index.ts'))).length, 1);
    assert.equal(await stop(client), 0);
  });

  it('never runs workspace code: sources, config-like scripts and package scripts are only read', async () => {
    const marker = (name: string) => path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bw-marker-')), name);
    const markers = ['source', 'config', 'rc', 'prepare', 'plugin'].map(marker);
    const writes = (file: string) => `require('node:fs').writeFileSync(${JSON.stringify(file)}, 'ran');\n`;
    const root = workspace({
      'src/index.ts': writes(markers[0]) + unbounded,
      'breakwater.config.js': writes(markers[1]),
      '.breakwaterrc.js': writes(markers[2]),
      'package.json': JSON.stringify({ name: 'x', scripts: { prepare: `node -e "${writes(markers[3]).trim().replace(/"/g, '\\"')}"` }, eslintConfig: { plugins: ['local'] } }),
      'node_modules/eslint-plugin-local/index.js': writes(markers[4]),
      'tsconfig.json': JSON.stringify({ compilerOptions: { plugins: [{ name: 'eslint-plugin-local' }] } }),
    });
    roots.push(...markers.map((file) => path.dirname(file)));
    client = await start(root);
    await client.until(() => timeouts(client!.diagnostics.get(uriOf(root, 'src/index.ts')))[0], 'the finding in the analysed source');
    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
    assert.deepEqual(markers.filter((file) => fs.existsSync(file)), []);
    assert.equal(await stop(client), 0);
  });

  it('stops a whole-workspace analysis when the user cancels its progress, and runs again on request', async () => {
    // Enough files that the analysis is still extracting when the cancel arrives.
    const files: Record<string, string> = {};
    for (let index = 0; index < 3000; index++) files[`src/module-${index}.ts`] = `import axios from 'axios';\nexport const load${index} = () => axios.get('http://localhost:3000/items/${index}');\n`;
    const root = workspace(files);
    client = await start(root);
    const cancelled = new Promise<void>((resolve) => {
      client!.onProgress = (token, kind) => {
        if (kind !== 'begin') return;
        client!.onProgress = undefined;
        void client!.connection.sendNotification('window/workDoneProgress/cancel', { token });
        resolve();
      };
    });
    await cancelled;
    const status = await client.until(() => client!.statuses.find((status) => status.state !== 'analysing'), 'the analysis to end');
    assert.equal(status.state, 'cancelled');
    assert.equal(client.diagnostics.size, 0);

    await client.connection.sendRequest('workspace/executeCommand', { command: 'breakwater.analyseWorkspace', arguments: [] });
    assert.equal(client.diagnostics.size, 3000);
    assert.equal(await stop(client), 0);
  });
});
