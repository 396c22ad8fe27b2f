// What each project's findings depend on (`breakwater projects --inputs`), and the per-package turbo.json files that
// make a build orchestrator re-run a project's task only when those change (`--write-turbo`, and the check that
// `check --service` makes of them). The claim under test: deleting the source files of every project a service does
// not depend on leaves its findings exactly as they were; and where a dependency is listed because of shared code,
// deleting that project does change them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { analyse } from '../engine';
import { bin, buildIfMissing, repo } from './cli-process';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function breakwater(cwd: string, args: string[]): Run {
  const env = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'DEBUG']) delete env[name];
  // A hang fails the test instead of the whole run.
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectExit(run: Run, code: number): Run {
  assert.equal(run.status, code, `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}

interface InputsEntry {
  name: string;
  kind: string;
  folder: string;
  dependsOn: string[];
  inputs: string[];
}

function inputsOf(root: string): InputsEntry[] {
  return JSON.parse(expectExit(breakwater(root, ['projects', '.', '--inputs', '--format', 'json']), 0).stdout) as InputsEntry[];
}

const SOURCE = /\.[mc]?[jt]sx?$/;

/** A copy of `root` without node_modules, and without the source files under `dropped` folders. */
function prunedCopy(root: string, dropped: string[], into: string): string {
  const copy = fs.mkdtempSync(path.join(into, 'pruned-'));
  fs.cpSync(root, copy, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source).split(path.sep).join('/');
      if (relative.split('/').includes('node_modules')) return false;
      return !(SOURCE.test(relative) && dropped.some((folder) => relative.startsWith(`${folder}/`)));
    },
  });
  return copy;
}

/** A service's findings (unsuppressed), through the engine's API. */
async function findingsIn(root: string, folder: string): Promise<string[]> {
  const result = await analyse(root);
  return result.findings
    .filter((finding) => !finding.suppressed && finding.location.file.startsWith(`${folder}/`))
    .map((finding) => `${finding.location.file}:${finding.location.line}:${finding.location.column} ${finding.ruleId} ${finding.message}`)
    .sort();
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** Services (each one file, `src/main.ts`) and a library, as a workspace. */
function workspace(root: string, common: string, services: Record<string, string>): void {
  const dependencies = { axios: '*', express: '*', pg: '*', '@nestjs/core': '*', '@nestjs/common': '*', '@nestjs/axios': '*', '@ws/common': '*' };
  writeFiles(root, {
    'package.json': JSON.stringify({ name: 'ws', private: true, workspaces: ['services/*', 'libs/*'] }),
    'libs/common/package.json': JSON.stringify({ name: '@ws/common', version: '1.0.0', main: 'src/index.ts' }),
    'libs/common/src/index.ts': common,
  });
  for (const [name, text] of Object.entries(services)) {
    writeFiles(root, {
      [`services/${name}/package.json`]: JSON.stringify({ name: `@ws/${name}`, version: '1.0.0', scripts: { start: 'node dist/main.js' }, dependencies }),
      [`services/${name}/src/main.ts`]: text,
    });
  }
}

/** Two services and a library: `zeta` is the service under test, `alpha` the other one. */
function twoServices(root: string, files: { common: string; alpha: string; zeta: string }): void {
  workspace(root, files.common, { alpha: files.alpha, zeta: files.zeta });
}

describe('project inputs (breakwater projects --inputs)', function () {
  this.timeout(120_000);
  before(buildIfMissing);

  let temp: string;
  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-inputs-'));
  });
  afterEach(() => fs.rmSync(temp, { recursive: true, force: true }));

  const shop = path.join(repo, 'examples/shop');

  it("lists, for each project of the example shop, the projects whose code can change its findings", () => {
    const entries = inputsOf(shop);
    const dependsOn = Object.fromEntries(entries.map((entry) => [entry.name, entry.dependsOn]));
    assert.deepEqual(dependsOn, {
      // inventory and notifications both run their work through common's runWithRequestId, and the notifications
      // code that calls it imports (through its handlers) the orders service's db module.
      inventory: ['notifications', 'orders', 'common'],
      // notifications imports the orders service's db module, and calls common's rpc() as orders does.
      notifications: ['inventory', 'orders', 'payments', 'common'],
      // orders and payments both install common's correlationMiddleware; notifications imports orders' code.
      orders: ['notifications', 'payments', 'common'],
      payments: ['notifications', 'orders', 'common'],
      // A library is judged through every service that may use it.
      common: ['inventory', 'notifications', 'orders', 'payments'],
    });
    const inventory = entries.find((entry) => entry.name === 'inventory')!;
    assert.ok(inventory.inputs.includes('**'));
    assert.ok(inventory.inputs.includes('!services/payments/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'));
    assert.ok(!inventory.inputs.some((glob) => /services\/(notifications|orders)|libs\/common/.test(glob)));

    const text = expectExit(breakwater(shop, ['projects', '.', '--inputs']), 0).stdout;
    assert.match(text, /^inventory\s+services\/inventory\s+service\s+notifications,orders,common\s+built by docker-compose$/m);
  });

  it("leaves every shop service's findings as they were when the projects it does not depend on are deleted", async () => {
    const entries = inputsOf(shop);
    let compared = 0;
    for (const entry of entries.filter((candidate) => candidate.kind === 'service')) {
      const dropped = entries.filter((other) => other !== entry && !entry.dependsOn.includes(other.name)).map((other) => other.folder);
      if (dropped.length === 0) continue;
      compared++;
      const whole = await findingsIn(shop, entry.folder);
      assert.ok(whole.length > 0, `${entry.name} has findings to compare`);
      assert.deepEqual(await findingsIn(prunedCopy(shop, dropped, temp), entry.folder), whole, `${entry.name} without ${dropped.join(', ')}`);
    }
    assert.equal(compared, 3, 'inventory, orders and payments each leave a project out');
  });

  // Each case is code in another service that changes the findings of the service under test through shared code
  // alone: it imports nothing of that service's.
  const sharedCode: Array<{ title: string; common: string; services: Record<string, string>; subject: string; other: string; dependsOn: string[] }> = [
    {
      title: "a shared helper both call: a request handler's call of it reaches the function zeta hands it",
      common: 'export function run(task: () => unknown) {\n  return task();\n}\n',
      services: {
        alpha: "import express from 'express';\nimport { run } from '@ws/common';\n\nconst app = express();\napp.get('/x', (req, res) => {\n  run(() => 1);\n  res.send('ok');\n});\napp.listen(3000);\n",
        zeta: "import axios from 'axios';\nimport { run } from '@ws/common';\n\nfunction sync() {\n  return axios.get('http://inventory:3000/stock', { timeout: 1000 });\n}\n\nexport function start() {\n  run(sync);\n}\n",
      },
      subject: 'zeta',
      other: 'alpha',
      dependsOn: ['alpha', 'common'],
    },
    {
      title: "a shared wrapper whose callers are counted together (alpha's 24 calls push it past the limit)",
      common: "import axios from 'axios';\n\nexport function rpc(url: string) {\n  return axios.get(url, { timeout: 1000 });\n}\n",
      services: {
        alpha: `import { rpc } from '@ws/common';\n\nexport function calls() {\n${Array.from({ length: 24 }, (_, i) => `  rpc('http://payments:3000/p${i}');\n`).join('')}}\n`,
        zeta: "import { rpc } from '@ws/common';\n\nexport function stock() {\n  return rpc('http://inventory:3000/stock');\n}\n",
      },
      subject: 'zeta',
      other: 'alpha',
      dependsOn: ['alpha', 'common'],
    },
    {
      title: 'a shared wrapper judged by what all its callers pass',
      common: "import axios from 'axios';\n\nexport function notify(url: string, headers: Record<string, string>) {\n  return axios.post(url, {}, { headers, timeout: 1000 });\n}\n",
      services: {
        alpha: "import { notify } from '@ws/common';\n\nexport function calls() {\n  return notify('http://inventory:3000/notify', { 'x-request-id': '1' });\n}\n",
        zeta: "import { notify } from '@ws/common';\n\nexport function ping(url: string, headers: Record<string, string>) {\n  return notify(url, headers);\n}\n",
      },
      subject: 'zeta',
      other: 'alpha',
      dependsOn: ['alpha', 'common'],
    },
    {
      title: 'a shared client that alpha gives an interceptor',
      common: "import axios from 'axios';\n\nexport const http = axios.create({ baseURL: 'http://inventory:3000', timeout: 1000 });\n",
      services: {
        alpha: "import { http } from '@ws/common';\n\nhttp.interceptors.request.use((config) => config);\n\nexport function setup() {\n  return http;\n}\n",
        zeta: "import express from 'express';\nimport { http } from '@ws/common';\n\nconst app = express();\napp.get('/stock', async (req, res) => {\n  const r = await http.get('/stock');\n  res.json(r.data);\n});\napp.listen(3000);\n",
      },
      subject: 'zeta',
      other: 'alpha',
      dependsOn: ['alpha', 'common'],
    },
    {
      title: "a shared function that web registers as middleware, which runs what reports hands the library",
      common: 'export function dispatch(fn: () => unknown) {\n  return fn();\n}\nexport function audit(req: unknown, res: unknown, next: () => void) {\n  dispatch(() => 0);\n  next();\n}\n',
      services: {
        reports: "import axios from 'axios';\nimport { dispatch } from '@ws/common';\n\ndispatch(() => axios.get('http://orders:3000/x', { timeout: 1000 }));\n",
        web: "import express from 'express';\nimport { audit } from '@ws/common';\n\nconst app = express();\napp.use(audit);\napp.listen(3000);\n",
      },
      subject: 'reports',
      other: 'web',
      dependsOn: ['web', 'common'],
    },
    {
      title: "a chain of calls through a third service's function (web's handler → h → relay's g → f → reports' callback)",
      common: 'export function h(fn: () => unknown) {\n  return fn();\n}\nexport function f(fn: () => unknown) {\n  return fn();\n}\n',
      services: {
        relay: "import { f, h } from '@ws/common';\n\nexport function g() {\n  return f(() => 1);\n}\nh(g);\n",
        reports: "import axios from 'axios';\nimport { f } from '@ws/common';\n\nf(() => axios.get('http://orders:3000/x', { timeout: 1000 }));\n",
        web: "import express from 'express';\nimport { h } from '@ws/common';\n\nconst app = express();\napp.get('/x', (req, res) => {\n  res.json(h(() => 2));\n});\napp.listen(3000);\n",
      },
      subject: 'reports',
      other: 'web',
      dependsOn: ['relay', 'web', 'common'],
    },
    {
      title: "a Nest HttpModule registration in billing, whose options the library's injected HttpService takes",
      common: "import { Injectable } from '@nestjs/common';\nimport { HttpService } from '@nestjs/axios';\n\n@Injectable()\nexport class Api {\n  constructor(private readonly http: HttpService) {}\n  fetch(url: string) {\n    return this.http.get(url);\n  }\n}\n",
      services: {
        billing: "import { Module } from '@nestjs/common';\nimport { HttpModule } from '@nestjs/axios';\n\n@Module({ imports: [HttpModule.register({ timeout: 2000, headers: { 'x-request-id': 'static' } })] })\nexport class AppModule {}\n",
        gateway: "import { Controller, Get } from '@nestjs/common';\nimport { Api } from '@ws/common';\n\n@Controller()\nexport class AppController {\n  constructor(private readonly api: Api) {}\n  @Get('/orders')\n  list() {\n    return this.api.fetch('http://orders:3000/orders');\n  }\n}\n",
      },
      subject: 'gateway',
      other: 'billing',
      dependsOn: ['billing', 'common'],
    },
  ];
  for (const example of sharedCode) {
    it(`counts another service as a dependency through ${example.title}`, async () => {
      const root = path.join(temp, 'ws');
      workspace(root, example.common, example.services);
      const subject = inputsOf(root).find((entry) => entry.name === example.subject)!;
      assert.deepEqual(subject.dependsOn, example.dependsOn);
      // The dependency is real: without the other service's code, the findings differ.
      const without = await findingsIn(prunedCopy(root, [`services/${example.other}`], temp), `services/${example.subject}`);
      assert.notDeepEqual(await findingsIn(root, `services/${example.subject}`), without);
    });
  }

  it('keeps services apart that share a library but no code path through it, and no long chain elsewhere decides their values', async () => {
    const root = path.join(temp, 'ws');
    // alpha follows common's TIMEOUT through a chain of 44 variables, long enough that the evaluator's depth limit
    // cuts it inside common's values; zeta reads it directly. (Memoising the cut-short value made zeta's call look
    // bounded.)
    const chain = Array.from({ length: 44 }, (_, i) => `const c${i + 1} = c${i};`).join('\n');
    twoServices(root, {
      common: 'export const TIMEOUT = 0;\n',
      alpha: `import axios from 'axios';\nimport { TIMEOUT } from '@ws/common';\n\nconst c0 = TIMEOUT;\n${chain}\nexport function go() {\n  return axios.get(String(c44));\n}\n`,
      zeta: "import axios from 'axios';\nimport { TIMEOUT } from '@ws/common';\n\nexport function stock() {\n  return axios.get('http://inventory:3000/stock', { timeout: TIMEOUT });\n}\n",
    });
    const zeta = inputsOf(root).find((entry) => entry.name === 'zeta')!;
    assert.deepEqual(zeta.dependsOn, ['common']);
    const whole = await findingsIn(root, 'services/zeta');
    assert.ok(whole.some((finding) => finding.includes('missing-timeout')), whole.join('\n'));
    assert.deepEqual(await findingsIn(prunedCopy(root, ['services/alpha'], temp), 'services/zeta'), whole);
  });

  it('tells projects apart in a workspace of more than 32 of them', () => {
    const root = path.join(temp, 'ws');
    const services: Record<string, string> = {};
    for (let i = 0; i < 40; i++) services[`s${String(i).padStart(2, '0')}`] = `import axios from 'axios';\n\nexport function call${i}() {\n  return axios.get('http://orders:3000/${i}', { timeout: 1000 });\n}\n`;
    // s35 and s38 import each other's code (one strongly connected component); s39 calls the library's helper, which
    // nobody else does.
    services.s35 = "import { call38 } from '../../s38/src/main';\n\nexport const again = () => call38();\n";
    services.s38 = "import axios from 'axios';\nimport { again } from '../../s35/src/main';\n\nexport const loop = () => again;\nexport function call38() {\n  return axios.get('http://orders:3000/38', { timeout: 1000 });\n}\n";
    services.s39 = "import { ping } from '@ws/common';\n\nexport const go = () => ping();\n";
    // s31 (the 32nd project) names the owner of the database s05 connects to without naming it.
    services.s05 = "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n";
    services.s31 = "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.S31_DATABASE_URL });\n";
    workspace(root, "import axios from 'axios';\n\nexport function ping() {\n  return axios.get('http://orders:3000/ping', { timeout: 1000 });\n}\n", services);
    writeFiles(root, {
      'docker-compose.yml': ['services:', '  s05:', '    build: ./services/s05', '    environment:', '      DATABASE_URL: postgres://db:5432/records', '  s31:', '    build: ./services/s31', '    environment:', '      S31_DATABASE_URL: postgres://db:5432/records', ''].join('\n'),
    });
    const dependsOn = Object.fromEntries(inputsOf(root).map((entry) => [entry.name, entry.dependsOn]));
    assert.deepEqual(dependsOn.s00, ['common']);
    assert.deepEqual(dependsOn.s05, ['s31', 'common']);
    assert.deepEqual(dependsOn.s31, ['common']);
    assert.deepEqual(dependsOn.s35, ['s38', 'common']);
    assert.deepEqual(dependsOn.s38, ['s35', 'common']);
    assert.deepEqual(dependsOn.s39, ['common']);
    assert.equal(dependsOn.common.length, 40);
  });

  it('keeps source files in build output among the inputs only when breakwater.json includes files', () => {
    const root = path.join(temp, 'ws');
    twoServices(root, { common: 'export const VERSION = 1;\n', alpha: 'export const a = 1;\n', zeta: 'export const z = 1;\n' });
    const buildOutput = '!**/{dist,build,out,coverage}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
    assert.ok(inputsOf(root).every((entry) => entry.inputs.includes(buildOutput)));
    writeFiles(root, { 'breakwater.json': JSON.stringify({ include: ['services/zeta/tools/build/**'] }) });
    assert.ok(inputsOf(root).every((entry) => !entry.inputs.includes(buildOutput)));
  });

  it("counts a service that names the owner of a database another service connects to without naming it", async () => {
    const root = path.join(temp, 'ws');
    twoServices(root, {
      common: 'export const VERSION = 1;\n',
      alpha: "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.ALPHA_DATABASE_URL });\n",
      zeta: "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n",
    });
    writeFiles(root, {
      'docker-compose.yml': [
        'services:',
        '  alpha:',
        '    build: ./services/alpha',
        '    environment:',
        '      ALPHA_DATABASE_URL: postgres://db:5432/shared',
        '  zeta:',
        '    build: ./services/zeta',
        '    environment:',
        '      DATABASE_URL: postgres://db:5432/shared',
        '',
      ].join('\n'),
    });
    const zeta = inputsOf(root).find((entry) => entry.name === 'zeta')!;
    assert.deepEqual(zeta.dependsOn, ['alpha', 'common']);
    const whole = await findingsIn(root, 'services/zeta');
    assert.ok(whole.some((finding) => finding.includes('cross-service-db-access')), whole.join('\n'));
    const without = await findingsIn(prunedCopy(root, ['services/alpha'], temp), 'services/zeta');
    assert.ok(!without.some((finding) => finding.includes('cross-service-db-access')), without.join('\n'));
  });
});

describe('per-package turbo.json (breakwater projects --write-turbo)', function () {
  this.timeout(120_000);
  before(buildIfMissing);

  let root: string;
  beforeEach(() => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-turbo-'));
    root = path.join(temp, 'shop');
    fs.cpSync(path.join(repo, 'examples/shop'), root, { recursive: true, filter: (source) => !source.includes('node_modules') });
  });
  afterEach(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

  it('writes each package the inputs of its task, keeps what a turbo.json already holds, and --check finds nothing to do', () => {
    fs.writeFileSync(path.join(root, 'services/payments/turbo.json'), '// the payments team\'s tasks\n{\n  "extends": ["//"],\n  "tasks": { "build": { "outputs": ["dist/**"] } }\n}\n');
    const written = expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0).stdout;
    assert.equal(
      written,
      ['services/inventory/turbo.json: created', 'services/notifications/turbo.json: created', 'services/orders/turbo.json: created', 'services/payments/turbo.json: updated', 'libs/common/turbo.json: created', ''].join('\n'),
    );
    const inventory = readJson('services/inventory/turbo.json');
    assert.deepEqual(inventory.extends, ['//']);
    const inputs: string[] = inventory.tasks.breakwater.inputs;
    assert.equal(inputs[0], '$TURBO_ROOT$/**');
    assert.ok(inputs.includes('!$TURBO_ROOT$/services/payments/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'));
    assert.ok(!inputs.some((glob) => /notifications|orders/.test(glob)));
    // A library depends on everything: nothing is left out but what Breakwater never reads.
    assert.ok(!readJson('libs/common/turbo.json').tasks.breakwater.inputs.some((glob: string) => glob.includes('services/')));

    const payments = fs.readFileSync(path.join(root, 'services/payments/turbo.json'), 'utf8');
    assert.match(payments, /^\/\/ the payments team's tasks/);
    const paymentsTasks = parse(payments).tasks;
    assert.deepEqual(paymentsTasks.build, { outputs: ['dist/**'] });
    assert.ok(paymentsTasks.breakwater.inputs.includes('!$TURBO_ROOT$/services/inventory/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'));

    assert.equal(expectExit(breakwater(root, ['projects', '.', '--write-turbo', '--check']), 0).stdout, '5 turbo.json file(s) up to date\n');
    assert.equal(expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0).stdout.match(/unchanged/g)?.length, 5);
  });

  it("makes check --service fail when new code makes a project depend on one its turbo.json leaves out, until they are written again", () => {
    expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0);
    expectExit(breakwater(root, ['check', '.', '--service', 'payments']), 0);
    // payments now uses code of the inventory service: each now depends on the other, and each one's turbo.json leaves
    // the other out.
    writeFiles(root, { 'services/payments/src/stock.ts': "import { mongo } from '../../inventory/src/mongo.js';\n\nexport const stock = () => mongo.db('inventory').collection('items').findOne({});\n" });
    const failed = expectExit(breakwater(root, ['check', '.', '--service', 'payments']), 2);
    assert.match(failed.stderr, /services\/payments\/turbo\.json: the inputs of task "breakwater" leave out inventory \(services\/inventory\), whose code can now change the findings of payments/);
    assert.match(failed.stderr, /services\/inventory\/turbo\.json: the inputs of task "breakwater" leave out payments \(services\/payments\)/);
    assert.match(failed.stderr, /Run "breakwater projects --write-turbo"/);

    const check = expectExit(breakwater(root, ['projects', '.', '--write-turbo', '--check']), 1);
    assert.match(check.stdout, /^services\/inventory\/turbo\.json: out of date$/m);
    assert.match(check.stdout, /^services\/payments\/turbo\.json: out of date$/m);
    assert.doesNotMatch(check.stdout, /services\/orders/);

    expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0);
    expectExit(breakwater(root, ['check', '.', '--service', 'payments']), 0);
  });

  it('reports a turbo.json it cannot read, leaves it alone, and still writes the others', () => {
    fs.writeFileSync(path.join(root, 'services/orders/turbo.json'), '{ "tasks": ');
    const run = expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 2);
    assert.match(run.stderr, /services\/orders\/turbo\.json: not valid JSON/);
    assert.equal(fs.readFileSync(path.join(root, 'services/orders/turbo.json'), 'utf8'), '{ "tasks": ');
    assert.ok(fs.existsSync(path.join(root, 'services/inventory/turbo.json')));
  });

  it('keeps the line endings and indentation of an existing turbo.json, and writes another task with --task', () => {
    fs.writeFileSync(path.join(root, 'services/orders/turbo.json'), '{\r\n\t"extends": ["//"],\r\n\t"tasks": {\r\n\t\t"lint": {}\r\n\t}\r\n}\r\n');
    expectExit(breakwater(root, ['projects', '.', '--write-turbo', '--task', 'arch']), 0);
    const text = fs.readFileSync(path.join(root, 'services/orders/turbo.json'), 'utf8');
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    assert.match(text, /\r\n\t\t"arch": \{\r\n\t\t\t"inputs": \[\r\n\t\t\t\t"\$TURBO_ROOT\$\/\*\*",/);
    assert.deepEqual(parse(text).tasks.lint, {});
    // The advice names the task: --write-turbo without --task would write another one.
    writeFiles(root, { 'services/payments/src/stock.ts': "import { mongo } from '../../inventory/src/mongo.js';\n\nexport const stock = () => mongo;\n" });
    const failed = expectExit(breakwater(root, ['check', '.', '--service', 'payments', '--include-tests']), 2);
    assert.match(failed.stderr, /the inputs of task "arch" leave out inventory .* Run "breakwater projects --write-turbo --task arch --include-tests"/);
  });

  it('sees a dependency inside a folder that a turbo.json leaves out as a whole', () => {
    expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0);
    const file = path.join(root, 'services/payments/turbo.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    // A pattern of the user's (a wildcard in the folder) is theirs: no complaint.
    config.tasks.breakwater.inputs.push('!$TURBO_ROOT$/services/*/src/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}');
    fs.writeFileSync(file, JSON.stringify(config));
    expectExit(breakwater(root, ['check', '.', '--service', 'payments']), 0);
    // An exclusion of the form --write-turbo writes, one level up: it leaves out the projects inside it.
    config.tasks.breakwater.inputs.pop();
    config.tasks.breakwater.inputs.push('!$TURBO_ROOT$/services/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}');
    fs.writeFileSync(file, JSON.stringify(config));
    const failed = expectExit(breakwater(root, ['check', '.', '--service', 'payments']), 2);
    assert.match(failed.stderr, /services\/payments\/turbo\.json: the inputs of task "breakwater" leave out payments \(services\/payments\), notifications \(services\/notifications\), orders \(services\/orders\)/);
  });

  it('never leaves out a project without a task: a dependency its code adds would go unseen', () => {
    // payments, a service by breakwater.json but without a package.json, has no Turborepo task.
    fs.rmSync(path.join(root, 'services/payments/package.json'));
    writeFiles(root, { 'breakwater.json': JSON.stringify({ services: ['services/*'] }) });
    const dependsOn = JSON.parse(expectExit(breakwater(root, ['projects', '.', '--inputs', '-f', 'json']), 0).stdout).find((entry: { name: string }) => entry.name === 'inventory').dependsOn;
    assert.ok(!dependsOn.includes('payments'));
    const run = expectExit(breakwater(root, ['projects', '.', '--write-turbo']), 0);
    assert.match(run.stderr, /skipped payments \(services\/payments\): no package\.json, so Turborepo runs no task there/);
    assert.ok(!fs.existsSync(path.join(root, 'services/payments/turbo.json')));
    assert.ok(!readJson('services/inventory/turbo.json').tasks.breakwater.inputs.some((glob: string) => glob.includes('services/payments')));
  });

  it('refuses --check without --write-turbo', () => {
    assert.match(expectExit(breakwater(root, ['projects', '.', '--check']), 2).stderr, /--check goes with --write-turbo/);
  });
});
