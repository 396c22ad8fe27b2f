// Every quick fix as an editor applies it: the built server over real LSP, the code action requested for the
// diagnostic, its edits applied, and the result type-checked by the TypeScript compiler against the libraries' real
// declarations (the repository's devDependencies). Each fixture compiles before the fix, so an error after it is the
// fix's fault; then the workspace is re-analysed and the finding must be gone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits, start, stop, type LspTextEdit, type TestClient } from './lsp-client';
import { monorepo, writeWorkspace } from './rule-tester';

const repoModules = path.join(__dirname, '..', 'node_modules');

interface Action {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes: Record<string, LspTextEdit[]> };
  command?: { command: string; arguments: unknown[] };
}

/** Type-checks the workspace's source files with the repository's node_modules; returns the errors, one line each. */
function typeCheck(root: string): string[] {
  const link = path.join(root, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(repoModules, link, 'dir');
  const files = sourceFiles(root);
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    typeRoots: [path.join(repoModules, '@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${path.relative(root, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name)) found.push(full);
    }
  };
  walk(root);
  return found;
}

const service = (dependencies: Record<string, string> = {}) => JSON.stringify({ name: 'orders', scripts: { start: 'node dist/main.js' }, dependencies });
const GENERIC = /^(Disable |Show documentation)/;

describe('quick fixes, type-checked', function () {
  this.timeout(120_000);
  let root: string | undefined;
  let client: TestClient | undefined;

  before(function () {
    if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'server.js'))) this.skip(); // `npm test` builds first
  });
  afterEach(async () => {
    if (client && client.child.exitCode === null) await stop(client).catch(() => client?.child.kill());
    client = undefined;
    if (root) fs.rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  const uriOf = (file: string) => pathToFileURL(path.join(root!, file)).toString();

  /** The diagnostic of `rule` that starts at the first occurrence of `at` in `file`. */
  async function diagnosticAt(files: Record<string, string>, file: string, rule: string, at: string): Promise<Diagnostic> {
    const index = files[file].indexOf(at);
    assert.ok(index >= 0, `"${at}" is not in ${file}`);
    const before = files[file].slice(0, index).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    return client!.until(
      () => client!.diagnostics.get(uriOf(file))?.find((d) => d.code === rule && d.range.start.line === position.line && d.range.start.character === position.character),
      `a ${rule} diagnostic at ${file}:${position.line + 1}:${position.character + 1}`,
    );
  }

  async function actionsFor(file: string, diagnostic: Diagnostic): Promise<Action[]> {
    return (await client!.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as Action[];
  }

  /** Opens the workspace, checks it compiles, and returns the rule-specific actions offered at `at`. */
  async function open(files: Record<string, string>, file: string, rule: string, at: string): Promise<Action[]> {
    root = writeWorkspace({ name: 'fixture', files });
    assert.deepEqual(typeCheck(root), [], 'the fixture compiles before any fix');
    client = await start(root);
    const diagnostic = await diagnosticAt(files, file, rule, at);
    return (await actionsFor(file, diagnostic)).filter((action) => !GENERIC.test(action.title));
  }

  /** Applies the action's edits to `file` on disk and tells the server, then returns the new text. */
  async function apply(file: string, action: Action): Promise<string> {
    const changes = action.edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes), [uriOf(file)], 'a fix edits only the document it is for');
    const absolute = path.join(root!, file);
    const text = applyEdits(fs.readFileSync(absolute, 'utf8'), changes[uriOf(file)]);
    fs.writeFileSync(absolute, text);
    await client!.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 2 }] });
    return text;
  }

  const count = (file: string, rule: string) => client!.diagnostics.get(uriOf(file))?.filter((d) => d.code === rule).length ?? 0;

  /** Waits until `file` has fewer diagnostics of `rule` than `before` (after a fix and a re-analysis): the fixed finding is gone. */
  async function gone(file: string, rule: string, before = 1): Promise<void> {
    await client!.until(() => (count(file, rule) < before ? true : undefined), `the ${rule} finding in ${file} to go`);
  }

  /** The whole check for one fix: offered with this title, compiles after, the finding goes, and the text is as expected. */
  async function fixes(options: { files: Record<string, string>; file: string; rule: string; at: string; title: RegExp; expected: string }): Promise<void> {
    const actions = await open(options.files, options.file, options.rule, options.at);
    const action = actions.find((candidate) => options.title.test(candidate.title));
    assert.ok(action, `no "${options.title}" fix; offered: ${actions.map((candidate) => candidate.title).join(' | ')}`);
    const before = count(options.file, options.rule);
    const text = await apply(options.file, action);
    assert.equal(text, options.expected);
    assert.deepEqual(typeCheck(root!), [], `the fixed code compiles:\n${text}`);
    await gone(options.file, options.rule, before);
    assert.equal(await stop(client!), 0);
  }

  describe('the type check itself', () => {
    it('catches a deliberately broken edit (a wrong option, a string timeout, a call outside its breaker)', () => {
      root = writeWorkspace({ name: 'fixture', files: { 'src/a.ts': `import axios from 'axios';\nexport const a = () => axios.get('http://inventory:3000/a');\n` } });
      assert.deepEqual(typeCheck(root), []);
      const file = path.join(root, 'src/a.ts');
      for (const broken of [`{ timeoutMs: 5000 }`, `{ timeout: '5000' }`]) {
        fs.writeFileSync(file, `import axios from 'axios';\nexport const a = () => axios.get('http://inventory:3000/a', ${broken});\n`);
        assert.notDeepEqual(typeCheck(root), [], broken);
      }
      // opossum's fire() loses the call's type: `.data` of its result does not compile.
      fs.writeFileSync(file, `import axios from 'axios';\nimport CircuitBreaker from 'opossum';\nconst b = new CircuitBreaker((call: () => Promise<unknown>) => call());\nexport const a = async () => (await b.fire(() => axios.get('http://inventory:3000/a'))).data;\n`);
      assert.match(typeCheck(root).join('\n'), /unknown/);
    });
  });

  describe('missing-timeout, for every library whose catalog entry has an insert', () => {
    const cases: Array<{ library: string; source: string; at: string; title: string; fixed: string }> = [
      { library: 'axios (call)', source: `import axios from 'axios';\nexport const a = () => axios.get('http://localhost:1/a').then((r) => r.data);\n`, at: 'axios.get(', title: 'Add `timeout: 5000`', fixed: `axios.get('http://localhost:1/a', { timeout: 5000 })` },
      {
        library: 'axios (client, multi-line with trailing comma)',
        source: `import axios from 'axios';\nexport const api = axios.create({\n  baseURL: 'http://localhost:1',\n  headers: { accept: 'json' },\n});\nexport const b = () => api.get('/b');\n`,
        at: 'axios.create(',
        title: 'Add `timeout: 5000`',
        fixed: `  headers: { accept: 'json' },\n  timeout: 5000,\n});`,
      },
      { library: 'fetch', source: `export async function c() {\n  const res = await fetch('http://localhost:1/c');\n  return res.json();\n}\n`, at: 'fetch(', title: 'Add `signal: AbortSignal.timeout(5000)`', fixed: `fetch('http://localhost:1/c', { signal: AbortSignal.timeout(5000) })` },
      { library: 'node-fetch', source: `import fetch from 'node-fetch';\nexport const c = async () => (await fetch('http://localhost:1/c', { method: 'GET' })).json();\n`, at: 'fetch(', title: 'Add `signal: AbortSignal.timeout(5000)`', fixed: `{ method: 'GET', signal: AbortSignal.timeout(5000) }` },
      { library: 'got', source: `import got from 'got';\nexport const d = () => got('http://localhost:1/d', { method: 'POST' }).json();\n`, at: 'got(', title: 'Add `timeout: { request: 5000 }`', fixed: `{ method: 'POST', timeout: { request: 5000 } }` },
      { library: 'node:http', source: `import http from 'node:http';\nexport const e = () => http.request({ host: 'localhost', port: 1, path: '/e' }).end();\n`, at: 'http.request(', title: 'Add `signal: AbortSignal.timeout(5000)`', fixed: `{ host: 'localhost', port: 1, path: '/e', signal: AbortSignal.timeout(5000) }` },
      { library: 'pg', source: `import { Pool } from 'pg';\nexport const pool = new Pool();\nexport const f = () => pool.query('select 1');\n`, at: 'new Pool(', title: 'Add `statement_timeout: 5000`', fixed: `new Pool({ statement_timeout: 5000 })` },
      { library: 'mongodb', source: `import { MongoClient } from 'mongodb';\nexport const mongo = new MongoClient('mongodb://localhost:27017/shop');\nexport const g = () => mongo.db().collection('items').findOne({});\n`, at: 'new MongoClient(', title: 'Add `socketTimeoutMS: 5000`', fixed: `new MongoClient('mongodb://localhost:27017/shop', { socketTimeoutMS: 5000 })` },
      { library: 'ioredis', source: `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL!);\nexport const h = () => redis.get('k');\n`, at: 'new Redis(', title: 'Add `commandTimeout: 5000`', fixed: `new Redis(process.env.REDIS_URL!, { commandTimeout: 5000 })` },
      { library: 'amqplib', source: `import amqp from 'amqplib';\nexport const connection = amqp.connect('amqp://localhost');\n`, at: 'amqp.connect(', title: 'Add `timeout: 5000`', fixed: `amqp.connect('amqp://localhost', { timeout: 5000 })` },
    ];
    for (const testCase of cases) {
      it(testCase.library, async () => {
        const files = { 'package.json': service(), 'src/index.ts': testCase.source };
        const actions = await open(files, 'src/index.ts', 'missing-timeout', testCase.at);
        const fix = actions.find((action) => action.isPreferred);
        assert.equal(fix?.title, testCase.title);
        const text = await apply('src/index.ts', fix!);
        assert.ok(text.includes(testCase.fixed), text);
        assert.deepEqual(typeCheck(root!), [], `the fixed code compiles:\n${text}`);
        await gone('src/index.ts', 'missing-timeout');
        assert.equal(await stop(client!), 0);
      });
    }
  });

  describe('unguarded-downstream-call', () => {
    const stock = `export async function stock(sku: string): Promise<number> {\n  const { data } = await axios.get<{ available: number }>(\`http://inventory:3000/stock/\${sku}\`, { timeout: 2000 });\n  return data.available;\n}\n`;

    it('wraps the call in a new cockatiel breaker for the downstream, at module level, when cockatiel is a dependency', async () => {
      await fixes({
        files: { 'package.json': service({ axios: '1', cockatiel: '3' }), 'src/stock.ts': `import axios from 'axios';\n\n${stock}` },
        file: 'src/stock.ts',
        rule: 'unguarded-downstream-call',
        at: 'axios.get',
        title: /new cockatiel breaker for inventory/,
        expected:
          `import axios from 'axios';\nimport { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';\n\n` +
          `const inventoryBreaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });\n\n` +
          stock.replace('await axios.get<{ available: number }>(`http://inventory:3000/stock/${sku}`, { timeout: 2000 })', 'await inventoryBreaker.execute(() => axios.get<{ available: number }>(`http://inventory:3000/stock/${sku}`, { timeout: 2000 }))'),
      });
    });

    it('with opossum, creates the breaker once and a typed runner, in the style of the file (no semicolons, double quotes)', async () => {
      const source = `import axios from "axios"\n\n${stock.replace(/;\n/g, '\n').replace(/'/g, '"')}`;
      await fixes({
        files: { 'package.json': service({ axios: '1', opossum: '9' }), 'src/stock.ts': source },
        file: 'src/stock.ts',
        rule: 'unguarded-downstream-call',
        at: 'axios.get',
        title: /new opossum breaker for inventory/,
        expected:
          `import axios from "axios"\nimport CircuitBreaker from "opossum"\n\n` +
          `const inventoryBreaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), { errorThresholdPercentage: 50, resetTimeout: 10_000 })\n` +
          `function withInventoryBreaker<T>(call: () => Promise<T>): Promise<T> {\n  return inventoryBreaker.fire(call) as Promise<T>\n}\n\n` +
          source.slice(source.indexOf('export')).replace('await axios.get', 'await withInventoryBreaker(() => axios.get').replace('{ timeout: 2000 })', '{ timeout: 2000 }))'),
      });
    });

    it("reuses the cockatiel policy that already guards the service's other calls to the same downstream", async () => {
      const source =
        `import axios from 'axios';\nimport { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';\n\n` +
        `const inventoryPolicy = circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) });\n\n` +
        `export const reserve = (sku: string) => inventoryPolicy.execute(() => axios.post('http://inventory:3000/reservations', { sku }, { timeout: 1000 }));\n` +
        `export const release = (sku: string) => axios.delete(\`http://inventory:3000/reservations/\${sku}\`, { timeout: 1000 });\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1' }), 'src/stock.ts': source },
        file: 'src/stock.ts',
        rule: 'unguarded-downstream-call',
        at: 'axios.delete',
        title: /existing breaker \(`inventoryPolicy\.execute`\)/,
        expected: source.replace('=> axios.delete(`http://inventory:3000/reservations/${sku}`, { timeout: 1000 });', '=> inventoryPolicy.execute(() => axios.delete(`http://inventory:3000/reservations/${sku}`, { timeout: 1000 }));'),
      });
    });

    it('reuses an in-house wrapper function the model knows runs a breaker', async () => {
      const source =
        `import axios from 'axios';\nimport CircuitBreaker from 'opossum';\n\n` +
        `const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call());\n` +
        `export function guarded<T>(call: () => Promise<T>): Promise<T> {\n  return breaker.fire(call) as Promise<T>;\n}\n\n` +
        `export const quote = async (sku: string) => (await guarded(() => axios.get<{ cents: number }>(\`http://pricing:3000/quotes/\${sku}\`, { timeout: 1000 }))).data.cents;\n` +
        `export const rates = async () => (await axios.get<{ eur: number }>('http://pricing:3000/rates', { timeout: 1000 })).data.eur;\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1', opossum: '9' }), 'src/pricing.ts': source },
        file: 'src/pricing.ts',
        rule: 'unguarded-downstream-call',
        at: "axios.get<{ eur: number }>",
        title: /existing breaker \(`guarded`\)/,
        expected: source.replace("(await axios.get<{ eur: number }>('http://pricing:3000/rates', { timeout: 1000 }))", "(await guarded(() => axios.get<{ eur: number }>('http://pricing:3000/rates', { timeout: 1000 })))"),
      });
    });

    it("reuses an opossum breaker's fire() for a call whose value is unused", async () => {
      const source =
        `import axios from 'axios';\nimport CircuitBreaker from 'opossum';\n\n` +
        `const inventoryBreaker = new CircuitBreaker((call: () => Promise<unknown>) => call());\n\n` +
        `export async function sync(sku: string): Promise<void> {\n  await inventoryBreaker.fire(() => axios.put(\`http://inventory:3000/items/\${sku}\`, {}, { timeout: 1000 }));\n  await axios.post('http://inventory:3000/reindex', {}, { timeout: 1000 });\n}\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1', opossum: '9' }), 'src/sync.ts': source },
        file: 'src/sync.ts',
        rule: 'unguarded-downstream-call',
        at: 'axios.post',
        title: /existing breaker \(`inventoryBreaker\.fire`\)/,
        expected: source.replace("await axios.post('http://inventory:3000/reindex', {}, { timeout: 1000 });", "await inventoryBreaker.fire(() => axios.post('http://inventory:3000/reindex', {}, { timeout: 1000 }));"),
      });
    });

    it('offers nothing without a breaker library or an existing breaker, for a typed opossum result, for await inside the call, or for a non-promise call', async () => {
      const files = {
        'package.json': service({ axios: '1' }),
        'src/a.ts': `import axios from 'axios';\nexport const a = () => axios.get('http://inventory:3000/a', { timeout: 1000 });\n`,
      };
      assert.deepEqual(await open(files, 'src/a.ts', 'unguarded-downstream-call', 'axios.get'), []);
      await stop(client!);
      fs.rmSync(root!, { recursive: true, force: true });

      // The downstream has an opossum breaker, but fire() would lose this call's type; a second breaker would split its counts.
      const typed =
        `import axios from 'axios';\nimport CircuitBreaker from 'opossum';\n\n` +
        `const inventoryBreaker = new CircuitBreaker((call: () => Promise<unknown>) => call());\n\n` +
        `export const put = (sku: string) => inventoryBreaker.fire(() => axios.put(\`http://inventory:3000/items/\${sku}\`, {}, { timeout: 1000 }));\n` +
        `export const count = async () => (await axios.get<{ n: number }>('http://inventory:3000/count', { timeout: 1000 })).data.n;\n` +
        `export const body = async () => axios.post('http://inventory:3000/body', await Promise.resolve({}), { timeout: 1000 });\n`;
      const typedFiles = { 'package.json': service({ axios: '1', opossum: '9', cockatiel: '3' }), 'src/a.ts': typed };
      assert.deepEqual(await open(typedFiles, 'src/a.ts', 'unguarded-downstream-call', 'axios.get'), []);
      assert.deepEqual((await actionsFor('src/a.ts', await diagnosticAt(typedFiles, 'src/a.ts', 'unguarded-downstream-call', 'axios.post'))).filter((action) => !GENERIC.test(action.title)), []);
      await stop(client!);
      fs.rmSync(root!, { recursive: true, force: true });

      // A node:http request is no promise: a breaker would not see it fail.
      const httpFiles = { 'package.json': service({ cockatiel: '3' }), 'src/a.ts': `import http from 'node:http';\nexport const a = () => http.request({ host: 'inventory', path: '/a', signal: AbortSignal.timeout(1000) }).end();\n` };
      assert.deepEqual(await open(httpFiles, 'src/a.ts', 'unguarded-downstream-call', 'http.request'), []);
    });
  });

  describe('shared-connection-pool', () => {
    it('splits a p-limit limiter into one per downstream, named after it, and rewrites each use', async () => {
      const source =
        `import axios from 'axios';\nimport pLimit from 'p-limit';\n\n// At most 10 calls in flight.\nconst downstreamLimit = pLimit(10);\n\n` +
        `export const stock = (sku: string) => downstreamLimit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }));\n` +
        `export const quote = (sku: string) => downstreamLimit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`, { timeout: 1000 }));\n` +
        `export const reserve = (sku: string) => downstreamLimit(() => axios.post('http://inventory:3000/reservations', { sku }, { timeout: 1000 }));\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1', 'p-limit': '7' }), 'src/calls.ts': source },
        file: 'src/calls.ts',
        rule: 'shared-connection-pool',
        at: 'pLimit(10)',
        title: /its own limiter \(inventoryLimit, pricingLimit\)/,
        expected: source
          .replace('const downstreamLimit = pLimit(10);', 'const inventoryLimit = pLimit(10);\nconst pricingLimit = pLimit(10);')
          .replace('=> downstreamLimit(() => axios.get(`http://inventory', '=> inventoryLimit(() => axios.get(`http://inventory')
          .replace('=> downstreamLimit(() => axios.get(`http://pricing', '=> pricingLimit(() => axios.get(`http://pricing')
          .replace("=> downstreamLimit(() => axios.post('http://inventory", "=> inventoryLimit(() => axios.post('http://inventory"),
      });
    });

    it('splits an agent with a total socket cap into one per host, keeping shorthand properties', async () => {
      const source =
        `import http from 'node:http';\nimport axios from 'axios';\n\nconst httpAgent = new http.Agent({ keepAlive: true, maxTotalSockets: 50 });\n\n` +
        `const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 1000, httpAgent });\n` +
        `const pricing = axios.create({ baseURL: 'http://pricing:3000', timeout: 1000, httpAgent: httpAgent });\n\n` +
        `export const stock = () => inventory.get('/stock');\nexport const quote = () => pricing.get('/quotes');\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1' }), 'src/clients.ts': source },
        file: 'src/clients.ts',
        rule: 'shared-connection-pool',
        at: 'new http.Agent(',
        title: /its own agent \(inventoryAgent, pricingAgent\)/,
        expected: source
          .replace('const httpAgent = new http.Agent({ keepAlive: true, maxTotalSockets: 50 });', 'const inventoryAgent = new http.Agent({ keepAlive: true, maxTotalSockets: 50 });\nconst pricingAgent = new http.Agent({ keepAlive: true, maxTotalSockets: 50 });')
          .replace('timeout: 1000, httpAgent });', 'timeout: 1000, httpAgent: inventoryAgent });')
          .replace('httpAgent: httpAgent });', 'httpAgent: pricingAgent });'),
      });
    });

    it('offers nothing when the limiter is used from another file, or one use reaches two downstreams', async () => {
      const files = {
        'package.json': service({ axios: '1', 'p-limit': '7' }),
        'src/limits.ts': `import pLimit from 'p-limit';\nexport const limit = pLimit(4);\n`,
        'src/a.ts': `import axios from 'axios';\nimport { limit } from './limits';\nexport const a = () => limit(() => axios.get('http://inventory:3000/a', { timeout: 1000 }));\nexport const b = () => limit(() => axios.get('http://pricing:3000/b', { timeout: 1000 }));\n`,
      };
      assert.deepEqual(await open(files, 'src/limits.ts', 'shared-connection-pool', 'pLimit(4)'), []);
      await stop(client!);
      fs.rmSync(root!, { recursive: true, force: true });

      const mixed = {
        'package.json': service({ axios: '1', 'p-limit': '7' }),
        'src/a.ts': `import axios from 'axios';\nimport pLimit from 'p-limit';\nconst limit = pLimit(4);\nexport const both = () => limit(() => Promise.all([axios.get('http://inventory:3000/a', { timeout: 1000 }), axios.get('http://pricing:3000/b', { timeout: 1000 })]));\n`,
      };
      assert.deepEqual(await open(mixed, 'src/a.ts', 'shared-connection-pool', 'pLimit(4)'), []);
    });
  });

  describe('missing-correlation-id', () => {
    const correlation = `export function correlationHeaders(): Record<string, string> {\n  return { 'x-request-id': 'id-from-context' };\n}\n`;

    it("merges the service's correlation helper into the call's existing headers, importing it as the other call's file does", async () => {
      const files = {
        'package.json': service({ axios: '1' }),
        'src/correlation.ts': correlation,
        'src/inventory.ts': `import axios from 'axios';\nimport { correlationHeaders } from './correlation';\nexport const reserve = (sku: string) => axios.post('http://inventory:3000/reservations', { sku }, { timeout: 1000, headers: correlationHeaders() });\n`,
        'src/server.ts':
          `import http from 'node:http';\nimport axios from 'axios';\nimport { reserve } from './inventory';\n\n` +
          `export const server = http.createServer(async (req, res) => {\n  await reserve(String(req.url));\n  const { data } = await axios.get('http://pricing:3000/quotes', {\n    timeout: 1000,\n    headers: {\n      accept: 'application/json',\n    },\n  });\n  res.end(JSON.stringify(data));\n});\n`,
      };
      await fixes({
        files,
        file: 'src/server.ts',
        rule: 'missing-correlation-id',
        at: 'axios.get',
        title: /with `correlationHeaders\(\)`/,
        expected: files['src/server.ts']
          .replace("import { reserve } from './inventory';", "import { reserve } from './inventory';\nimport { correlationHeaders } from './correlation';")
          .replace("      accept: 'application/json',\n", "      accept: 'application/json',\n      ...correlationHeaders(),\n"),
      });
    });

    it('adds headers from the helper to a fetch call that has none', async () => {
      const files = {
        'package.json': service(),
        'src/correlation.ts': correlation,
        'src/server.ts':
          `import http from 'node:http';\nimport { correlationHeaders } from './correlation';\n\n` +
          `export const server = http.createServer(async (_req, res) => {\n  await fetch('http://inventory:3000/a', { signal: AbortSignal.timeout(1000), headers: correlationHeaders() });\n  const quote = await fetch('http://pricing:3000/b', { signal: AbortSignal.timeout(1000) });\n  res.end(await quote.text());\n});\n`,
      };
      await fixes({
        files,
        file: 'src/server.ts',
        rule: 'missing-correlation-id',
        at: "fetch('http://pricing",
        title: /with `correlationHeaders\(\)`/,
        expected: files['src/server.ts'].replace("{ signal: AbortSignal.timeout(1000) });", '{ signal: AbortSignal.timeout(1000), headers: correlationHeaders() });'),
      });
    });

    it('otherwise passes on the header of the incoming request in scope, adding the options argument', async () => {
      const source = `import http from 'node:http';\nimport axios from 'axios';\n\nexport const server = http.createServer(async (req, res) => {\n  const { data } = await axios.get('http://inventory:3000/stock');\n  res.end(JSON.stringify(data));\n});\n`;
      await fixes({
        files: { 'package.json': service({ axios: '1' }), 'src/server.ts': source },
        file: 'src/server.ts',
        rule: 'missing-correlation-id',
        at: 'axios.get',
        title: /incoming x-request-id \(`req\.headers\['x-request-id'\]`\)/,
        expected: source.replace("axios.get('http://inventory:3000/stock')", "axios.get('http://inventory:3000/stock', { headers: { 'x-request-id': req.headers['x-request-id'] } })"),
      });
    });

    it('offers nothing for fetch without a helper (its header types take no Node request header) or a shadowed request', async () => {
      const files = {
        'package.json': service({ axios: '1' }),
        'src/server.ts':
          `import http from 'node:http';\nimport axios from 'axios';\n\nexport const server = http.createServer(async (req, res) => {\n  const a = await fetch('http://inventory:3000/a', { signal: AbortSignal.timeout(1000) });\n` +
          `  const b = await [1].map((req) => axios.get(\`http://pricing:3000/b/\${req}\`, { timeout: 1000 }))[0];\n  res.end(String(a.status + b.status) + String(req.method));\n});\n`,
      };
      assert.deepEqual(await open(files, 'src/server.ts', 'missing-correlation-id', 'fetch('), []);
      assert.deepEqual((await actionsFor('src/server.ts', await diagnosticAt(files, 'src/server.ts', 'missing-correlation-id', 'axios.get'))).filter((action) => !GENERIC.test(action.title)), []);
    });
  });

  describe('cross-service-db-access', () => {
    it("offers the rule's how-to-fix and the owning service's API, both opened through window/showDocument", async () => {
      const files = monorepo({
        'services/orders/src/db.ts': `import { Pool } from 'pg';\nexport const pool = new Pool({ statement_timeout: 1000 });\nexport const customers = () => pool.query('select * from customers');\n`,
        'services/orders/src/main.ts': `import http from 'node:http';\nexport const server = http.createServer((req, res) => res.end(req.headers['x-request-id']));\n`,
        'services/notifications/src/handler.ts': `import { customers } from '../../orders/src/db';\nexport const notify = async () => (await customers()).rows.length;\n`,
      });
      const actions = await open(files, 'services/notifications/src/handler.ts', 'cross-service-db-access', "'../../orders/src/db'");
      assert.deepEqual(
        actions.map((action) => action.title),
        ["Read how to use the orders service's data without its database", "Open the orders service's API (services/orders/src/main.ts)"],
      );
      assert.ok(actions.every((action) => !action.edit), 'no automatic rewrite');
      for (const action of actions) await client!.connection.sendRequest('workspace/executeCommand', { command: action.command!.command, arguments: action.command!.arguments });
      // The page ships with the package: it opens in the editor, at its "How to fix" heading.
      const page = path.join(__dirname, '..', 'docs', 'rules', 'cross-service-db-access.md');
      assert.equal(client!.shown[0], pathToFileURL(page).href);
      const heading = fs.readFileSync(page, 'utf8').split('\n').indexOf('## How to fix');
      assert.deepEqual(actions[0].command!.arguments![1], { start: { line: heading, character: 0 }, end: { line: heading, character: 13 } });
      assert.equal(client!.shown[1], uriOf('services/orders/src/main.ts'));
      assert.deepEqual(client!.shownExternally, [false, false], 'the doc page and the service file open in the editor');
      assert.equal(await stop(client!), 0);
    });
  });

  describe('source.fixAll.breakwater', () => {
    it('applies only safe fixes, never two edits at one spot, and the rest on the next run', async () => {
      const source = `import http from 'node:http';\nimport axios from 'axios';\n\nexport const server = http.createServer(async (req, res) => {\n  const { data } = await axios.get('http://inventory:3000/stock');\n  res.end(JSON.stringify(data));\n});\n`;
      const files = { 'package.json': service({ axios: '1', cockatiel: '3' }), 'src/server.ts': source };
      await open(files, 'src/server.ts', 'missing-correlation-id', 'axios.get');
      await diagnosticAt(files, 'src/server.ts', 'missing-timeout', 'axios.get');
      const before = count('src/server.ts', 'missing-correlation-id');
      const fixAll = async () => {
        const actions = (await client!.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: uriOf('src/server.ts') },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics: [], only: ['source.fixAll'] },
        })) as Action[];
        assert.equal(actions.length, 1);
        assert.equal(actions[0].kind, 'source.fixAll.breakwater');
        return apply('src/server.ts', actions[0]);
      };
      // The timeout and the header would both add an options argument at one spot: the first run takes the timeout.
      const first = await fixAll();
      assert.equal(first, source.replace("axios.get('http://inventory:3000/stock')", "axios.get('http://inventory:3000/stock', { timeout: 5000 })"));
      assert.deepEqual(typeCheck(root!), []);
      await gone('src/server.ts', 'missing-timeout');
      const second = await fixAll();
      assert.equal(second, source.replace("axios.get('http://inventory:3000/stock')", "axios.get('http://inventory:3000/stock', { timeout: 5000, headers: { 'x-request-id': req.headers['x-request-id'] } })"));
      assert.deepEqual(typeCheck(root!), []);
      await gone('src/server.ts', 'missing-correlation-id', before);
      // The breaker is never wrapped unasked, though cockatiel is there.
      assert.ok(client!.diagnostics.get(uriOf('src/server.ts'))?.some((d) => d.code === 'unguarded-downstream-call'));
      assert.ok(!second.includes('Breaker'));
      assert.equal(await stop(client!), 0);
    });
  });
});
