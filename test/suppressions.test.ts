// Bulk suppressions (`check --suppress-all`, ESLint 9's convention) and inline disable directives, through the CLI
// run as a process on real folders.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertExit, buildIfMissing, repo, runCliSync } from './cli-process';
import { assertValidSarif } from './sarif-schema';

const PACKAGE_JSON = JSON.stringify({ name: 'svc', dependencies: { axios: '^1' } });
/** One missing-timeout warning, at 3:10. */
const UNBOUNDED = "import axios from 'axios';\nexport async function load() {\n  return axios.get('http://localhost:3000/items');\n}\n";
const BOUNDED = "import axios from 'axios';\nexport async function load() {\n  return axios.get('http://localhost:3000/items', { timeout: 2000 });\n}\n";
const TWO_RULES = "import axios from 'axios';\nexport async function load() {\n  return axios.get('https://api.partner.example/items');\n}\n";

const made: string[] = [];

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-suppress-'));
  made.push(dir);
  for (const [file, text] of Object.entries(files)) write(dir, file, text);
  return dir;
}

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}


const breakwater = runCliSync;


interface JsonFile {
  filePath: string;
  messages: Array<{ ruleId: string | null; line?: number }>;
  suppressedMessages?: Array<{ ruleId: string; line: number; suppressions: Array<{ kind: string }> }>;
}

function jsonReport(dir: string, args: string[] = []): JsonFile[] {
  const run = breakwater(dir, ['check', '-f', 'json', ...args]);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return JSON.parse(run.stdout) as JsonFile[];
}

const messages = (files: JsonFile[]) => files.flatMap((file) => file.messages.filter((m) => m.ruleId).map((m) => `${path.basename(file.filePath)}:${m.line}:${m.ruleId}`));

function readSuppressions(dir: string, file = 'breakwater-suppressions.json') {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
    version: number;
    suppressions: Record<string, Record<string, { count: number; fingerprints: Record<string, number> }>>;
  };
}

