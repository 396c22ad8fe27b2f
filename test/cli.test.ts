// The CLI as users and CI run it: a separate process on a real folder, judged by its stdout, stderr and exit code.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnalysisResult, Finding } from '../engine';
import { formatJson } from '../engine/report/json';
import { formatStylish } from '../engine/report/stylish';
import { assertExit, bin, buildIfMissing, repo, runCliSync, type CliRun } from './cli-process';

const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

const PACKAGE_JSON = JSON.stringify({ name: 'svc', dependencies: { axios: '^1' } });
/** One missing-timeout warning, at 3:10. */
const UNBOUNDED = "import axios from 'axios';\nexport async function load() {\n  return axios.get('http://localhost:3000/items');\n}\n";
const BOUNDED = "import axios from 'axios';\nexport async function load() {\n  return axios.get('http://localhost:3000/items', { timeout: 2000 });\n}\n";
const SUPPRESSED =
  "import axios from 'axios';\nexport async function load() {\n  // breakwater-disable-next-line missing-timeout -- the mesh times out\n  return axios.get('http://localhost:3000/items');\n}\n";

const made: string[] = [];

/** A temporary workspace with these files (paths relative to it). */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-cli-'));
  made.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const withFinding = () => workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': UNBOUNDED });


const breakwater = runCliSync;


