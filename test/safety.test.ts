// A checkout someone else controls (issue 12, section 1): special files and links in place of the data files
// Breakwater reads, and links where it writes or deletes. Each case was reproduced on the code before the fix: a FIFO
// hung `check` and the language server, a link to /dev/zero grew memory without bound, `check --cache` deleted files
// outside the workspace, `projects --write-turbo` wrote through a link, and links and config paths led reads out of
// the workspace. Every run here goes through a public entry point: the CLI as a process, `analyse()`, the server.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyse, UserInputError } from '../engine';
import { bin, buildIfMissing } from './cli-process';
import { start, stop } from './lsp-client';

/** A missing-timeout finding in services/a (3:10). */
const CALL = "import axios from 'axios';\nexport async function pay() {\n  return axios.get(`${process.env.PAYMENTS_URL}/pay`);\n}\n";
/** A database client whose host only a .env file or a Kubernetes manifest can tell (`DATABASE_URL`). */
const DATABASE = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n";
const SERVICE = JSON.stringify({ name: 'a', scripts: { start: 'node src/index.js' }, dependencies: { axios: '^1' } });

const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `breakwater-safety-${prefix}-`));
  made.push(dir);
  return dir;
}

/** A workspace with service `a` (one finding in services/a/src/index.ts), plus these files. */
function workspace(files: Record<string, string> = {}): string {
  const root = tempDir('ws');
  const all = { 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['services/*'] }), 'services/a/package.json': SERVICE, 'services/a/src/index.ts': CALL, ...files };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined && process.platform !== 'win32';
function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const run = spawnSync('mkfifo', [file]);
  assert.equal(run.status, 0, `mkfifo ${file}: ${run.stderr}`);
}
const hasDevZero = process.platform !== 'win32' && fs.existsSync('/dev/zero');

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a process. A generous kill timer turns a hang into a failure instead of a stuck suite, and a heap cap
 * (plus a bounded stdout buffer) keeps an unbounded read from taking the machine down with it.
 */
