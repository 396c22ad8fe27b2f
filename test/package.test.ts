// The package as users get it: `npm pack`, installed from the tarball into a fresh project outside this repository,
// then `npx breakwater check` on a copy of the example there, and the API's declarations type-checked by a consumer.
// About 20 s with a warm npm cache (npm ci fills it): pack 5 s, install 7 s, two checks, one type check.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bin, repo } from './cli-process';

interface PackEntry {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

/**
 * The environment of a user's shell: none of the npm_* variables `npm test` sets (npm_config_local_prefix would make
 * npm install into this repository), and no PATH entry inside it (its node_modules/.bin has a `breakwater` too).
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => entry && !isWithin(repo, path.resolve(entry)))
    .join(path.delimiter);
  return env;
}

function isWithin(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function ok(run: SpawnSyncReturns<string>, what: string): string {
  assert.equal(run.status, 0, `${what} exited with ${run.status}: ${run.stderr}\n${run.stdout}`);
  return run.stdout;
}

/** Findings in ESLint-shaped JSON: "rule file:line:column", with files relative to `root`. */
function findingsOf(json: string, root: string): string[] {
  const files = JSON.parse(json) as { filePath: string; messages: { ruleId: string | null; line: number; column: number }[] }[];
  return files.flatMap((file) => file.messages.map((m) => `${m.ruleId} ${path.relative(root, file.filePath)}:${m.line}:${m.column}`)).sort();
}

describe('the npm package, installed from its tarball', function () {
  this.timeout(300_000);
  let temp: string;
  let project: string;
  let pack: PackEntry;
  const env = userEnvironment();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

  before(() => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-package-')));
    assert.ok(!isWithin(repo, temp) && !isWithin(temp, repo), 'the project is outside the repository');
    // `npm pack` runs `prepare` (scripts/build.mjs), so the tarball has a fresh dist/ and its declarations.
    pack = (JSON.parse(ok(spawnSync(npm, ['pack', '--json', '--pack-destination', temp], { cwd: repo, encoding: 'utf8', env }), 'npm pack')) as PackEntry[])[0];
    project = path.join(temp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`);
    const tarball = path.join(temp, pack.filename);
    ok(spawnSync(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', env }), 'npm install <tarball>');
    fs.cpSync(path.join(repo, 'examples', 'shop'), path.join(project, 'shop'), { recursive: true });
  });
  after(() => {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it('packs the bundles, declarations, docs and schema, and no sources, maps or .vsix', () => {
    const files = pack.files.map((file) => file.path);
    for (const file of ['bin/breakwater.js', 'bin/breakwater-language-server.js', 'dist/cli.js', 'dist/engine.js', 'dist/report.js', 'dist/server.js',
      'dist/types/engine/index.d.ts', 'dist/types/engine/report/index.d.ts', 'docs/rules/missing-timeout.md', 'schema/breakwater.schema.json',
      'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
      assert.ok(files.includes(file), `${file} is not in the package`);
    }
    const unwanted = files.filter((file) => /\.map$|\.vsix$|^(engine|rules|cli|server|client|test|examples|bench|scripts)\/|^dist\/(client|extension-)/.test(file));
    assert.deepEqual(unwanted, []);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'breakwater', 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
  });

  it('`npx breakwater check` in the new project reports on a copy of the example what the repository\'s CLI reports', () => {
    const shop = path.join(project, 'shop');
    // The installed command, not this repository's: node_modules/.bin of the project.
    const installed = spawnSync(npx, ['--no', 'breakwater', 'check', 'shop', '--format', 'json'], { cwd: project, encoding: 'utf8', env });
    const ours = spawnSync(process.execPath, [bin, 'check', shop, '--format', 'json'], { cwd: project, encoding: 'utf8' });
    const expected = JSON.parse(fs.readFileSync(path.join(repo, 'examples', 'shop', 'expected-findings.json'), 'utf8')) as unknown[];
    const fromPackage = findingsOf(ok(installed, 'npx breakwater check'), shop);
    assert.equal(fromPackage.length, expected.length);
    assert.deepEqual(fromPackage, findingsOf(ok(ours, "the repository's CLI"), shop));
  });

  it('`breakwater rules` names the pages inside the installed package', () => {
    const out = ok(spawnSync(npx, ['--no', 'breakwater', 'rules'], { cwd: project, encoding: 'utf8', env }), 'npx breakwater rules');
    const folder = path.join(project, 'node_modules', 'breakwater', 'docs', 'rules');
    assert.ok(out.includes(`Each rule's page: ${path.join(folder, '<rule>.md')}`), out);
    assert.ok(fs.existsSync(path.join(folder, 'missing-timeout.md')));
  });

  it('the API and the formatters load, and their declarations type-check in a consumer', () => {
    const consumer = [
      "import { analyse, allRules, type AnalysisResult } from 'breakwater';",
      "import { countFindings, formatters, type FormatName } from 'breakwater/report';",
      'export async function run(root: string, format: FormatName): Promise<number> {',
      '  const result: AnalysisResult = await analyse(root);',
      '  process.stdout.write(formatters[format](result, { color: false }));',
      '  return countFindings(result.findings).warnings + allRules.length;',
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(project, 'consumer.ts'), consumer);
    fs.writeFileSync(path.join(project, 'wrong.ts'), "import { analyze } from 'breakwater';\nexport const x: number = analyze;\n");
    // The native compiler (1 s) over the consumer and the package's declarations (no skipLibCheck), Node's types from
    // this repository: the project installs none of its own.
    const tsgo = path.join(repo, 'node_modules', '@typescript', 'native-preview', 'bin', 'tsgo');
    const compile = (file: string) =>
      spawnSync(process.execPath, [tsgo, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(repo, 'node_modules', '@types'), file], { cwd: project, encoding: 'utf8', env });
    ok(compile('consumer.ts'), 'tsgo consumer.ts');
    const wrong = compile('wrong.ts');
    assert.notEqual(wrong.status, 0, wrong.stdout);
    assert.match(wrong.stdout, /has no exported member (named )?'analyze'/, 'the declarations are read, not any');

    const script = "const { analyse } = require('breakwater'); const { formatters } = require('breakwater/report');" +
      " analyse('shop').then((r) => process.stdout.write(String(JSON.parse(formatters.json(r)).reduce((n, f) => n + f.messages.length, 0))));";
    const count = ok(spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', env }), 'require("breakwater")');
    assert.equal(Number(count), (JSON.parse(fs.readFileSync(path.join(repo, 'examples', 'shop', 'expected-findings.json'), 'utf8')) as unknown[]).length);
  });
});
