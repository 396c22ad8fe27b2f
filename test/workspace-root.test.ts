// The first path may lie inside a workspace: `check services/orders` finds the workspace root above it, analyses
// from there and reports on that folder only, so it says exactly what `check . --service orders` says. A path with
// nothing to analyse is an error (exit code 2) unless --no-error-on-unmatched-pattern. The CLI runs as a process, on
// a copy of examples/shop; findWorkspaceRoot on small temporary folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findWorkspaceRoot } from '../engine';
import { assertExit, buildIfMissing, repo, runCli, type CliRun } from './cli-process';

const breakwater = runCli;

/** "rule file:line:column message" per finding of a JSON report, file relative to `root`, sorted. */
function findings(run: CliRun, root: string): string[] {
  const files = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; line: number; column: number; message: string }[] }[];
  return files.flatMap((file) => file.messages.map((m) => `${m.ruleId} ${path.relative(root, file.filePath)}:${m.line}:${m.column} ${m.message}`)).sort();
}

const made: string[] = [];
function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-root-')));
  made.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the workspace root, found from the first path', () => {
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('findWorkspaceRoot', () => {
    const markers: [string, Record<string, string>][] = [
      ['breakwater.json', { 'breakwater.json': '{}' }],
      ['pnpm-workspace.yaml', { 'pnpm-workspace.yaml': 'packages: ["apps/*"]\n' }],
      ['nx.json', { 'nx.json': '{}' }],
      ['turbo.json', { 'turbo.json': '{ "tasks": {} }' }],
      ['package.json (workspaces)', { 'package.json': '{ "workspaces": ["apps/*"] }' }],
      ['package.json (workspaces)', { 'package.json': '{ "workspaces": { "packages": ["apps/*"] } }', 'yarn.lock': '' }],
      ['.git', { '.git/HEAD': 'ref: refs/heads/main\n' }],
    ];
    for (const [marker, files] of markers) {
      it(`${Object.entries(files).map(([name, text]) => (name === 'package.json' ? `${name} ${text}` : name)).join(', ')} makes a root, found from a folder or a file below it`, () => {
        const dir = tempDir({ ...files, 'apps/api/package.json': '{ "name": "api" }', 'apps/api/src/index.ts': 'export {};\n' });
        assert.deepEqual(findWorkspaceRoot(path.join(dir, 'apps/api')), { root: dir, marker });
        assert.deepEqual(findWorkspaceRoot(path.join(dir, 'apps/api/src/index.ts')), { root: dir, marker });
        assert.deepEqual(findWorkspaceRoot(dir), { root: dir, marker });
      });
    }

    it("the nearest root wins; a package's turbo.json (extends) and a package.json without workspaces are no root", () => {
      const dir = tempDir({
        '.git/HEAD': 'ref: refs/heads/main\n',
        'tools/shop/package.json': '{ "workspaces": ["services/*"] }',
        'tools/shop/services/orders/package.json': '{ "name": "orders" }',
        'tools/shop/services/orders/turbo.json': '{ "extends": ["//"], "tasks": {} }',
      });
      assert.deepEqual(findWorkspaceRoot(path.join(dir, 'tools/shop/services/orders')), { root: path.join(dir, 'tools/shop'), marker: 'package.json (workspaces)' });
      assert.deepEqual(findWorkspaceRoot(path.join(dir, 'tools')), { root: dir, marker: '.git' });
    });

    it('with no marker up to the file system root, the folder given', () => {
      const dir = tempDir({ 'package.json': '{ "name": "alone" }', 'src/index.ts': 'export {};\n' });
      assert.deepEqual(findWorkspaceRoot(path.join(dir, 'src')), { root: path.join(dir, 'src') });
      assert.deepEqual(findWorkspaceRoot(path.join(dir, 'src/index.ts')), { root: path.join(dir, 'src') });
    });
  });

  describe('breakwater check on a copy of examples/shop', function () {
    this.timeout(180_000);
    let shop: string;
    const services = fs.readdirSync(path.join(repo, 'examples/shop/services')).sort();

    before(buildIfMissing);
    before(() => {
      shop = tempDir();
      fs.cpSync(path.join(repo, 'examples/shop'), shop, { recursive: true });
    });

    it('check services/<name> reports exactly what check . --service <name> reports, for every service', async () => {
      assert.ok(services.includes('orders'));
      const runs = await Promise.all(
        services.flatMap((name) => [breakwater(shop, ['check', `services/${name}`, '-f', 'json']), breakwater(shop, ['check', '.', '--service', name, '-f', 'json'])]),
      );
      for (const [i, name] of services.entries()) {
        const [folder, service] = [assertExit(runs[2 * i], 0), assertExit(runs[2 * i + 1], 0)];
        assert.ok(findings(service, shop).length > 0, `${name} has findings`);
        assert.deepEqual(findings(folder, shop), findings(service, shop), `services/${name}`);
      }
    });

    it('from inside a service, check with no path reports that service; a file as the first path reports that file', async () => {
      const orders = path.join(shop, 'services/orders');
      const [inside, service, file] = await Promise.all([
        breakwater(orders, ['check', '-f', 'json']),
        breakwater(shop, ['check', '.', '--service', 'orders', '-f', 'json']),
        breakwater(shop, ['check', 'services/orders/src/routes/orders.ts', '-f', 'json']),
      ]);
      assert.deepEqual(findings(assertExit(inside, 0), shop), findings(assertExit(service, 0), shop));
      const inFile = findings(service, shop).filter((line) => line.includes(' services/orders/src/routes/orders.ts:'));
      assert.ok(inFile.length > 0);
      assert.deepEqual(findings(assertExit(file, 0), shop), inFile);
    });

    it('a path with no source files exits with 2 and says which; --no-error-on-unmatched-pattern allows it', async () => {
      fs.mkdirSync(path.join(shop, 'services/orders/assets'), { recursive: true });
      fs.writeFileSync(path.join(shop, 'services/orders/assets/README.md'), '# images\n');
      const [first, further, allowed] = await Promise.all([
        breakwater(shop, ['check', 'services/orders/assets']),
        breakwater(shop, ['check', '.', 'services/orders', 'services/orders/assets', '-f', 'json']),
        breakwater(shop, ['check', 'services/orders/assets', '--no-error-on-unmatched-pattern', '--max-warnings', '0']),
      ]);
      assertExit(first, 2);
      assert.equal(first.stdout, '');
      assert.equal(first.stderr, 'breakwater: no source files to analyse in services/orders/assets (workspace root: .); check the path, or pass --no-error-on-unmatched-pattern\n');
      // Only the unmatched path is named, even when others match.
      assertExit(further, 2);
      assert.match(further.stderr, /^breakwater: no source files to analyse in services\/orders\/assets \(/m);
      assert.doesNotMatch(further.stderr, /in services\/orders \(/);
      assertExit(allowed, 0);
      assert.equal(allowed.stdout, '');
    });
  });
});
