// The engine's public API: one-shot analyse(), incremental updates, and resilience to bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analysis, analyse, allRules, UserInputError } from '../engine';
import { writeWorkspace } from './rule-tester';

const unbounded = `import axios from 'axios';\nexport const f = () => axios.get('http://inventory/items');\n`;
const bounded = `import axios from 'axios';\nexport const f = () => axios.get('http://inventory/items', { timeout: 1000 });\n`;

describe('engine API', () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('analyse() returns findings, the model and stats', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded, 'src/other.ts': 'export const x = 1;\n' } });
    const result = await analyse(root, { onlyRules: ['missing-timeout'] });
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.location.file, f.location.line, f.service]), [['missing-timeout', 'src/index.ts', 2, 'svc']]);
    assert.equal(result.model.calls.length, 1);
    assert.equal(result.model.calls[0].library, 'axios');
    assert.equal(result.model.calls[0].kind, 'http');
    assert.equal(result.model.calls[0].target.host, 'inventory');
    assert.equal(result.model.calls[0].timeout.status, 'unbounded');
    assert.equal(result.stats.files, 2);
    assert.deepEqual(result.rules.map((rule) => rule.meta.id), ['missing-timeout']);
    assert.deepEqual((await analyse(root)).rules.map((rule) => rule.meta.id), allRules.map((rule) => rule.id));
  });

  it('names the service a call targets, by host or by environment variable', async () => {
    root = writeWorkspace({
      name: 'x',
      files: {
        'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['services/*'] }),
        'services/orders/package.json': JSON.stringify({ name: 'orders', scripts: { start: 'node .' } }),
        'services/inventory/package.json': JSON.stringify({ name: '@shop/inventory', scripts: { start: 'node .' } }),
        'services/inventory/src/index.ts': 'export const x = 1;\n',
        'services/orders/src/index.ts': [
          `import axios from 'axios';`,
          `export const a = () => axios.get('http://inventory-service:3000/items', { timeout: 1 });`,
          `export const b = () => axios.get(\`\${process.env.INVENTORY_URL}/items\`, { timeout: 1 });`,
          `export const c = () => axios.get('https://api.example.com/x', { timeout: 1 });`,
          `export const d = () => fetch('inventory.shop.svc.cluster.local:8080');`,
          `export const e = () => axios.get('https://inventory.example.com/x', { timeout: 1 });`,
        ].join('\n'),
      },
    });
    const { model } = await analyse(root);
    assert.deepEqual(model.calls.map((call) => [call.location.line, call.target.service, call.target.host]), [
      [2, 'inventory', 'inventory-service'],
      [3, 'inventory', undefined],
      [4, undefined, 'api.example.com'],
      [5, 'inventory', 'inventory.shop.svc.cluster.local'],
      // A public host is never a workspace service, whatever its first label.
      [6, undefined, 'inventory.example.com'],
    ]);
    assert.deepEqual(model.calls[1].target.envVars, ['INVENTORY_URL']);
  });

  it('update() re-extracts only the changed file and sees unsaved text', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': unbounded, 'src/other.ts': 'export const x = 1;\n' } });
    const analysis = new Analysis(root, { onlyRules: ['missing-timeout'] });
    assert.equal((await analysis.run()).findings.length, 1);
    const fixed = await analysis.update([{ path: path.join(root, 'src/index.ts'), text: bounded }]);
    assert.equal(fixed.findings.length, 0);
    assert.equal(fixed.stats.parsedFiles, 1);
    // Back to the disk's text when the buffer is closed.
    const reverted = await analysis.update([{ path: 'src/index.ts' }]);
    assert.equal(reverted.findings.length, 1);
  });

  it('update() follows values across files: a change in one file changes findings in another', async () => {
    root = writeWorkspace({
      name: 'x',
      files: {
        'src/config.ts': 'export const options = { timeout: 1000 };\n',
        'src/index.ts': `import axios from 'axios';\nimport { options } from './config';\nexport const f = () => axios.get('http://a/x', options);\n`,
      },
    });
    const analysis = new Analysis(root, { onlyRules: ['missing-timeout'] });
    assert.equal((await analysis.run()).findings.length, 0);
    const result = await analysis.update([{ path: 'src/config.ts', text: 'export const options = { headers: {} };\n' }]);
    assert.deepEqual(result.findings.map((f) => `${f.location.file}:${f.location.line}`), ['src/index.ts:3']);
  });

  it('update() picks up created and deleted files and a new breakwater.json', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': bounded } });
    const analysis = new Analysis(root, { onlyRules: ['missing-timeout'] });
    assert.equal((await analysis.run()).findings.length, 0);
    fs.writeFileSync(path.join(root, 'src/new.ts'), unbounded);
    assert.equal((await analysis.update([{ path: 'src/new.ts' }])).findings.length, 1);
    fs.writeFileSync(path.join(root, 'breakwater.json'), JSON.stringify({ rules: { 'missing-timeout': 'error' } }));
    assert.equal((await analysis.update([{ path: 'breakwater.json' }])).findings[0].severity, 'error');
    fs.rmSync(path.join(root, 'src/new.ts'));
    assert.equal((await analysis.update([{ path: 'src/new.ts', text: null }])).findings.length, 0);
  });

  it('a broken config is a UserInputError with its position', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': bounded, 'breakwater.json': '{\n  "rules": { "missing-timeout": "loud" }\n}\n' } });
    await assert.rejects(analyse(root), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.equal(error.line, 2);
      assert.match(error.message, /allowed values|must be equal to one of|must match/);
      return true;
    });
  });

  it("a rule's options are checked against its schema, and an unknown rule is named, each with its position", async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': bounded, 'breakwater.json': '{\n  "rules": {\n    "missing-timeout": ["warn", { "maxTimeoutMs": "soon" }]\n  }\n}\n' } });
    await assert.rejects(analyse(root), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.deepEqual([error.line, error.column], [3, 51]);
      assert.match(error.message, /Invalid options for rule "missing-timeout" at \/maxTimeoutMs: must be integer or null/);
      return true;
    });
    fs.writeFileSync(path.join(root, 'breakwater.json'), '{\n  "rules": {\n    "no-such-rule": "warn"\n  }\n}\n');
    await assert.rejects(analyse(root), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.deepEqual([error.line, error.column], [3, 5]);
      assert.match(error.message, /unknown rule "no-such-rule"/);
      return true;
    });
  });

  it('input that is not valid TypeScript does not stop the analysis', async () => {
    const garbage = 'export const = = ((( {{{ axios.get(\n' + 'a + '.repeat(20000) + 'b;\n\u0000\uFFFF';
    root = writeWorkspace({ name: 'x', files: { 'src/bad.ts': garbage, 'src/index.ts': unbounded } });
    const result = await analyse(root, { onlyRules: ['missing-timeout'] });
    assert.deepEqual(result.findings.map((f) => f.location.file), ['src/index.ts']);
  });

  it('very long expression chains and else-if ladders (generated code) are analysed, not dropped', async () => {
    const concat = Array.from({ length: 20000 }, (_, i) => `'a${i}'`).join(' + ');
    const ladder = Array.from({ length: 3000 }, (_, i) => `${i ? 'else ' : ''}if (x === ${i}) { y = ${i}; }`).join('\n');
    const code = `import axios from 'axios';\nexport const s = ${concat};\nexport function f(x: number) {\n  let y = 0;\n${ladder}\n  return axios.get('http://a/x', { params: { y } });\n}\n`;
    root = writeWorkspace({ name: 'x', files: { 'src/generated.ts': code } });
    const result = await analyse(root, { onlyRules: ['missing-timeout'] });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.findings.map((f) => f.location.line), [3005]); // import, const, function, let, 3000 branches, then the call
  });

  it('has dependency-cruiser describe cross-service imports only when asked', async () => {
    // `root` is what afterEach deletes, so the example is never assigned to it.
    root = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bw-'));
    const shop = path.join(__dirname, '..', 'examples', 'shop');
    const imported = (result: Awaited<ReturnType<typeof analyse>>) =>
      result.model.crossServiceImports.filter((item) => item.specifier === '../../../orders/src/db.js').map((item) => item.dependencyTypes);
    assert.deepEqual(imported(await analyse(shop)), [[]]);
    assert.deepEqual(imported(await analyse(shop, { describeImports: true })), [['local', 'import']]);
  });

  it('importGraph() counts modules loaded by a computed name, once the name is known', async () => {
    root = writeWorkspace({
      name: 'x',
      files: {
        'src/load.js': 'module.exports = (names) => names.reduce((all, name) => ({ ...all, [name]: require(`${__dirname}/modules/${name}`) }), {});\n',
        'src/main.js': "const { db } = require('./load')(['db']);\nconst pick = (name) => require(`./modules/${name}`);\ndb.connect();\npick(process.argv[2]);\n",
        'src/modules/db.js': 'module.exports = { connect: () => 1 };\n',
        'src/modules/cache.js': 'module.exports = { connect: () => 2 };\n',
      },
    });
    const result = await analyse(root);
    assert.deepEqual(result.model.loadedByName, [{ from: 'src/load.js', to: 'src/modules/db.js' }]);
    assert.deepEqual(result.importGraph().get('src/load.js'), ['src/modules/db.js']);
    assert.deepEqual(result.importGraph().get('src/main.js'), ['src/load.js']);
  });

  it('rejects unknown rule ids in onlyRules', async () => {
    root = writeWorkspace({ name: 'x', files: { 'src/index.ts': bounded } });
    await assert.rejects(analyse(root, { onlyRules: ['no-such-rule'] }), /Unknown rule "no-such-rule"/);
  });
});
