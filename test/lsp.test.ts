// The language server as an editor sees it: the built server spawned as a process, real LSP over stdio (JSON-RPC
// framing and all), and the same findings as the CLI.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { analyse } from '../engine';
import { applyEdits, start, stop, type TestClient } from './lsp-client';
import { writeWorkspace } from './rule-tester';

const unbounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items');\n`;
const bounded = `import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items', { timeout: 1000 });\n`;

describe('language server over stdio', function () {
  this.timeout(60_000);
  let root: string;
  let client: TestClient | undefined;

  before(function () {
    if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'server.js'))) this.skip(); // `npm test` builds first
  });
  afterEach(async () => {
    if (client && client.child.exitCode === null) client.child.kill();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes the findings of the workspace, with rule code, doc link and range, then updates on edits', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded } });
    client = await start(root);
    const uri = pathToFileURL(path.join(root, 'src/index.ts')).toString();
    const first = await client.until(() => client!.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), 'a missing-timeout diagnostic');
    assert.equal(first.source, 'breakwater');
    assert.equal(first.severity, 2);
    assert.deepEqual(first.range.start, { line: 1, character: 26 }); // the `a` of `axios.get(`
    // The doc link opens the page that ships with the server (dist/ is one folder below the package root), offline.
    assert.equal(first.codeDescription!.href, pathToFileURL(path.join(__dirname, '..', 'docs', 'rules', 'missing-timeout.md')).href);

    // An unsaved edit that adds a timeout clears the finding; closing the buffer brings the disk's text back.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: unbounded } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: bounded }] });
    await client.until(() => (client!.diagnostics.get(uri)?.some((d) => d.code === 'missing-timeout') ? undefined : true), 'the finding to clear');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.until(() => client!.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), 'the finding to come back');

    assert.equal(await stop(client), 0);
  });

  it('offers disable-line, disable-file and show-docs actions that work, and hovers with what was resolved', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded } });
    client = await start(root);
    const file = path.join(root, 'src/index.ts');
    const uri = pathToFileURL(file).toString();
    const diagnostic = await client.until(() => client!.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), 'a missing-timeout diagnostic');

    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: diagnostic.range.start })) as { contents: { value: string } };
    assert.match(hover.contents.value, /axios\.get\(\)\*\* — axios \(http\) call to localhost/);
    assert.match(hover.contents.value, /Timeout: none — axios has no timeout by default/);
    // The panel shows what is wrong and what to do, as plain text; the hover adds why, with the rule.
    assert.equal(diagnostic.message, 'axios.get() has no timeout for its call to localhost: set timeout (ms) in its config.');
    assert.match(hover.contents.value, /^`axios\.get\(\)` has no timeout for its call to localhost: .* Why: .*\(missing-timeout\)$/m);

    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as Array<{
      title: string;
      edit?: { changes: Record<string, Array<{ range: { start: { line: number } }; newText: string }>> };
      command?: { command: string; arguments: unknown[] };
    }>;
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Disable missing-timeout for this line'), titles.join(', '));
    assert.ok(titles.includes('Disable missing-timeout for the entire file'));
    assert.ok(titles.includes('Show documentation for missing-timeout'));

    // Applying "disable for this line" the way an editor does makes the finding go away.
    const disable = actions.find((action) => action.title === 'Disable missing-timeout for this line')!;
    const [edit] = disable.edit!.changes[uri];
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
    fs.writeFileSync(file, lines.join('\n'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await client.until(() => (client!.diagnostics.get(uri)?.some((d) => d.code === 'missing-timeout') ? undefined : true), 'the suppressed finding to clear');
    assert.match(fs.readFileSync(file, 'utf8'), /\/\/ breakwater-disable-next-line missing-timeout\nexport const load/, 'no placeholder is left in the code');

    const docs = actions.find((action) => action.title === 'Show documentation for missing-timeout')!;
    await client.connection.sendRequest('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    assert.deepEqual(client.shown, [diagnostic.codeDescription!.href]);
    assert.deepEqual(client.shownExternally, [false], 'the packaged page opens in the editor, not a browser');
    assert.equal(await stop(client), 0);
  });

  it('hovers a call with the downstream its origin names, not a variable of its path', async () => {
    const code = `export const plan = () => fetch(\`\${process.env.BILLING_URL}/tenants/\${process.env.TENANT_ID}/plan\`);\n`;
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': code } });
    client = await start(root);
    const uri = pathToFileURL(path.join(root, 'src/index.ts')).toString();
    const diagnostic = await client.until(() => client!.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), 'a missing-timeout diagnostic');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: diagnostic.range.start })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\(http\) call to the downstream at BILLING_URL$/m);
    assert.doesNotMatch(hover.contents.value, /call to .*TENANT_ID/);
    assert.equal(await stop(client), 0);
  });

  it("quick-fixes missing-timeout with each library's own option, and the result parses and passes", async () => {
    const files: Record<string, string> = {
      'src/axios-call.ts': `import axios from 'axios';\nexport const a = () => axios.get('http://localhost:1/a').then((r) => r.data);\n`,
      'src/axios-client.ts': `import axios from 'axios';\nexport const api = axios.create({\n  baseURL: 'http://localhost:1',\n  headers: { accept: 'json' },\n});\nexport const b = () => api.get('/b');\n`,
      'src/fetch.ts': `export async function c() {\n  const res = await fetch('http://localhost:1/c');\n  return res.json();\n}\n`,
      'src/got.ts': `import got from 'got';\nexport const d = () => got('http://localhost:1/d', { method: 'POST' });\n`,
      'src/pg.ts': `import { Pool } from 'pg';\nexport const pool = new Pool();\nexport const e = () => pool.query('select 1');\n`,
      'src/redis.ts': `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL!);\nexport const f = () => redis.get('k');\n`,
    };
    root = writeWorkspace({ name: 'x', files });
    client = await start(root);
    const uris = Object.keys(files).map((file) => pathToFileURL(path.join(root, file)).toString());
    await client.until(() => (uris.every((uri) => client!.diagnostics.get(uri)?.some((d) => d.code === 'missing-timeout')) ? true : undefined), 'a finding in every file');

    const titles: string[] = [];
    for (const [index, file] of Object.keys(files).entries()) {
      const uri = uris[index];
      const diagnostic = client.diagnostics.get(uri)!.find((d) => d.code === 'missing-timeout')!;
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as Array<{
        title: string;
        isPreferred?: boolean;
        edit?: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> };
      }>;
      const fix = actions.find((action) => action.isPreferred);
      assert.ok(fix, `no quick fix for ${file}: ${actions.map((action) => action.title).join(', ')}`);
      titles.push(fix.title);
      const text = applyEdits(fs.readFileSync(path.join(root, file), 'utf8'), fix.edit!.changes[uri]);
      // The fixed file is valid TypeScript (no syntax errors).
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      assert.deepEqual((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics, [], text);
      fs.writeFileSync(path.join(root, file), text);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    }
    assert.deepEqual(titles, [
      'Add `timeout: 5000`',
      'Add `timeout: 5000`',
      'Add `signal: AbortSignal.timeout(5000)`',
      'Add `timeout: { request: 5000 }`',
      'Add `statement_timeout: 5000`',
      'Add `commandTimeout: 5000`',
    ]);
    await client.until(() => (uris.some((uri) => client!.diagnostics.get(uri)?.some((d) => d.code === 'missing-timeout')) ? undefined : true), 'every finding fixed');
    assert.match(fs.readFileSync(path.join(root, 'src/axios-client.ts'), 'utf8'), /  headers: \{ accept: 'json' \},\n  timeout: 5000,\n\}\);/);
    assert.equal(await stop(client), 0);
  });

  it('reports progress while it analyses, and fixes all of a document with source.fixAll.breakwater', async () => {
    const files = { 'src/index.ts': `import axios from 'axios';\nexport const a = () => axios.get('http://localhost:1/a');\nexport const b = () => fetch('http://localhost:1/b');\n` };
    root = writeWorkspace({ name: 'x', files });
    client = await start(root);
    const uri = pathToFileURL(path.join(root, 'src/index.ts')).toString();
    await client.until(() => (client!.diagnostics.get(uri)?.filter((d) => d.code === 'missing-timeout').length === 2 ? true : undefined), 'two findings');
    assert.equal(client.progress[0], 'begin');
    assert.equal(client.progress[client.progress.length - 1], 'end');

    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as Array<{ kind: string; edit: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> } }>;
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.breakwater');
    const fixed = applyEdits(files['src/index.ts'], actions[0].edit.changes[uri]);
    assert.equal(fixed, `import axios from 'axios';\nexport const a = () => axios.get('http://localhost:1/a', { timeout: 5000 });\nexport const b = () => fetch('http://localhost:1/b', { signal: AbortSignal.timeout(5000) });\n`);
    assert.equal(await stop(client), 0);
  });

  it("the extension's self-contained server, started as the extension starts it, works with no node_modules beside it", async function () {
    const dist = path.join(__dirname, '..', 'dist');
    if (!fs.existsSync(path.join(dist, 'extension-launcher.js'))) this.skip(); // built by `npm test` (scripts/build.mjs --extension)
    const alone = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bw-server-'));
    for (const file of ['extension-launcher.js', 'extension-server.js']) fs.copyFileSync(path.join(dist, file), path.join(alone, file));
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded } });
    try {
      client = await start(root, { script: path.join(alone, 'extension-launcher.js') });
      const uri = pathToFileURL(path.join(root, 'src/index.ts')).toString();
      await client.until(() => client!.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), 'a missing-timeout diagnostic');
      assert.equal(await stop(client), 0);
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });

  it('shows a broken breakwater.json as a diagnostic on it and keeps serving with the last good config', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded, 'breakwater.json': '{ "rules": { "missing-timeout": "error" } }\n' } });
    client = await start(root);
    const source = pathToFileURL(path.join(root, 'src/index.ts')).toString();
    const config = pathToFileURL(path.join(root, 'breakwater.json')).toString();
    await client.until(() => client!.diagnostics.get(source)?.find((d) => d.code === 'missing-timeout' && d.severity === 1), 'an error-severity finding');

    fs.writeFileSync(path.join(root, 'breakwater.json'), '{\n  "rules": { "missing-timeout": "loud" }\n}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
    const problem = await client.until(() => client!.diagnostics.get(config)?.find((d) => d.code === 'config'), 'a config diagnostic');
    assert.equal(problem.range.start.line, 1);
    assert.match(typeof problem.message === 'string' ? problem.message : problem.message.value, /missing-timeout/);
    // The last good config (severity error) is still in force.
    assert.equal(client.diagnostics.get(source)?.find((d) => d.code === 'missing-timeout')?.severity, 1);
    assert.equal(await stop(client), 0);
  });

  it('reports exactly what the engine (and so the CLI) reports on examples/shop', async () => {
    // `root` is what afterEach deletes, so the example is never assigned to it.
    root = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bw-'));
    const shop = path.join(__dirname, '..', 'examples', 'shop');
    const expected = (await analyse(shop)).findings.filter((finding) => !finding.suppressed);
    client = await start(shop);
    const count = () => [...client!.diagnostics.values()].reduce((sum, list) => sum + list.length, 0);
    await client.until(() => (count() >= expected.length ? true : undefined), `${expected.length} diagnostics`);
    const actual = [...client.diagnostics].flatMap(([uri, list]) => list.map((d) => `${path.relative(shop, new URL(uri).pathname)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`)).sort();
    assert.deepEqual(actual, expected.map((f) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.ruleId}`).sort());
    assert.equal(await stop(client), 0);
  });

  it('a workspace folder inside a workspace is analysed from its root and reports its own files; a file outside every folder gets the workspace around it', async () => {
    root = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bw-'));
    const shop = path.join(__dirname, '..', 'examples', 'shop');
    const all = (await analyse(shop)).findings.filter((finding) => !finding.suppressed);
    const key = (f: (typeof all)[number]) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.ruleId}`;
    // What `breakwater check services/orders` (and `check . --service orders`) reports.
    const orders = all.filter((f) => f.location.file.startsWith('services/orders/')).map(key).sort();
    client = await start(path.join(shop, 'services', 'orders'));
    const listed = () => [...client!.diagnostics].flatMap(([uri, list]) => list.map((d) => `${path.relative(shop, new URL(uri).pathname)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`)).sort();
    await client.until(() => (listed().length >= orders.length ? true : undefined), `${orders.length} diagnostics`);
    assert.deepEqual(listed(), orders);

    // A payments file, outside the only workspace folder: the shop's root is found above it and analysed.
    const ledger = path.join(shop, 'services/payments/src/ledger.repository.ts');
    const uri = pathToFileURL(ledger).toString();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(ledger, 'utf8') } });
    const payments = all.filter((f) => f.location.file === 'services/payments/src/ledger.repository.ts').map(key);
    assert.ok(payments.length > 0);
    await client.until(() => (client!.diagnostics.get(uri)?.length === payments.length ? true : undefined), 'the payments file\'s diagnostics');
    assert.deepEqual(listed().filter((line) => line.startsWith('services/orders/')), orders, 'the orders folder still reports its files, once');
    assert.equal(await stop(client), 0);
  });
});