describe('breakwater (CLI)', () => {
  before(buildIfMissing);
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('help and version', () => {
    it('--version prints the package version', () => {
      const run = breakwater(repo, ['--version']);
      assertExit(run, 0);
      assert.equal(run.stdout.trim(), version);
    });

    it('--help lists the commands', () => {
      const run = breakwater(repo, ['--help']);
      assertExit(run, 0);
      assert.match(run.stdout, /check/);
      assert.match(run.stdout, /rules/);
    });

    it('check --help documents every option, the paths and the exit codes', () => {
      const run = breakwater(repo, ['check', '--help']);
      assertExit(run, 0);
      for (const option of ['--format', '--output', '--config', '--max-warnings', '--rule', '--ignore-rule', '--quiet', '--include-tests', '--no-color', '--no-error-on-unmatched-pattern']) {
        assert.ok(run.stdout.includes(option), `${option} is documented`);
      }
      assert.match(run.stdout, /workspace root/);
      assert.match(run.stdout, /Exit codes/);
    });

    it('no command prints the help and exits with 2', () => {
      const run = breakwater(repo, []);
      assertExit(run, 2);
      assert.match(run.stderr, /Usage: breakwater/);
    });

    it('rules lists the rule ids with their default severity', () => {
      const run = breakwater(repo, ['rules']);
      assertExit(run, 0);
      assert.match(run.stdout, /^missing-timeout\s+warning\s+\S/m);
      // Where the pages are, in the package that runs: they exist there.
      const folder = /^Each rule's page: (.*)<rule>\.md$/m.exec(run.stdout)?.[1];
      assert.ok(folder && fs.existsSync(path.join(folder, 'missing-timeout.md')), run.stdout);
    });
  });

  describe('formats', () => {
    it('stylish: the file, line:col, severity, message and rule id, then a summary', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check']);
      assertExit(run, 0);
      assert.match(run.stdout, /^src[/\\]index\.ts$/m);
      assert.match(run.stdout, /^ {2}3:10 {2}warning {2}.+ {2}missing-timeout$/m);
      assert.match(run.stdout, /✖ 1 problem \(0 errors, 1 warning\)/);
      assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colour when piped');
    });

    it('stylish paths are relative to the working directory', () => {
      const dir = withFinding();
      const run = breakwater(path.dirname(dir), ['check', path.basename(dir)]);
      assertExit(run, 0);
      assert.ok(run.stdout.includes(path.join(path.basename(dir), 'src', 'index.ts')), run.stdout);
    });

    it('json: ESLint-shaped files with absolute paths', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check', '--format', 'json']);
      assertExit(run, 0);
      const files = JSON.parse(run.stdout);
      assert.equal(files.length, 1);
      assert.equal(fs.realpathSync(files[0].filePath), fs.realpathSync(path.join(dir, 'src/index.ts')));
      assert.equal(files[0].warningCount, 1);
      assert.equal(files[0].errorCount, 0);
      const [message] = files[0].messages;
      assert.equal(message.ruleId, 'missing-timeout');
      assert.equal(message.severity, 1);
      assert.equal(message.line, 3);
      assert.equal(message.column, 10);
      assert.equal(typeof message.message, 'string');
    });

    it('json: an empty array when clean', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': BOUNDED });
      const run = breakwater(dir, ['check', '-f', 'json']);
      assertExit(run, 0);
      assert.deepEqual(JSON.parse(run.stdout), []);
    });

    it('-o writes the report to a file, creating its folder', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check', '-f', 'json', '-o', 'reports/nested/out.json']);
      assertExit(run, 0);
      assert.equal(run.stdout, '');
      const files = JSON.parse(fs.readFileSync(path.join(dir, 'reports/nested/out.json'), 'utf8'));
      assert.equal(files[0].messages[0].ruleId, 'missing-timeout');
    });

    it('colours with FORCE_COLOR, not with --no-color', () => {
      const dir = withFinding();
      assert.match(breakwater(dir, ['check'], { FORCE_COLOR: '1' }).stdout, /\u001b\[/);
      assert.doesNotMatch(breakwater(dir, ['check', '--no-color'], { FORCE_COLOR: '1' }).stdout, /\u001b\[/);
      assert.doesNotMatch(breakwater(dir, ['check'], { NO_COLOR: '1' }).stdout, /\u001b\[/);
    });

    it('an unknown format is a usage error', () => {
      const run = breakwater(withFinding(), ['check', '-f', 'xml']);
      assertExit(run, 2);
      assert.match(run.stderr, /stylish, json, sarif/);
    });
  });

  describe('exit codes', () => {
    it('0 when clean, with nothing printed', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': BOUNDED });
      const run = breakwater(dir, ['check']);
      assertExit(run, 0);
      assert.equal(run.stdout, '');
    });

    it('0 with warnings only', () => {
      assertExit(breakwater(withFinding(), ['check']), 0);
    });

    it('1 with more warnings than --max-warnings, saying so on stderr', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check', '--max-warnings', '0']);
      assertExit(run, 1);
      assert.match(run.stderr, /Breakwater found too many warnings \(maximum: 0\)\./);
      assertExit(breakwater(dir, ['check', '--max-warnings', '1']), 0);
      assertExit(breakwater(dir, ['check', '--max-warnings', '-1']), 0);
    });

    it('1 when breakwater.json makes the rule an error', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/index.ts': UNBOUNDED,
        'breakwater.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }),
      });
      const run = breakwater(dir, ['check']);
      assertExit(run, 1);
      assert.match(run.stdout, /3:10 {2}error/);
      assert.match(run.stdout, /1 problem \(1 error, 0 warnings\)/);
    });

    it('1 with an error from a config given by --config', () => {
      const dir = withFinding();
      const config = path.join(workspace({ 'strict.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) }), 'strict.json');
      assertExit(breakwater(dir, ['check', '--config', config]), 1);
    });

    it('2 for an unknown option', () => {
      const run = breakwater(withFinding(), ['check', '--frobnicate']);
      assertExit(run, 2);
      assert.match(run.stderr, /unknown option '--frobnicate'/);
    });

    it('2 for a bad --max-warnings', () => {
      assertExit(breakwater(withFinding(), ['check', '--max-warnings', 'many']), 2);
      assertExit(breakwater(withFinding(), ['check', '--max-warnings', '-2']), 2);
    });

    it('2 for an unknown rule id, listing the valid ones', () => {
      for (const option of ['--rule', '--ignore-rule']) {
        const run = breakwater(withFinding(), ['check', option, 'missing-timeouts']);
        assertExit(run, 2);
        assert.match(run.stderr, /unknown rule "missing-timeouts"/);
        assert.match(run.stderr, /missing-timeout,|missing-timeout$/m);
      }
    });

    it('2 for a path that does not exist', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check', 'no-such-folder']);
      assertExit(run, 2);
      assert.match(run.stderr, /no such file or folder: no-such-folder/);
      assertExit(breakwater(dir, ['check', '.', 'src/missing.ts']), 2);
    });

    it('2 for a config with a syntax error, naming file:line:col', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/index.ts': UNBOUNDED,
        'breakwater.json': '{\n  "rules": {\n    "missing-timeout": "warn",,\n  }\n}\n',
      });
      const run = breakwater(dir, ['check']);
      assertExit(run, 2);
      assert.match(run.stderr, /^breakwater: breakwater\.json:3:\d+: /m);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });

    it('2 for a config that fails the schema, naming file:line:col', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/index.ts': UNBOUNDED,
        'breakwater.json': '{\n  "rules": {\n    "missing-timeout": "loud"\n  }\n}\n',
      });
      const run = breakwater(dir, ['check']);
      assertExit(run, 2);
      assert.match(run.stderr, /^breakwater: breakwater\.json:3:\d+: .*missing-timeout/m);
    });

    it('2 for a --config file that does not exist', () => {
      const run = breakwater(withFinding(), ['check', '--config', 'nope.json']);
      assertExit(run, 2);
      assert.match(run.stderr, /nope\.json/);
    });
  });

  describe('choosing what to report', () => {
    it('--ignore-rule drops the rule, --rule keeps only it', () => {
      const dir = withFinding();
      const ignored = breakwater(dir, ['check', '--ignore-rule', 'missing-timeout', '--max-warnings', '0']);
      assertExit(ignored, 0);
      assert.equal(ignored.stdout, '');
      const only = breakwater(dir, ['check', '--rule', 'missing-timeout']);
      assertExit(only, 0);
      assert.match(only.stdout, /missing-timeout/);
    });

    it('--quiet reports errors only and does not count warnings', () => {
      const dir = withFinding();
      const run = breakwater(dir, ['check', '--quiet', '--max-warnings', '0']);
      assertExit(run, 0);
      assert.equal(run.stdout, '');
      fs.writeFileSync(path.join(dir, 'breakwater.json'), JSON.stringify({ rules: { 'missing-timeout': 'error' } }));
      const errors = breakwater(dir, ['check', '--quiet']);
      assertExit(errors, 1);
      assert.match(errors.stdout, /missing-timeout/);
    });

    it('further paths narrow the report to findings under them', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': UNBOUNDED, 'lib/ok.ts': BOUNDED });
      assert.match(breakwater(dir, ['check', '.', 'src']).stdout, /missing-timeout/);
      assert.match(breakwater(dir, ['check', '.', 'src/index.ts']).stdout, /missing-timeout/);
      const elsewhere = breakwater(dir, ['check', '.', 'lib', '--max-warnings', '0']);
      assertExit(elsewhere, 0);
      assert.equal(elsewhere.stdout, '');
    });

    it('an inline disable comment hides the finding and keeps it from counting', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': SUPPRESSED });
      const run = breakwater(dir, ['check', '--max-warnings', '0']);
      assertExit(run, 0);
      assert.equal(run.stdout, '');
      const json = JSON.parse(breakwater(dir, ['check', '-f', 'json']).stdout);
      assert.equal(json.reduce((n: number, file: { messages: unknown[] }) => n + file.messages.length, 0), 0);
    });
  });

  describe('--cache', () => {
    const findingsOf = (run: CliRun) => (JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string }> }>).flatMap((file) => file.messages.map((message) => message.ruleId));
    /** The one cache entry of a one-file workspace, under the build's folder. */
    const entryIn = (location: string) => {
      const builds = fs.readdirSync(location).filter((name) => name.startsWith('breakwater-facts-'));
      assert.equal(builds.length, 1, `one build folder in ${location}: ${builds.join(', ')}`);
      const entries = fs.readdirSync(path.join(location, builds[0])).filter((name) => name.endsWith('.json'));
      assert.equal(entries.length, 1);
      return path.join(location, builds[0], entries[0]);
    };
    const tamper = (entry: string, change: (stored: { path: string; facts: { calls: unknown[] } }) => void) => {
      const stored = JSON.parse(fs.readFileSync(entry, 'utf8')) as { path: string; facts: { calls: unknown[] } };
      change(stored);
      fs.writeFileSync(entry, JSON.stringify(stored));
    };

    it('writes the cache under node_modules/.cache/breakwater by default, and a second run reports the same', () => {
      const dir = withFinding();
      const first = breakwater(dir, ['check', '.', '--cache', '-f', 'json']);
      assertExit(first, 0);
      assert.ok(fs.existsSync(entryIn(path.join(dir, 'node_modules/.cache/breakwater'))), 'the cache entry is written');
      const second = breakwater(dir, ['check', '.', '--cache', '-f', 'json']);
      assert.equal(second.stdout, first.stdout);
      assert.deepEqual(findingsOf(second), ['missing-timeout']);
    });

    it('reuses the facts of an unchanged file, re-reads a file whose text changed, and drops entries of deleted files', () => {
      const dir = withFinding();
      const run = () => breakwater(dir, ['check', '.', '--cache-location', 'cache', '-f', 'json']);
      assertExit(run(), 0);
      // Facts that say the file makes no calls, under the hash of its real text: a run that trusts the cache sees none.
      tamper(entryIn(path.join(dir, 'cache')), (stored) => (stored.facts.calls = []));
      assert.deepEqual(findingsOf(run()), []);
      // The text changes (a comment): the file is extracted again and the finding is back.
      fs.appendFileSync(path.join(dir, 'src/index.ts'), '// edited\n');
      assert.deepEqual(findingsOf(run()), ['missing-timeout']);
      fs.renameSync(path.join(dir, 'src/index.ts'), path.join(dir, 'src/renamed.ts'));
      run();
      assert.match(fs.readFileSync(entryIn(path.join(dir, 'cache')), 'utf8'), /"path":"src\/renamed.ts"/);
    });

    it('runs that share a cache folder at the same time all write it, with no warning', async () => {
      const files: Record<string, string> = { 'package.json': PACKAGE_JSON };
      for (let index = 0; index < 200; index++) files[`src/m${index}.ts`] = UNBOUNDED;
      const dir = workspace(files);
      const runs = await Promise.all(
        [1, 2, 3, 4].map(
          () =>
            new Promise<{ status: number | null; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, [bin, 'check', '.', '--cache-location', 'cache', '-f', 'json', '-o', 'out.json'], { cwd: dir });
              let stderr = '';
              child.stderr.on('data', (chunk) => (stderr += chunk));
              child.on('close', (status) => resolve({ status, stderr }));
            }),
        ),
      );
      assert.deepEqual(runs.map((run) => [run.status, run.stderr]), [[0, ''], [0, ''], [0, ''], [0, '']]);
    });

    it('ignores a corrupt entry, an entry for another path, or one from another build, and warns when it cannot write', () => {
      const dir = withFinding();
      const location = path.join(dir, 'cache');
      const run = () => breakwater(dir, ['check', '.', '--cache-location', location, '-f', 'json']);
      run();
      const entry = entryIn(location);
      fs.writeFileSync(entry, '{ not json');
      assert.deepEqual(findingsOf(run()), ['missing-timeout']);
      tamper(entry, (stored) => {
        stored.path = 'src/other.ts';
        stored.facts.calls = [];
      });
      assert.deepEqual(findingsOf(run()), ['missing-timeout']);
      // Another build's folder: not read, and removed.
      tamper(entry, (stored) => (stored.facts.calls = []));
      const otherBuild = path.join(location, 'breakwater-facts-0-another-build');
      fs.renameSync(path.dirname(entry), otherBuild);
      assert.deepEqual(findingsOf(run()), ['missing-timeout']);
      assert.ok(!fs.existsSync(otherBuild), "the other build's entries are removed");

      // What else is in the folder is the user's: kept, even when its name looks like ours.
      fs.writeFileSync(path.join(location, 'breakwater-facts-notes.md'), 'mine');
      fs.mkdirSync(path.join(location, 'breakwater-facts-mine'));
      run();
      assert.ok(fs.existsSync(path.join(location, 'breakwater-facts-notes.md')) && fs.existsSync(path.join(location, 'breakwater-facts-mine')));

      fs.writeFileSync(path.join(dir, 'blocker'), 'a file where the cache folder would go');
      const unwritable = breakwater(dir, ['check', '.', '--cache-location', 'blocker/cache']);
      assertExit(unwritable, 0);
      assert.match(unwritable.stderr, /warning: could not write the cache/);
    });
  });

  describe('odd workspaces', () => {
    it('an empty folder is an error (2), as ESLint says of a pattern that matches no file; --no-error-on-unmatched-pattern allows it', () => {
      const dir = workspace({ 'README.md': '# nothing to analyse\n' });
      const run = breakwater(dir, ['check']);
      assertExit(run, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^breakwater: no source files to analyse in \. \(workspace root: \.\); check the path, or pass --no-error-on-unmatched-pattern\n$/);
      const allowed = breakwater(dir, ['check', '--no-error-on-unmatched-pattern']);
      assertExit(allowed, 0);
      assert.equal(allowed.stdout, '');
      assert.match(allowed.stderr, /No source files found in \./);
    });

    it('source files without any service are analysed as one workspace, with a note', () => {
      const run = breakwater(workspace({ 'index.ts': 'export const answer = 42;\n' }), ['check']);
      assertExit(run, 0);
      assert.match(run.stderr, /No services found in \.; analysed 1 file as one workspace\./);
    });
  });
});