describe('bulk suppressions (CLI)', () => {
  before(buildIfMissing);
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('--suppress-all and --suppress-rule', () => {
    it('--suppress-all writes every finding to breakwater-suppressions.json; later runs report only new ones', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': TWO_RULES, 'src/b.ts': UNBOUNDED });
      const before = messages(jsonReport(dir));
      assert.equal(before.length, 3, before.join('\n'));

      const suppress = breakwater(dir, ['check', '--suppress-all']);
      assertExit(suppress, 0);
      assert.equal(suppress.stdout, '', 'every finding is suppressed');
      assert.match(suppress.stderr, /Wrote 3 suppressed findings to breakwater-suppressions\.json/);
      const file = readSuppressions(dir);
      assert.equal(file.version, 1);
      assert.deepEqual(Object.keys(file.suppressions), ['src/b.ts', 'src/index.ts'], 'files sorted');
      assert.deepEqual(Object.keys(file.suppressions['src/index.ts']), ['missing-timeout', 'unguarded-downstream-call'], 'rules sorted');
      assert.equal(file.suppressions['src/b.ts']['missing-timeout'].count, 1);
      const text = fs.readFileSync(path.join(dir, 'breakwater-suppressions.json'), 'utf8');
      assert.ok(text.endsWith('}\n'));
      assert.ok(!fs.readdirSync(dir).some((name) => name.endsWith('.tmp')), 'written through a temporary file, renamed');

      const again = breakwater(dir, ['check', '--max-warnings', '0']);
      assertExit(again, 0);
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /3 suppressed findings in breakwater-suppressions\.json/);

      // A new finding in a file that already has suppressed ones fails the run alone.
      write(dir, 'src/b.ts', `${UNBOUNDED}export async function more() {\n  return axios.post('http://localhost:3000/more', {});\n}\n`);
      const failing = breakwater(dir, ['check', '--max-warnings', '0', '-f', 'json']);
      assertExit(failing, 1);
      assert.deepEqual(messages(JSON.parse(failing.stdout)), ['b.ts:6:missing-timeout']);
      assert.match(failing.stderr, /3 suppressed findings/);

      // Writing again is stable: the same text for the same findings, with the new one added.
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      assert.equal(readSuppressions(dir).suppressions['src/b.ts']['missing-timeout'].count, 2);
      const text2 = fs.readFileSync(path.join(dir, 'breakwater-suppressions.json'), 'utf8');
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      assert.equal(fs.readFileSync(path.join(dir, 'breakwater-suppressions.json'), 'utf8'), text2);
    });

    it('--suppress-rule writes only that rule; the others are still reported', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': TWO_RULES });
      const run = breakwater(dir, ['check', '--suppress-rule', 'unguarded-downstream-call', '-f', 'json']);
      assertExit(run, 0);
      assert.deepEqual(messages(JSON.parse(run.stdout)), ['index.ts:3:missing-timeout']);
      assert.deepEqual(Object.keys(readSuppressions(dir).suppressions['src/index.ts']), ['unguarded-downstream-call']);
      assert.deepEqual(messages(jsonReport(dir)), ['index.ts:3:missing-timeout']);
      // A second rule is added to the file; the first stays.
      assertExit(breakwater(dir, ['check', '--suppress-rule', 'missing-timeout']), 0);
      assert.deepEqual(Object.keys(readSuppressions(dir).suppressions['src/index.ts']), ['missing-timeout', 'unguarded-downstream-call']);
      assert.deepEqual(messages(jsonReport(dir)), []);
    });

    it('--suppressions-location chooses the file; a named file that does not exist is an error', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': UNBOUNDED });
      assertExit(breakwater(dir, ['check', '--suppress-all', '--suppressions-location', 'ci/known.json']), 0);
      assert.ok(fs.existsSync(path.join(dir, 'ci/known.json')));
      assert.ok(!fs.existsSync(path.join(dir, 'breakwater-suppressions.json')));
      assert.deepEqual(messages(jsonReport(dir)), ['index.ts:3:missing-timeout'], 'the default file is not there');
      assert.deepEqual(messages(jsonReport(dir, ['--suppressions-location', 'ci/known.json'])), []);
      const missing = breakwater(dir, ['check', '--suppressions-location', 'ci/typo.json']);
      assertExit(missing, 2);
      assert.match(missing.stderr, /no suppressions file at ci[/\\]typo\.json/);
    });

    it('bad combinations, unknown rules and broken files are usage errors (exit 2)', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': UNBOUNDED });
      assertExit(breakwater(dir, ['check', '--suppress-all', '--suppress-rule', 'missing-timeout']), 2);
      const unknown = breakwater(dir, ['check', '--suppress-rule', 'missing-timeot']);
      assertExit(unknown, 2);
      assert.match(unknown.stderr, /unknown rule "missing-timeot" in --suppress-rule/);
      write(dir, 'breakwater-suppressions.json', '{\n  "version": 1,\n  "suppressions": {,}\n}\n');
      const broken = breakwater(dir, ['check']);
      assertExit(broken, 2);
      assert.match(broken.stderr, /breakwater-suppressions\.json:3:\d+: suppressions file is not valid JSON/);
      write(dir, 'breakwater-suppressions.json', '{ "version": 7, "suppressions": {} }');
      const future = breakwater(dir, ['check']);
      assertExit(future, 2);
      assert.match(future.stderr, /unsupported version 7/);
      write(dir, 'breakwater-suppressions.json', '{ "version": 1, "suppressions": { "__proto__": { "x": { "count": 1, "fingerprints": { "__proto__": 1 } } } } }');
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      assert.ok(readSuppressions(dir).suppressions['src/index.ts']);
    });

    it('never writes through a link: a linked suppressions file is refused and its target left alone', function () {
      if (process.platform === 'win32') this.skip();
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/index.ts': UNBOUNDED });
      const outside = workspace({ 'target.json': 'unchanged' });
      fs.symlinkSync(path.join(outside, 'target.json'), path.join(dir, 'breakwater-suppressions.json'));
      const run = breakwater(dir, ['check', '--suppress-all']);
      assertExit(run, 2);
      assert.equal(fs.readFileSync(path.join(outside, 'target.json'), 'utf8'), 'unchanged');
    });

    it('with paths, only the entries of the files reported on are written', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': UNBOUNDED, 'lib/b.ts': UNBOUNDED });
      assertExit(breakwater(dir, ['check', '.', 'src', '--suppress-all']), 0);
      assert.deepEqual(Object.keys(readSuppressions(dir).suppressions), ['src/a.ts']);
      assert.deepEqual(messages(jsonReport(dir)), ['b.ts:3:missing-timeout']);
    });
  });

  describe('--prune-suppressions and --fail-on-unpruned-suppressions', () => {
    it('entries that no longer match are reported on stderr, fail only when asked, and are pruned', () => {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': UNBOUNDED, 'src/b.ts': UNBOUNDED });
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      write(dir, 'src/b.ts', BOUNDED);

      const stale = breakwater(dir, ['check', '--max-warnings', '0']);
      assertExit(stale, 0);
      assert.match(stale.stderr, /1 suppressed finding in breakwater-suppressions\.json/);
      assert.match(stale.stderr, /1 suppression in breakwater-suppressions\.json no longer matches any finding; run with --prune-suppressions to remove it/);

      const strict = breakwater(dir, ['check', '--fail-on-unpruned-suppressions']);
      assertExit(strict, 2);
      assert.match(strict.stderr, /has suppressions that no longer match any finding \(--fail-on-unpruned-suppressions\)/);

      // A run that does not judge the entry (another path, another rule) neither fails on it nor prunes it.
      assertExit(breakwater(dir, ['check', '.', 'src/a.ts', '--fail-on-unpruned-suppressions']), 0);
      assertExit(breakwater(dir, ['check', '--rule', 'unguarded-downstream-call', '--prune-suppressions', '--fail-on-unpruned-suppressions']), 0);
      assert.ok(readSuppressions(dir).suppressions['src/b.ts']);

      const prune = breakwater(dir, ['check', '--prune-suppressions']);
      assertExit(prune, 0);
      assert.match(prune.stderr, /Removed 1 suppression that no longer matched from breakwater-suppressions\.json/);
      assert.deepEqual(Object.keys(readSuppressions(dir).suppressions), ['src/a.ts']);
      const clean = breakwater(dir, ['check', '--max-warnings', '0', '--fail-on-unpruned-suppressions']);
      assertExit(clean, 0);
      assert.doesNotMatch(clean.stderr, /no longer match/);
    });

    it('a count larger than the findings left is pruned down to them', () => {
      const twice = "import axios from 'axios';\nexport async function load() {\n  await axios.get('http://localhost:3000/items');\n  return axios.get('http://localhost:3000/items');\n}\n";
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': twice });
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      const entry = () => readSuppressions(dir).suppressions['src/a.ts']['missing-timeout'];
      assert.equal(entry().count, 2);
      assert.equal(Object.keys(entry().fingerprints).length, 1, 'the same call twice in one function: one fingerprint, counted twice');
      write(dir, 'src/a.ts', UNBOUNDED);
      assertExit(breakwater(dir, ['check', '--fail-on-unpruned-suppressions']), 2);
      assertExit(breakwater(dir, ['check', '--prune-suppressions']), 0);
      assert.equal(entry().count, 1);
      // Two copies again: the entry covers one, the other is new.
      write(dir, 'src/a.ts', twice);
      const run = breakwater(dir, ['check', '-f', 'json']);
      assert.equal(messages(JSON.parse(run.stdout)).length, 1);
    });
  });

  describe('--changed-since', () => {
    const git = (dir: string, ...args: string[]) => {
      const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
    };
    function repository(): string {
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': UNBOUNDED, 'src/b.ts': UNBOUNDED, 'src/c.ts': UNBOUNDED, '.gitignore': 'src/ignored.ts\n' });
      git(dir, 'init', '-q');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'first');
      return dir;
    }

    it('reports only findings in files changed since the ref: committed, edited, staged and new', () => {
      const dir = repository();
      assert.deepEqual(messages(jsonReport(dir, ['--changed-since', 'HEAD'])), []);
      write(dir, 'src/b.ts', `${UNBOUNDED}// edited\n`);
      write(dir, 'src/new.ts', UNBOUNDED);
      write(dir, 'src/ignored.ts', UNBOUNDED);
      assert.deepEqual(messages(jsonReport(dir, ['--changed-since', 'HEAD'])), ['b.ts:3:missing-timeout', 'new.ts:3:missing-timeout']);
      git(dir, 'add', 'src/b.ts');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'second');
      write(dir, 'src/c.ts', `// edited\n${UNBOUNDED}`);
      assert.deepEqual(messages(jsonReport(dir, ['--changed-since', 'HEAD~1'])), ['b.ts:3:missing-timeout', 'c.ts:4:missing-timeout', 'new.ts:3:missing-timeout']);
      assert.deepEqual(messages(jsonReport(dir, ['--changed-since', 'HEAD'])), ['c.ts:4:missing-timeout', 'new.ts:3:missing-timeout']);
      // Suppressions of unchanged files are not judged: they are not stale.
      assertExit(breakwater(dir, ['check', '--suppress-all']), 0);
      write(dir, 'src/a.ts', BOUNDED);
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-am', 'third');
      assertExit(breakwater(dir, ['check', '--changed-since', 'HEAD', '--fail-on-unpruned-suppressions']), 0);
      assertExit(breakwater(dir, ['check', '--changed-since', 'HEAD~1', '--fail-on-unpruned-suppressions']), 2);
    });

    it('a missing ref, a folder outside git, an option for a ref and a missing git are usage errors (exit 2)', () => {
      const dir = repository();
      const missing = breakwater(dir, ['check', '--changed-since', 'no-such-branch']);
      assertExit(missing, 2);
      assert.match(missing.stderr, /--changed-since: no commit "no-such-branch"/);
      assertExit(breakwater(dir, ['check', '--changed-since', '--output=x']), 2);
      assert.ok(!fs.existsSync(path.join(dir, 'x')));
      const outside = workspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': UNBOUNDED });
      const noRepo = breakwater(outside, ['check', '--changed-since', 'HEAD'], { GIT_CEILING_DIRECTORIES: path.dirname(outside) });
      assertExit(noRepo, 2);
      assert.match(noRepo.stderr, /is not in a git repository/);
      const noGit = breakwater(dir, ['check', '--changed-since', 'HEAD'], { PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-empty-path-')) });
      assertExit(noGit, 2);
      assert.match(noGit.stderr, /--changed-since needs git, which was not found on the PATH/);
    });
  });

  describe('inline directives', () => {
    const AXIOS = "import axios from 'axios';\n";
    const call = (name: string) => `export const ${name} = () => axios.get('http://localhost:3000/${name}');\n`;

    it('a directive inside a template literal or a string is no directive', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/template.ts': `${AXIOS}export const help = \`\n// breakwater-disable\n\`;\n${call('a')}`,
        'src/string.ts': `${AXIOS}export const help = '/* breakwater-disable */';\n${call('b')}`,
        'src/regex.ts': `${AXIOS}export const pattern = /\\/\\/ breakwater-disable-next-line/;\n${call('c')}`,
      });
      assert.deepEqual(messages(jsonReport(dir)), ['regex.ts:3:missing-timeout', 'string.ts:3:missing-timeout', 'template.ts:5:missing-timeout']);
    });

    it('breakwater-enable closes a breakwater-disable block, for all rules or the ones it names', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/a.ts': [
          AXIOS,
          call('before'),
          '/* breakwater-disable missing-timeout -- legacy block */\n',
          call('inside'),
          '/* breakwater-enable missing-timeout */\n',
          call('after'),
          '/* breakwater-disable */\n',
          '/* breakwater-enable unguarded-downstream-call */\n',
          call('allOff'),
          '// breakwater-enable\n',
          call('end'),
        ].join(''),
      });
      const report = jsonReport(dir);
      assert.deepEqual(messages(report), ['a.ts:2:missing-timeout', 'a.ts:6:missing-timeout', 'a.ts:11:missing-timeout']);
      const suppressed = report.flatMap((file) => file.suppressedMessages ?? []).map((m) => `${m.line}:${m.ruleId}:${m.suppressions[0].kind}`);
      assert.deepEqual(suppressed, ['4:missing-timeout:directive', '9:missing-timeout:directive']);
    });

    it('a directive naming an unknown rule is reported on its line, with the rule meant', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/a.ts': `${AXIOS}// breakwater-disable-next-line missing-timout -- typo\n${call('a')}// breakwater-disable-line no-such-thing\n`,
      });
      const run = breakwater(dir, ['check', '--max-warnings', '0']);
      assertExit(run, 1);
      assert.match(run.stdout, /2:1 +warning +src\/a\.ts:2: unknown rule "missing-timout" in a breakwater-disable-next-line comment; did you mean "missing-timeout"\?/);
      assert.match(run.stdout, /4:1 +warning +src\/a\.ts:4: unknown rule "no-such-thing" in a breakwater-disable-line comment\n/);
      assert.match(run.stdout, /3:\d+ +warning .* missing-timeout/, 'the finding is not suppressed');
    });

    it('--report-unused-disable-directives reports directives that suppress nothing', () => {
      const dir = workspace({
        'package.json': PACKAGE_JSON,
        'src/a.ts': [
          AXIOS,
          '// breakwater-disable-next-line missing-timeout -- used\n',
          call('a'),
          '// breakwater-disable-next-line missing-timeout, unguarded-downstream-call -- half used\n',
          call('b'),
          "export const ok = () => axios.get('http://localhost:3000/ok', { timeout: 1000 }); // breakwater-disable-line missing-timeout\n",
          '/* breakwater-disable */\n',
        ].join(''),
      });
      assertExit(breakwater(dir, ['check', '--max-warnings', '0']), 0);
      const run = breakwater(dir, ['check', '--report-unused-disable-directives', '-f', 'json']);
      assertExit(run, 0);
      const notices = (JSON.parse(run.stdout) as JsonFile[]).flatMap((file) => file.messages.filter((m) => m.ruleId === null).map((m) => `${m.line}: ${(m as { message?: string }).message}`));
      assert.deepEqual(notices, [
        "4: src/a.ts:4: unused breakwater-disable-next-line directive (no problems were reported from 'unguarded-downstream-call')",
        "6: src/a.ts:6: unused breakwater-disable-line directive (no problems were reported from 'missing-timeout')",
        '7: src/a.ts:7: unused breakwater-disable directive (no problems were reported)',
      ]);
      assertExit(breakwater(dir, ['check', '--report-unused-disable-directives', '--max-warnings', '0']), 1);
      // A rule that did not run cannot be judged.
      const only = breakwater(dir, ['check', '--report-unused-disable-directives', '--rule', 'unguarded-downstream-call', '-f', 'json']);
      assert.doesNotMatch(only.stdout, /'missing-timeout'/);
    });
  });

  describe('fingerprints, on a copy of examples/shop', () => {
    let shop: string;
    const orders = 'services/orders/src/routes/orders.ts';
    const webhook = 'services/notifications/src/channels/webhook.ts';
    const edit = (file: string, change: (text: string) => string) => {
      const before = fs.readFileSync(path.join(shop, file), 'utf8');
      const after = change(before);
      assert.notEqual(after, before, `the edit of ${file} changed nothing`);
      fs.writeFileSync(path.join(shop, file), after);
    };

    before(function () {
      this.timeout(120_000);
      shop = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-suppress-shop-'));
      made.push(shop);
      fs.cpSync(path.join(repo, 'examples/shop'), shop, { recursive: true });
      const run = breakwater(shop, ['check', '--suppress-all']);
      assertExit(run, 0);
      assert.match(run.stderr, /Wrote 28 suppressed findings/);
    });

    it('lines added above a finding and a reformat keep every entry', () => {
      edit(orders, (text) =>
        text
          .replace("import { publishOrderPlaced } from '../events.js';\n", "import { publishOrderPlaced } from '../events.js';\n\n// Quotes are priced here.\n// Orders are placed below.\nexport const VERSION = 2;\n")
          .replace(
            /axios\.get<\{ rate: number \}>\(`\$\{config\.tax\.url\}\/v1\/rates`, \{\n\s+params: (.*),\n\s+headers: (.*),\n\s+\}\)/,
            (_all, params: string, headers: string) => `axios.get<{rate:number}>( \`\${config.tax.url}/v1/rates\`, { params: ${params}, headers: ${headers} } )`,
          ),
      );
      edit(webhook, (text) => text.replace("{ 'content-type': 'application/json', 'x-shop-signature': signature }", '{\n\t\t\t"content-type": "application/json",\n\t\t\t"x-shop-signature": signature,\n\t\t}').replace(/^ {2}/gm, '\t'));
      const run = breakwater(shop, ['check', '--max-warnings', '0']);
      assertExit(run, 0);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /28 suppressed findings in breakwater-suppressions\.json/);
      assert.doesNotMatch(run.stderr, /no longer match/);
    });

    it('a changed call is a new finding, and its old entries no longer match', () => {
      edit(webhook, (text) => text.replace("method: 'POST',", "method: 'POST',\n\t\tredirect: 'error',"));
      const run = breakwater(shop, ['check', '--max-warnings', '0', '-f', 'json']);
      assertExit(run, 1);
      assert.deepEqual(messages(JSON.parse(run.stdout)), ['webhook.ts:12:missing-timeout', 'webhook.ts:12:unguarded-downstream-call']);
      assert.match(run.stderr, /26 suppressed findings/);
      assert.match(run.stderr, /2 suppressions in breakwater-suppressions\.json no longer match any finding; run with --prune-suppressions/);
    });

    it('SARIF carries the fingerprint, external suppressions and the baseline state; JSON lists suppressedMessages', () => {
      const file = readSuppressions(shop);
      const listed = new Set(Object.values(file.suppressions).flatMap((rules) => Object.values(rules).flatMap((entry) => Object.keys(entry.fingerprints))));
      const sarif = JSON.parse(breakwater(shop, ['check', '-f', 'sarif']).stdout);
      assertValidSarif(sarif);
      const results = sarif.runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string>; suppressions?: unknown[]; baselineState?: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
      const external = results.filter((r) => JSON.stringify(r.suppressions) === JSON.stringify([{ kind: 'external' }]));
      assert.equal(external.length, 26);
      for (const result of external) {
        assert.equal(result.baselineState, 'unchanged');
        const [print, ordinal] = result.partialFingerprints['breakwater/v1'].split(':');
        assert.ok(listed.has(print), `${print} is in the suppressions file`);
        assert.equal(ordinal, '1');
      }
      const fresh = results.filter((r) => r.baselineState === 'new' && !r.suppressions);
      assert.deepEqual(fresh.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.ruleId}`), [`${webhook}:missing-timeout`, `${webhook}:unguarded-downstream-call`]);
      assert.ok(fresh.every((r) => !listed.has(r.partialFingerprints['breakwater/v1'].split(':')[0])));
      // The inline-disabled finding of the example is `inSource`, and new to the baseline.
      assert.ok(results.some((r) => (r.suppressions as Array<{ kind: string }> | undefined)?.[0]?.kind === 'inSource' && r.baselineState === 'new'));

      const json = jsonReport(shop);
      const suppressed = json.flatMap((entry) => entry.suppressedMessages ?? []);
      assert.equal(suppressed.filter((m) => m.suppressions[0].kind === 'external').length, 26);
      assert.ok(suppressed.some((m) => m.suppressions[0].kind === 'directive'));
    });
  });
});