function breakwater(cwd: string, args: string[]): Run {
  const run = spawnSync(process.execPath, ['--max-old-space-size=512', bin, ...args], { cwd, encoding: 'utf8', timeout: 45_000, maxBuffer: 16 * 1024 * 1024 });
  return { status: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

function assertExit(run: Run, codes: number[]): void {
  assert.ok(run.status !== null && codes.includes(run.status), `exit ${run.status ?? run.signal} (a kill means it hung or ran out of memory)\n--- stderr\n${run.stderr.slice(0, 2000)}`);
}

/** `check` finished, still reported the finding in service a, and warned about `file` with `why` (when given). */
function assertCheckedAndWarned(root: string, file: string, why?: RegExp): void {
  const run = breakwater(root, ['check', '.', '-f', 'json']);
  assertExit(run, [0, 1]);
  const messages = (JSON.parse(run.stdout) as Array<{ filePath: string; messages: unknown[] }>).filter((entry) => entry.filePath.endsWith(path.join('services', 'a', 'src', 'index.ts')));
  assert.equal(messages.length, 1, 'the intact service still gets its finding');
  if (!why) return;
  const warning = run.stderr.split('\n').find((line) => line.includes(file));
  assert.ok(warning, `a warning names ${file}; stderr:\n${run.stderr}`);
  assert.match(warning, why);
}

describe('safety: special files and links in a checkout (issue 12)', function () {
  this.timeout(120_000);
  before(buildIfMissing);
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('never runs workspace code, opens no connection, starts no process', () => {
    /**
     * A preload for the CLI process that records, in a file, every attempt to load a workspace module, open a socket,
     * resolve a host name or start a process, and then refuses it. The traps planted in the workspace would write a
     * marker file if any of their code ran.
     */
    function recorder(log: string): string {
      const file = path.join(tempDir('recorder'), 'record.js');
      fs.writeFileSync(
        file,
        `const fs = require('node:fs');
const log = (what) => fs.appendFileSync(${JSON.stringify(log)}, what + '\\n');
const net = require('node:net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() hands its normalised arguments over as one array.
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  // Pipes and IPC are local; only network sockets are recorded.
  if (typeof target === 'object' && target && (target.port !== undefined || target.host !== undefined)) log('connect ' + (target.host ?? '') + ':' + target.port);
  else if (typeof target === 'number') log('connect :' + target);
  return connect.apply(this, args);
};
const dns = require('node:dns');
dns.lookup = (host, ...rest) => { log('lookup ' + host); const cb = rest.pop(); cb(new Error('no network in this test')); };
const childProcess = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function (...args) { log(name + ' ' + String(args[0])); return original.apply(this, args); };
}
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  const from = parent && parent.filename;
  if (from && from.startsWith(process.cwd())) log('load ' + request + ' from ' + from);
  return load.call(this, request, parent, ...rest);
};
`,
      );
      return file;
    }

    it('plants traps in every kind of file it reads, and none of them runs', () => {
      const marker = path.join(tempDir('marker'), 'pwned');
      const trap = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
      const root = workspace({
        'services/a/src/trap.ts': `${trap}import('./index');\nexport default eval("require('node:fs').writeFileSync(${JSON.stringify(marker).replace(/"/g, "'")}, 'eval')");\n`,
        'services/a/src/trap.js': trap,
        'services/a/src/trap.mjs': `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(marker)}, 'mjs');\n`,
        'services/a/breakwater.config.js': trap,
        'services/a/jest.config.js': trap,
        'services/a/vite.config.ts': trap,
        'services/a/package.json': JSON.stringify({ name: 'a', main: 'src/trap.js', scripts: { start: 'node src/trap.js', preinstall: `node -e "${trap.trim().replace(/"/g, '\\"')}"`, postinstall: 'node src/trap.js' }, dependencies: { axios: '^1' } }),
        'services/a/tsconfig.json': JSON.stringify({ compilerOptions: { plugins: [{ name: './src/trap.js' }] }, extends: './src/trap.js' }),
        'node_modules/axios/package.json': JSON.stringify({ name: 'axios', main: 'index.js' }),
        'node_modules/axios/index.js': trap,
        '.eslintrc.js': trap,
        'docker-compose.yml': `services:\n  a:\n    build: ./services/a\n    command: node src/trap.js\n`,
      });
      const log = path.join(tempDir('log'), 'attempts.log');
      const run = spawnSync(process.execPath, ['--require', recorder(log), bin, 'check', '.', '-f', 'json'], { cwd: root, encoding: 'utf8', timeout: 45_000 });
      assertExit({ status: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' }, [0, 1]);
      assert.ok(!fs.existsSync(marker), 'no workspace code ran');
      const attempts = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '';
      assert.equal(attempts, '', 'no workspace module loaded, no connection, no lookup, no child process');
      const findings = JSON.parse(run.stdout) as Array<{ filePath: string }>;
      assert.ok(findings.some((entry) => entry.filePath.endsWith(path.join('services', 'a', 'src', 'index.ts'))), 'the analysis still ran');
    });

    it('the recorder sees what it is meant to see (a control: a process that does connect and spawn)', () => {
      const log = path.join(tempDir('log'), 'attempts.log');
      const script = path.join(tempDir('control'), 'control.js');
      fs.writeFileSync(script, `require('node:child_process').spawnSync(process.execPath, ['--version']);\nconst s = require('node:net').connect({ host: '127.0.0.1', port: 9 });\ns.on('error', () => {});\nrequire('node:dns').lookup('example.com', () => {});\n`);
      spawnSync(process.execPath, ['--require', recorder(log), script], { cwd: path.dirname(script), encoding: 'utf8', timeout: 20_000 });
      const attempts = fs.readFileSync(log, 'utf8');
      assert.match(attempts, /spawnSync/);
      assert.match(attempts, /connect 127\.0\.0\.1:9/);
      assert.match(attempts, /lookup example\.com/);
    });
  });

  describe('a FIFO read as data never blocks', () => {
    before(function () {
      if (!hasMkfifo) this.skip();
    });

    for (const file of ['services/a/.env', 'docker-compose.yml', 'k8s/deployment.yaml', 'pnpm-workspace.yaml', 'nx.json']) {
      it(`check finishes and warns with a FIFO at ${file}`, () => {
        const root = workspace();
        mkfifo(path.join(root, file));
        assertCheckedAndWarned(root, file, /is not a regular file \(a FIFO\)/);
      });
    }

    it('check finishes with a FIFO at tsconfig.json (the resolver takes only regular files for configs)', () => {
      const root = workspace();
      mkfifo(path.join(root, 'services/a/tsconfig.json'));
      assertCheckedAndWarned(root, 'services/a/tsconfig.json');
    });

    it('a FIFO breakwater.json is a config error, not a hang', () => {
      const root = workspace();
      mkfifo(path.join(root, 'breakwater.json'));
      const run = breakwater(root, ['check', '.']);
      assertExit(run, [2]);
      assert.match(run.stderr, /breakwater\.json is not a regular file \(a FIFO\)/);
    });

    it('the language server still answers, reports the intact service and shuts down with a FIFO .env', async () => {
      const root = workspace();
      mkfifo(path.join(root, 'services/a/.env'));
      const client = await start(root);
      try {
        const uri = pathToFileURL(path.join(root, 'services/a/src/index.ts')).toString();
        const diagnostics = await client.until(() => client.diagnostics.get(uri)?.length ? client.diagnostics.get(uri) : undefined, 'the finding in service a', 40_000);
        assert.equal(diagnostics[0].code, 'missing-timeout');
      } finally {
        const exit = await Promise.race([stop(client), new Promise<string>((resolve) => setTimeout(() => resolve('no answer to shutdown'), 20_000))]);
        if (exit === 'no answer to shutdown') client.child.kill('SIGKILL');
        assert.equal(exit, 0);
      }
    });
  });

  describe('a committed link to /dev/zero is not read', () => {
    before(function () {
      if (!hasDevZero) this.skip();
    });

    for (const file of ['services/a/.env', 'docker-compose.yml', 'k8s/deployment.yaml', 'services/a/tsconfig.json']) {
      it(`check finishes${file.endsWith('tsconfig.json') ? '' : ' and warns'} with ${file} -> /dev/zero`, () => {
        const root = workspace();
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.symlinkSync('/dev/zero', path.join(root, file));
        assertCheckedAndWarned(root, file, file.endsWith('tsconfig.json') ? undefined : /links outside the workspace/);
      });
    }

    it('breakwater.json -> /dev/zero is a config error', () => {
      const root = workspace();
      fs.symlinkSync('/dev/zero', path.join(root, 'breakwater.json'));
      const run = breakwater(root, ['check', '.']);
      assertExit(run, [2]);
      assert.match(run.stderr, /breakwater\.json links outside the workspace/);
    });

    it('--config /dev/zero (a file the user names) is refused as not a regular file', () => {
      const root = workspace();
      const run = breakwater(root, ['check', '.', '--config', '/dev/zero']);
      assertExit(run, [2]);
      assert.match(run.stderr, /not a regular file \(a character device\)/);
    });
  });

  describe('reads stay in the workspace', () => {
    const MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a }\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: shop/a:1\n          env:\n            - { name: DATABASE_URL, value: "postgres://u:p@secret-db:5432/x" }\n';
    const ENV = 'DATABASE_URL=postgres://u:p@secret-db:5432/x\n';
    const withDatabase = (files: Record<string, string> = {}) => workspace({ 'services/a/src/db.ts': DATABASE, ...files });
    /** Whether the analysis read where DATABASE_URL points: the database host it found for service a's pool. */
    const knowsTarget = async (root: string) => (await analyse(root)).model.databaseUses.some((use) => use.host === 'secret-db');

    it('a Kubernetes folder linked out of the workspace (k8s -> elsewhere) is not read', async () => {
      // The control: the same manifest in a real k8s folder is read, and the finding names the host it sets.
      const control = withDatabase({ 'k8s/deployment.yaml': MANIFEST });
      assert.equal(await knowsTarget(control), true);
      const outside = tempDir('etc');
      fs.writeFileSync(path.join(outside, 'deployment.yaml'), MANIFEST);
      const root = withDatabase();
      fs.symlinkSync(outside, path.join(root, 'k8s'));
      assert.equal(await knowsTarget(root), false);
    });

    it('a .env linked to a file outside the workspace is not read, and the warning says so', async () => {
      const outside = tempDir('env');
      fs.writeFileSync(path.join(outside, 'secrets.env'), ENV);
      const root = withDatabase();
      fs.symlinkSync(path.join(outside, 'secrets.env'), path.join(root, 'services/a/.env'));
      const result = await analyse(root);
      assert.equal(result.model.databaseUses.some((use) => use.host === 'secret-db'), false);
      assert.ok(result.warnings.some((warning) => /^services\/a\/\.env links outside the workspace/.test(warning)), result.warnings.join('\n'));
    });

    it('a link that stays inside the workspace is still followed', async () => {
      const root = withDatabase({ 'shared.env': ENV });
      fs.symlinkSync('../../shared.env', path.join(root, 'services/a/.env'));
      const result = await analyse(root);
      assert.equal(result.model.databaseUses.some((use) => use.host === 'secret-db'), true);
      assert.deepEqual(result.warnings, []);
    });

    it('a tsconfig `extends` linked out of the workspace is not read', async () => {
      const outside = tempDir('tsconfig');
      fs.writeFileSync(path.join(outside, 'base.json'), '{ "compilerOptions": { "strict": true } }');
      const root = workspace({ 'services/a/tsconfig.json': '{ "extends": "./base.json" }' });
      fs.symlinkSync(path.join(outside, 'base.json'), path.join(root, 'services/a/base.json'));
      const result = await analyse(root);
      assert.ok(result.warnings.some((warning) => /^services\/a\/base\.json links outside the workspace/.test(warning)), result.warnings.join('\n'));
    });

    for (const [setting, value] of [
      ['services', '["../.."]'],
      ['services', '{ "etc": "/etc" }'],
      ['libraries', '["libs/../../x"]'],
      ['include', '["../other/**/*.ts"]'],
    ] as const) {
      it(`${setting}: ${value} in breakwater.json is a config error with file, line and column`, async () => {
        const root = workspace({ 'breakwater.json': `{\n  "${setting}": ${value}\n}\n` });
        await assert.rejects(analyse(root), (error: unknown) => {
          assert.ok(error instanceof UserInputError);
          assert.match(error.message, /outside the workspace root/);
          assert.equal(error.file, path.join(root, 'breakwater.json'));
          assert.equal(error.line, 2);
          assert.ok(error.column! > 1);
          return true;
        });
        const run = breakwater(root, ['check', '.']);
        assertExit(run, [2]);
        assert.match(run.stderr, /breakwater\.json:2:\d+: .*outside the workspace root/);
      });
    }
  });

  describe('writes and deletes never go through a link', () => {
    /** The name of this build's cache folder: the same on every run of a build, so a checkout can plant it. */
    function buildFolderName(): string {
      const probe = workspace();
      assertExit(breakwater(probe, ['check', '.', '--cache']), [0, 1]);
      return fs.readdirSync(path.join(probe, 'node_modules/.cache/breakwater')).find((name) => name.startsWith('breakwater-facts-'))!;
    }
    /** A folder outside the workspace with files a cache run must leave alone. */
    function victim(): { dir: string; files: string[] } {
      const dir = tempDir('victim');
      const files = ['important.json', 'abcdefabcdefabcdefabcdef.json', 'other.txt'];
      for (const file of files) fs.writeFileSync(path.join(dir, file), 'keep me');
      return { dir, files };
    }
    const assertUntouched = ({ dir, files }: { dir: string; files: string[] }) => {
      assert.deepEqual(fs.readdirSync(dir).sort(), [...files].sort(), 'nothing added or removed outside the workspace');
      for (const file of files) assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), 'keep me');
    };

    it('check --cache deletes nothing through a committed link at the build folder, and warns', () => {
      const name = buildFolderName();
      const outside = victim();
      const root = workspace();
      fs.mkdirSync(path.join(root, 'node_modules/.cache/breakwater'), { recursive: true });
      fs.symlinkSync(outside.dir, path.join(root, 'node_modules/.cache/breakwater', name));
      const run = breakwater(root, ['check', '.', '--cache']);
      assertExit(run, [0, 1]);
      assertUntouched(outside);
      assert.match(run.stderr, /warning: the cache was not used: .*is a symbolic link/);
    });

    it('check --cache writes nothing through a linked node_modules, and still reports', () => {
      const outside = victim();
      const root = workspace();
      fs.symlinkSync(outside.dir, path.join(root, 'node_modules'));
      const run = breakwater(root, ['check', '.', '--cache', '-f', 'json']);
      assertExit(run, [0, 1]);
      assertUntouched(outside);
      assert.match(run.stderr, /warning: the cache was not used: .*node_modules is a symbolic link/);
      assert.ok((JSON.parse(run.stdout) as Array<{ messages: unknown[] }>).flatMap((file) => file.messages).length > 0, 'the findings are still reported');
    });

    it('check --cache removes no other marked folder reached through a link', () => {
      const outside = tempDir('marked');
      fs.mkdirSync(path.join(outside, 'breakwater-facts-0-old'));
      fs.writeFileSync(path.join(outside, 'breakwater-facts-0-old', '.breakwater-cache'), '');
      fs.writeFileSync(path.join(outside, 'breakwater-facts-0-old', 'data.json'), 'keep me');
      const root = workspace();
      fs.mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true });
      fs.symlinkSync(outside, path.join(root, 'node_modules/.cache/breakwater'));
      assertExit(breakwater(root, ["check", ".", "--cache"]), [0, 1]);
      assert.equal(fs.readFileSync(path.join(outside, 'breakwater-facts-0-old', 'data.json'), 'utf8'), 'keep me');
    });

    it('check --cache does not take over a folder it did not make (no marker)', () => {
      const name = buildFolderName();
      const root = workspace();
      const planted = path.join(root, 'node_modules/.cache/breakwater', name);
      fs.mkdirSync(planted, { recursive: true });
      fs.writeFileSync(path.join(planted, 'abcdefabcdefabcdefabcdef.json'), 'keep me');
      const run = breakwater(root, ['check', '.', '--cache']);
      assertExit(run, [0, 1]);
      assert.deepEqual(fs.readdirSync(planted), ['abcdefabcdefabcdefabcdef.json']);
      assert.match(run.stderr, /was not made by Breakwater/);
    });

    it('projects --write-turbo refuses to write through a linked turbo.json', () => {
      const outside = tempDir('turbo');
      fs.writeFileSync(path.join(outside, 'victim'), 'keep me');
      const root = workspace({ 'turbo.json': '{ "tasks": { "breakwater": {} } }' });
      fs.symlinkSync(path.join(outside, 'victim'), path.join(root, 'services/a/turbo.json'));
      const run = breakwater(root, ['projects', '.', '--write-turbo']);
      assertExit(run, [2]);
      assert.equal(fs.readFileSync(path.join(outside, 'victim'), 'utf8'), 'keep me');
      assert.match(run.stderr, /services\/a\/turbo\.json: not written: .*is a symbolic link/);
    });
  });
});