// The formatters on their own, on a hand-made result: these do not need the engine.
describe('stylish and json formatters', () => {
  const root = path.join(os.tmpdir(), 'ws');
  const finding = (file: string, line: number, severity: 'error' | 'warning', message: string, extra: Partial<Finding> = {}): Finding => ({
    ruleId: 'missing-timeout',
    severity,
    message,
    location: { file, line, column: 10, endLine: line, endColumn: 20 },
    ...extra,
  });
  const result = (findings: Finding[]) => ({ root, findings, rules: [] }) as unknown as AnalysisResult;

  it('stylish aligns columns per file and leaves suppressed findings out', () => {
    const text = formatStylish(
      result([
        finding('src/a.ts', 3, 'warning', 'Short.'),
        finding('src/a.ts', 120, 'error', 'A longer message.'),
        finding('src/b.ts', 1, 'warning', 'Hidden.', { suppressed: { kind: 'inline' } }),
      ]),
      { cwd: root },
    );
    assert.equal(
      text,
      [
        '',
        'src/a.ts',
        '    3:10  warning  Short.             missing-timeout',
        '  120:10  error    A longer message.  missing-timeout',
        '',
        '✖ 2 problems (1 error, 1 warning)',
        '',
      ].join('\n'),
    );
  });

  it('stylish prints nothing without findings', () => {
    assert.equal(formatStylish(result([finding('a.ts', 1, 'warning', 'x', { suppressed: { kind: 'inline' } })]), { cwd: root }), '');
  });

  it('json lists files in order with counts, related locations as absolute paths', () => {
    const files = JSON.parse(
      formatJson(
        result([
          finding('src/a.ts', 3, 'warning', 'One.', {
            service: 'orders',
            related: [{ location: { file: 'src/c.ts', line: 1, column: 1, endLine: 1, endColumn: 5 }, message: 'here' }],
          }),
          finding('src/a.ts', 9, 'error', 'Two.'),
          finding('src/b.ts', 1, 'warning', 'Hidden.', { suppressed: { kind: 'inline' } }),
        ]),
      ),
    );
    assert.deepEqual(
      files.map((f: { filePath: string }) => f.filePath),
      [path.join(root, 'src/a.ts'), path.join(root, 'src/b.ts')],
    );
    assert.equal(files[0].errorCount, 1);
    assert.equal(files[0].warningCount, 1);
    assert.deepEqual(files[0].messages[0], {
      ruleId: 'missing-timeout',
      severity: 1,
      message: 'One.',
      line: 3,
      column: 10,
      endLine: 3,
      endColumn: 20,
      service: 'orders',
      related: [{ filePath: path.join(root, 'src/c.ts'), line: 1, column: 1, endLine: 1, endColumn: 5, message: 'here' }],
    });
    assert.equal(files[0].messages[1].severity, 2);
    assert.deepEqual(files[1].messages, []);
    assert.equal(files[1].suppressedCount, 1);
  });
});
