// Nothing skipped in silence (issue 12, section 2). Files nested deeper than the main thread's stack are analysed,
// and what is still skipped is part of the result in every channel. Each case failed before the fix: a deep file was
// dropped with "Maximum call stack size exceeded" on stderr only. Every run goes through a public entry point.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyse, Analysis, UserInputError } from '../engine';
import { YAML_MAX_ALIASES, YAML_MAX_DEPTH, yamlTooDeep } from '../engine/io/yaml';
import { bin, buildIfMissing } from './cli-process';
import { serverScript, start, stop } from './lsp-client';
import { assertValidSarif } from './sarif-schema';

/** A missing-timeout finding at 3:10 of each file this starts. */
const CALL = "import axios from 'axios';\nexport async function pay() {\n  return axios.get(`${process.env.PAYMENTS_URL}/pay`);\n}\n";
const SERVICE = JSON.stringify({ name: 'a', scripts: { start: 'node src/index.js' }, dependencies: { axios: '^1' } });

const made: string[] = [];
function workspace(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-skipped-'));
  made.push(root);
  const all = { 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['services/*'] }), 'services/a/package.json': SERVICE, 'services/a/src/index.ts': CALL, ...files };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function breakwater(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** Deep files that overflow Node's default stack in TypeScript's parser or in the extractor. */
const DEEP: Record<string, string> = {
  'services/a/src/callbacks.ts': `${CALL}${'x(() => {\n'.repeat(500)}y();\n${'});\n'.repeat(500)}`,
  'services/a/src/parentheses.ts': `${CALL}export const y = ${'('.repeat(1000)}1${')'.repeat(1000)};\n`,
  'services/a/src/chain.ts': `${CALL}export const z = q${'.b()'.repeat(2000)};\n`,
  'services/a/src/deeper.ts': `${CALL}export const w = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\n`,
};

after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('nothing skipped in silence (issue 12)', function () {
  this.timeout(120_000);

  describe('deeply nested files are analysed', function () {
    it('analyse() finds the call in each deep file and warns about none', async function () {
      const result = await analyse(workspace(DEEP));
      for (const file of Object.keys(DEEP)) {
        assert.ok(
          result.findings.some((finding) => finding.location.file === file && finding.ruleId === 'missing-timeout' && finding.location.line === 3),
          `the call in ${file} is found`,
        );
      }
      assert.deepEqual(result.warnings, []);
    });

    it('check finds them too (the worker beside the built CLI)', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace(DEEP), ['check', '.', '-f', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const files = (JSON.parse(run.stdout) as Array<{ filePath: string }>).map((entry) => path.basename(entry.filePath)).sort();
      assert.deepEqual(files, ['callbacks.ts', 'chain.ts', 'deeper.ts', 'index.ts', 'parentheses.ts']);
      assert.doesNotMatch(run.stderr, /call stack/);
    });

    it('the language server shows their findings (its bundle runs the worker)', async function () {
      buildIfMissing.call(this);
      const root = workspace(DEEP);
      const client = await start(root);
      try {
        for (const file of Object.keys(DEEP)) {
          const uri = pathToFileURL(path.join(root, file)).toString();
          await client.until(() => client.diagnostics.get(uri)?.find((d) => d.code === 'missing-timeout'), `the finding in ${file}`, 40_000);
        }
      } finally {
        await stop(client);
      }
    });
  });

  describe('what is skipped is part of the result', function () {
    /** The file parses with a syntax error at 2:24 (TypeScript: "Expression expected."). */
    const BROKEN = { 'services/a/src/broken.ts': "export const ok = 1;\nexport const broken = (;\n" };
    const FILE = 'services/a/src/broken.ts';

    it('analyse() gives each warning with its file and position (notices)', async function () {
      const result = await analyse(workspace(BROKEN));
      const notice = result.notices.find((n) => n.file === FILE);
      assert.ok(notice, JSON.stringify(result.notices));
      assert.deepEqual({ line: notice.line, column: notice.column, level: notice.level }, { line: 2, column: 24, level: 'warning' });
      assert.deepEqual(result.warnings, result.notices.map((n) => n.message));
    });

    it('JSON lists the file with a message of no rule, at the position', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace(BROKEN), ['check', '.', '-f', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const entry = (JSON.parse(run.stdout) as Array<{ filePath: string; warningCount: number; messages: Array<Record<string, unknown>> }>).find((e) => e.filePath.endsWith(FILE));
      assert.ok(entry, run.stdout);
      assert.equal(entry.warningCount, 1);
      assert.deepEqual(entry.messages.map(({ ruleId, severity, line, column }) => ({ ruleId, severity, line, column })), [{ ruleId: null, severity: 1, line: 2, column: 24 }]);
      assert.match(String(entry.messages[0].message), /syntax error/);
    });

    it('--max-warnings 0 fails on it: a skipped part is not a pass', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace({ ...BROKEN, 'services/a/src/index.ts': 'export const none = 1;\n' }), ['check', '.', '--max-warnings', '0']);
      assert.equal(run.status, 1, run.stdout + run.stderr);
    });

    it('SARIF has a tool notification located on the file', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace(BROKEN), ['check', '.', '-f', 'sarif']);
      assert.equal(run.status, 0, run.stderr);
      const log = JSON.parse(run.stdout);
      assertValidSarif(log);
      const invocation = log.runs[0].invocations[0];
      assert.equal(invocation.executionSuccessful, true);
      const [notification] = invocation.toolExecutionNotifications;
      assert.equal(notification.level, 'warning');
      assert.deepEqual(notification.locations[0].physicalLocation, { artifactLocation: { uri: FILE, uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 24 } });
    });

    it('merge-sarif of per-service logs gathers their notifications into the whole-workspace log', function () {
      buildIfMissing.call(this);
      const root = workspace({ ...BROKEN, 'services/b/package.json': JSON.stringify({ name: 'b' }), 'services/b/src/index.ts': CALL, 'services/b/src/broken.ts': 'export const b = (;\n' });
      const whole = breakwater(root, ['check', '.', '-f', 'sarif']).stdout;
      const logs = ['a', 'b'].map((service) => {
        const file = path.join(root, `${service}.sarif`);
        fs.writeFileSync(file, breakwater(root, ['check', '.', '--service', service, '-f', 'sarif']).stdout);
        return file;
      });
      const merged = breakwater(root, ['merge-sarif', ...logs.reverse()]);
      assert.equal(merged.status, 0, merged.stderr);
      assert.equal(JSON.parse(whole).runs[0].invocations[0].toolExecutionNotifications.length, 2);
      assert.equal(merged.stdout, whole);
    });

    it('stylish shows a line under the file', function () {
      buildIfMissing.call(this);
      const root = workspace(BROKEN);
      const run = breakwater(root, ['check', '.']);
      const block = run.stdout.split('\n\n').find((part) => part.trim().startsWith(FILE));
      assert.ok(block, run.stdout);
      assert.match(block, /^\s+2:24\s+warning\s+services\/a\/src\/broken\.ts has 1 syntax error\(s\) \(the first: Expression expected\.\)/m);
    });

    it('the editor shows a diagnostic on the file', async function () {
      buildIfMissing.call(this);
      const root = workspace(BROKEN);
      const client = await start(root);
      try {
        const uri = pathToFileURL(path.join(root, FILE)).toString();
        const [diagnostic] = await client.until(() => (client.diagnostics.get(uri)?.length ? client.diagnostics.get(uri) : undefined), 'a diagnostic on the broken file', 40_000);
        assert.equal(diagnostic.source, 'breakwater');
        assert.equal(diagnostic.severity, 3); // Information: the rest of the file was analysed
        assert.deepEqual(diagnostic.range.start, { line: 1, character: 23 });
        assert.match(String(diagnostic.message), /syntax error/);
      } finally {
        await stop(client);
      }
    });
  });

  describe('broken manifests: one warning each, with the file and position', function () {
    const cases: Array<{ name: string; files: Record<string, string>; file: string; line?: number; words: RegExp }> = [
      {
        name: 'a truncated root package.json (its workspaces are lost)',
        files: { 'package.json': '{ "name": "root", "private": true, "workspaces": ["serv' },
        file: 'package.json',
        line: 1,
        words: /package\.json is not valid JSON \(.+ at 1:\d+\); not used/,
      },
      { name: 'a broken compose file', files: { 'docker-compose.yml': 'services:\n  a:\n    build: [./services/a\n  b: x\n' }, file: 'docker-compose.yml', line: 4, words: /docker-compose\.yml is not valid YAML/ },
      { name: 'a .env line that is no assignment', files: { 'services/a/.env': 'PAYMENTS_URL=http://pay\nthis is not an assignment\n' }, file: 'services/a/.env', line: 2, words: /services\/a\/\.env line 2 is not NAME=value/ },
      { name: 'a broken pnpm-workspace.yaml', files: { 'pnpm-workspace.yaml': 'packages:\n  - "services/*\n' }, file: 'pnpm-workspace.yaml', words: /pnpm-workspace\.yaml is not valid YAML/ },
      { name: 'a broken nx.json', files: { 'nx.json': '{ "workspaceLayout": { "appsDir": } }' }, file: 'nx.json', line: 1, words: /nx\.json is not valid JSON \(value expected at 1:\d+\)/ },
      {
        name: 'a tsconfig whose extends form a cycle',
        files: { 'tsconfig.json': '{ "extends": "./tsconfig.base.json" }', 'tsconfig.base.json': '{ "extends": "./tsconfig.json" }' },
        file: 'tsconfig.json',
        words: /tsconfig\.json: Circularity detected/,
      },
    ];
    for (const { name, files, file, line, words } of cases) {
      it(name, async function () {
        const result = await analyse(workspace(files));
        const about = result.notices.filter((notice) => notice.file === file);
        assert.equal(about.length, 1, JSON.stringify(result.notices));
        assert.match(about[0].message, words);
        if (line !== undefined) assert.equal(about[0].line, line);
        assert.ok(result.findings.some((finding) => finding.location.file === 'services/a/src/index.ts'), 'the intact service still gets its finding');
      });
    }

    it('check names the truncated package.json in JSON, at its position', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace(cases[0].files), ['check', '.', '-f', 'json']);
      const entry = (JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line?: number }> }>).find((e) => e.filePath.endsWith(`${path.sep}package.json`));
      assert.ok(entry, run.stdout);
      assert.deepEqual(entry.messages.map((m) => [m.ruleId, m.line]), [[null, 1]]);
    });
  });

  describe('YAML alias bombs: refused by an explicit, small alias limit, and told as such', function () {
    /** Billion laughs: 10 levels of 10 aliases, 10^10 nodes once expanded. */
    const laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
    const BOMB = laughs.join('\n');
    const files: Record<string, string> = {
      'docker-compose.yml': `${BOMB}\nservices:\n  a:\n    build: ./services/a\n`,
      'k8s/bomb.yaml': `${BOMB}\nkind: Deployment\nmetadata:\n  name: a\n`,
      'pnpm-workspace.yaml': `${BOMB}\npackages:\n  - services/*\n`,
    };

    it('each bomb gets one notice that says it uses too many aliases, not that it is invalid YAML', async function () {
      const result = await analyse(workspace(files));
      for (const file of Object.keys(files)) {
        const about = result.notices.filter((notice) => notice.file === file);
        assert.equal(about.length, 1, `${file}: ${JSON.stringify(result.notices)}`);
        assert.equal(about[0].message, `${file} uses too many YAML aliases (more than ${YAML_MAX_ALIASES}); not read`);
      }
      assert.ok(result.findings.some((finding) => finding.location.file === 'services/a/src/index.ts'), 'the intact service still gets its finding');
    });

    it('a compose file that shares settings through as many aliases as the limit allows is read', async function () {
      const services = Array.from({ length: YAML_MAX_ALIASES }, (_, i) => `  s${i}:\n    <<: *common\n`).join('');
      const compose = `x-common: &common\n  environment:\n    PAYMENTS_URL: http://payments\nservices:\n${services}  a:\n    build: ./services/a\n    hostname: alpha\n`;
      const result = await analyse(workspace({ 'docker-compose.yml': compose }));
      assert.deepEqual(result.notices, []);
    });

    it('one over the limit is refused', async function () {
      const services = Array.from({ length: YAML_MAX_ALIASES + 1 }, (_, i) => `  s${i}:\n    <<: *common\n`).join('');
      const result = await analyse(workspace({ 'docker-compose.yml': `x-common: &common\n  restart: always\nservices:\n${services}` }));
      assert.deepEqual(result.notices.map((notice) => notice.message), [`docker-compose.yml uses too many YAML aliases (more than ${YAML_MAX_ALIASES}); not read`]);
    });

    it('YAML nested deeper than the parser\'s stack gets one notice that says so, not two with a stack overflow', async function () {
      const deep = `services: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
      const files = { 'docker-compose.yml': deep, 'k8s/deep.yaml': deep, 'pnpm-workspace.yaml': `packages: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` };
      const result = await analyse(workspace(files));
      for (const file of Object.keys(files)) {
        const about = result.notices.filter((notice) => notice.file === file);
        assert.deepEqual(about.map((notice) => [notice.message, notice.line]), [[`${file} is nested too deeply (more than ${YAML_MAX_DEPTH} levels of indentation and brackets, at 1:${10 + YAML_MAX_DEPTH + 1}); not read`, 1]], JSON.stringify(result.notices));
      }
      assert.ok(result.findings.some((finding) => finding.location.file === 'services/a/src/index.ts'), 'the intact service still gets its finding');
    });

    it('the depth scan is linear, and reads real YAML (block scalars, quotes, comments, flow maps) as shallow', function () {
      const started = Date.now();
      assert.deepEqual(yamlTooDeep(`a: ${'['.repeat(2_000_000)}`), { line: 1, column: 4 + YAML_MAX_DEPTH });
      assert.deepEqual(yamlTooDeep('- '.repeat(2_000_000)), { line: 1, column: 2 * Math.ceil((YAML_MAX_DEPTH + 1) / 2) + 1 });
      assert.equal(yamlTooDeep(` |${' |'.repeat(1_000_000)}\n`), undefined);
      assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
      const real = [
        'x-common: &common {restart: always, labels: {a: "[[[[", b: \'{{{{\'}}  # [[[[ in a comment',
        'services:',
        '  a:',
        '    <<: *common',
        '    command: |',
        `${' '.repeat(400)}[[[[[[[[ text of a block scalar, indented far`,
        '',
        `      ${'['.repeat(300)}`,
        '    environment:',
        "      NOTE: it's [not a flow",
        '      LIST: [a, [b, {c: d}]]',
      ].join('\n');
      assert.equal(yamlTooDeep(real), undefined);
      assert.deepEqual(yamlTooDeep(`${' '.repeat(YAML_MAX_DEPTH + 1)}a: 1`), { line: 1, column: YAML_MAX_DEPTH + 2 });
    });

    it('a YAML warning (an unknown tag) is not printed to stderr as a Node process warning', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace({ 'docker-compose.yml': 'services:\n  a:\n    build: !local ./services/a\n' }), ['check', '.', '-f', 'json']);
      assert.doesNotMatch(run.stderr, /YAMLWarning|TAG_RESOLVE_FAILED/);
    });

    it('the limit is small and explicit, and every YAML parse goes through engine/io/yaml.ts', function () {
      assert.ok(YAML_MAX_ALIASES > 0 && YAML_MAX_ALIASES <= 100, `YAML_MAX_ALIASES = ${YAML_MAX_ALIASES}`);
      const repo = path.resolve(__dirname, '..');
      const importers: string[] = [];
      for (const folder of ['engine', 'cli', 'server', 'rules', 'client']) {
        for (const entry of fs.readdirSync(path.join(repo, folder), { recursive: true, withFileTypes: true })) {
          if (!entry.isFile() || !/\.[cm]?[jt]s$/.test(entry.name)) continue;
          const file = path.join(entry.parentPath, entry.name);
          if (/from ['"]yaml['"]|require\(['"]yaml['"]\)|import\(['"]yaml['"]\)/.test(fs.readFileSync(file, 'utf8'))) importers.push(path.relative(repo, file).split(path.sep).join('/'));
        }
      }
      assert.deepEqual(importers, ['engine/io/yaml.ts']);
    });
  });

  describe('a per-file size limit (maxFileSizeMb, default 2)', function () {
    /** A 3 MB module with the call on line 3: generated code of that size took seconds and gigabytes to parse. */
    const BIG = { 'services/a/src/big.ts': `${CALL}export const blob = "${'x'.repeat(3 * 1024 * 1024)}";\n` };

    it('a source file over 2 MB is skipped with a warning that names it', async function () {
      const result = await analyse(workspace(BIG));
      const notice = result.notices.find((n) => n.file === 'services/a/src/big.ts');
      assert.ok(notice, JSON.stringify(result.notices));
      assert.match(notice.message, /is larger than 2 MB \(3 MB\); not read \(maxFileSizeMb in breakwater\.json raises the limit\)/);
      assert.ok(!result.findings.some((f) => f.location.file === 'services/a/src/big.ts'));
      assert.ok(result.findings.some((f) => f.location.file === 'services/a/src/index.ts'), 'the rest is analysed');
    });

    it('maxFileSizeMb in breakwater.json raises it', async function () {
      const result = await analyse(workspace({ ...BIG, 'breakwater.json': '{ "maxFileSizeMb": 4 }' }));
      assert.deepEqual(result.notices, []);
      assert.ok(result.findings.some((f) => f.location.file === 'services/a/src/big.ts'));
    });

    it('an editor buffer over the limit is skipped too, and analysed again once it is small', async function () {
      const root = workspace();
      const analysis = new Analysis(root);
      await analysis.run();
      const big = await analysis.update([{ path: 'services/a/src/index.ts', text: BIG['services/a/src/big.ts'] }]);
      assert.match(big.notices.map((n) => n.message).join('\n'), /services\/a\/src\/index\.ts is larger than 2 MB/);
      const small = await analysis.update([{ path: 'services/a/src/index.ts', text: CALL }]);
      assert.deepEqual(small.notices, []);
      assert.ok(small.findings.some((f) => f.location.file === 'services/a/src/index.ts'));
    });

    it('a limit of 0 or over 64 is a config error with file and position', async function () {
      for (const value of ['0', '100']) {
        await assert.rejects(analyse(workspace({ 'breakwater.json': `{\n  "maxFileSizeMb": ${value}\n}` })), (error: unknown) => {
          assert.ok(error instanceof UserInputError);
          assert.equal(error.line, 2);
          assert.match(error.message, /maxFileSizeMb/);
          return true;
        });
      }
    });
  });

  describe('stylish output escapes control characters in file names', function () {
    it('CR, LF and ANSI escapes in a file name reach the terminal escaped', function () {
      if (process.platform === 'win32') this.skip();
      buildIfMissing.call(this);
      const name = 'services/a/src/evil\r\u001b[31mred\nfake.ts';
      const run = breakwater(workspace({ [name]: CALL }), ['check', '.', '--no-color']);
      assert.ok(!run.stdout.includes('\u001b'), JSON.stringify(run.stdout));
      assert.ok(!run.stdout.includes('\r'), JSON.stringify(run.stdout));
      assert.match(run.stdout, /evil\\r\\u001b\[31mred\\nfake\.ts/);
    });
  });

  describe('small ones', function () {
    it('a config nested 100,000 deep is a config error with file and position', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace({ 'breakwater.json': `{ "rules": ${'['.repeat(100_000)}${']'.repeat(100_000)} }` }), ['check', '.']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^breakwater: breakwater\.json:1:\d+: breakwater\.json is nested deeper than 64 levels$/m);
      assert.doesNotMatch(run.stderr, /internal error|call stack/);
    });

    it('a package.json nested 100,000 deep is a warning, not a silent loss', async function () {
      const result = await analyse(workspace({ 'services/a/package.json': `{ "name": "a", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)} }` }));
      assert.ok(result.notices.some((n) => n.file === 'services/a/package.json' && /nested deeper than/.test(n.message)), JSON.stringify(result.notices));
    });

    it('a config syntax error is told in words, not the parser\'s enum name', function () {
      buildIfMissing.call(this);
      const run = breakwater(workspace({ 'breakwater.json': '{\n  "rules": { , }\n}\n' }), ['check', '.']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /breakwater\.json:2:\d+: Invalid JSON in breakwater\.json: (property name|value) expected/);
      assert.doesNotMatch(run.stderr, /[a-z][A-Z][a-z]+Expected/);
    });

    it('check --help into a closed pipe exits without an EPIPE stack trace', async function () {
      buildIfMissing.call(this);
      const child = spawn(process.execPath, [bin, 'check', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader (`| head`) is gone before anything is written
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
    });

    it('breakwater-language-server --help, or no transport, prints a usage line', function () {
      buildIfMissing.call(this);
      const help = spawnSync(process.execPath, [serverScript, '--help'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /^Usage: breakwater-language-server --stdio/);
      const bare = spawnSync(process.execPath, [serverScript], { encoding: 'utf8', timeout: 20_000, input: '' });
      assert.equal(bare.status, 2);
      assert.match(bare.stderr, /no transport given\.\nUsage: breakwater-language-server --stdio/);
      assert.doesNotMatch(bare.stderr, /\n\s+at /);
    });

    it('breakwater-language-server --socket without a port, or --pipe without a name, prints what is missing', function () {
      buildIfMissing.call(this);
      for (const [args, words] of [[['--socket=abc'], /--socket needs a port \(1-65535\)\.\nUsage:/], [['--pipe='], /--pipe needs a name\.\nUsage:/], [['--socket'], /--socket needs a port/]] as const) {
        const run = spawnSync(process.execPath, [serverScript, ...args], { encoding: 'utf8', timeout: 20_000, input: '' });
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, words);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      }
    });
  });
});
