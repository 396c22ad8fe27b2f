// Per-project runs, as a build orchestrator makes them: `breakwater projects` lists the projects, `check --service`
// reports each one's findings, `merge-sarif` joins their SARIF logs. Together they must say exactly what one run
// over the whole workspace says. The CLI runs as a process, on a copy of examples/shop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertValidSarif } from './sarif-schema';
import { assertExit, buildIfMissing, repo, runCli, type CliRun } from './cli-process';


type Json = any;

const breakwater = runCli;

async function ok(cwd: string, args: string[]): Promise<string> {
  const run = await breakwater(cwd, args);
  assertExit(run, 0);
  return run.stdout;
}

/** Every finding of an ESLint-shaped JSON report, as comparable strings. */
function jsonFindings(report: string): string[] {
  const files = JSON.parse(report) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number; message: string }> }>;
  return files.flatMap((file) => file.messages.map((m) => `${file.filePath}:${m.line}:${m.column} ${m.ruleId} ${m.message}`));
}

const sorted = (items: string[]) => [...items].sort();

interface Project {
  name: string;
  kind: string;
  folder: string;
  packageName?: string;
}

const made: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

describe('per-project runs (check --service, projects, merge-sarif)', () => {
  before(buildIfMissing);
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('on a copy of examples/shop', () => {
    let shop: string;
    let reports: string;
    let projects: Project[];
    const whole = { json: '', sarif: '' };
    const perProject = new Map<string, { json: string; sarifFile: string }>();

    before(async function () {
      this.timeout(180_000);
      shop = path.join(tempDir('breakwater-per-service-'), 'shop');
      fs.cpSync(path.join(repo, 'examples/shop'), shop, { recursive: true });
      reports = tempDir('breakwater-per-service-reports-');
      projects = JSON.parse(await ok(shop, ['projects', '.', '--format', 'json']));
      const runs = [
        ok(shop, ['check', '.', '-f', 'json']).then((out) => (whole.json = out)),
        ok(shop, ['check', '.', '-f', 'sarif']).then((out) => (whole.sarif = out)),
        ...projects.map(async (project) => {
          const sarifFile = path.join(reports, `${project.name}.sarif`);
          const [json] = await Promise.all([
            ok(shop, ['check', '.', '--service', project.name, '-f', 'json']),
            ok(shop, ['check', '.', '--service', project.name, '-f', 'sarif', '-o', sarifFile]),
          ]);
          perProject.set(project.name, { json, sarifFile });
        }),
      ];
      await Promise.all(runs);
    });

    it('projects lists the four services and the shared library, with their folders', async () => {
      assert.deepEqual(projects, [
        { name: 'inventory', kind: 'service', folder: 'services/inventory', packageName: '@shop/inventory', evidence: 'built by docker-compose' },
        { name: 'notifications', kind: 'service', folder: 'services/notifications', packageName: '@shop/notifications', evidence: 'built by docker-compose' },
        { name: 'orders', kind: 'service', folder: 'services/orders', packageName: '@shop/orders', evidence: 'built by docker-compose' },
        { name: 'payments', kind: 'service', folder: 'services/payments', packageName: '@shop/payments', evidence: 'built by docker-compose' },
        { name: 'common', kind: 'library', folder: 'libs/common', packageName: '@shop/common', evidence: 'under a folder of shared code (libs/common)' },
      ]);
      const text = await ok(shop, ['projects']);
      assert.deepEqual(
        text.trimEnd().split('\n').map((line) => line.split(/\s+/).slice(0, 3)),
        projects.map((project) => [project.name, project.folder, project.kind]),
      );
      assert.match(text, /^common\s+libs\/common\s+library\s+under a folder of shared code \(libs\/common\)$/m, 'the evidence comes last');
    });

    it('the per-project findings, together, are exactly the whole-workspace findings', () => {
      const all = jsonFindings(whole.json);
      assert.ok(all.length >= 20, `the shop has its planted faults (${all.length} findings)`);
      const union = [...perProject.values()].flatMap((report) => jsonFindings(report.json));
      assert.deepEqual(sorted(union), sorted(all));
    });

    it('each project reports only findings in its own folder', () => {
      for (const project of projects) {
        const findings = jsonFindings(perProject.get(project.name)!.json);
        assert.ok(findings.length > 0, `${project.name} has planted faults`);
        for (const finding of findings) assert.ok(finding.startsWith(path.join(shop, project.folder) + path.sep), `${finding} is in ${project.folder}`);
      }
    });

    it('merge-sarif of the per-project logs is the whole-workspace log, byte for byte and in any order', async () => {
      const files = projects.map((project) => perProject.get(project.name)!.sarifFile);
      const mergedFile = path.join(reports, 'merged.sarif');
      await ok(shop, ['merge-sarif', ...files, '-o', mergedFile]);
      const merged = fs.readFileSync(mergedFile, 'utf8');
      assertValidSarif(JSON.parse(merged));
      assert.deepEqual(JSON.parse(merged).runs[0].results, JSON.parse(whole.sarif).runs[0].results);
      assert.equal(merged, whole.sarif);
      assert.equal(await ok(shop, ['merge-sarif', ...[...files].reverse()]), whole.sarif, 'the order of the inputs does not matter');
    });

    it('merging a log twice keeps each result once', async () => {
      const files = projects.map((project) => perProject.get(project.name)!.sarifFile);
      assert.equal(await ok(shop, ['merge-sarif', ...files, files[0]]), whole.sarif);
    });

    it('every per-project log is valid SARIF with one run and the same rules', () => {
      const wholeRules = JSON.parse(whole.sarif).runs[0].tool.driver.rules;
      for (const { sarifFile } of perProject.values()) {
        const log: Json = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
        assertValidSarif(log);
        assert.equal(log.runs.length, 1);
        assert.deepEqual(log.runs[0].tool.driver.rules, wholeRules);
      }
    });

    it('is deterministic: the same input gives byte-identical stylish, json and sarif', async () => {
      await Promise.all(
        ['stylish', 'json', 'sarif'].map(async (format) => {
          const args = ['check', '.', '--service', 'orders', '-f', format];
          const [first, second] = await Promise.all([ok(shop, args), ok(shop, args)]);
          assert.ok(first.length > 0);
          assert.equal(second, first, format);
        }),
      );
    });

    it('SARIF carries no timestamps, and no absolute path but the %SRCROOT% base', () => {
      const log: Json = JSON.parse(whole.sarif);
      const keys = (value: unknown): string[] =>
        Array.isArray(value) ? value.flatMap(keys) : typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, child]) => [key, ...keys(child)]) : [];
      assert.deepEqual(keys(log).filter((key) => /time|date/i.test(key)), [], 'no startTimeUtc, endTimeUtc or other clock readings');
      const base = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
      const withoutBase = whole.sarif.split(JSON.stringify(base)).join('""');
      assert.ok(!withoutBase.includes(shop) && !withoutBase.includes(encodeURI(shop)), 'the workspace path appears only as %SRCROOT%');
    });

    it('--service takes a name, a package name or a folder, repeated or comma-separated', async () => {
      const byName = await ok(shop, ['check', '.', '--service', 'orders', '--service', 'common', '-f', 'json']);
      assert.equal(await ok(shop, ['check', '.', '--service', '@shop/orders,libs/common/', '-f', 'json']), byName);
      assert.equal(await ok(shop, ['check', '.', '--service', './services/orders', '--service', '@shop/common', '-f', 'json']), byName);
      assert.deepEqual(sorted(jsonFindings(byName)), sorted([...jsonFindings(perProject.get('orders')!.json), ...jsonFindings(perProject.get('common')!.json)]));
    });

    it('--service and paths both narrow the report', async () => {
      const out = await ok(shop, ['check', '.', 'services/orders/src/routes', '--service', 'orders', '-f', 'json']);
      const findings = jsonFindings(out);
      assert.ok(findings.length > 0);
      assert.ok(findings.every((finding) => finding.includes(path.join('services', 'orders', 'src', 'routes'))));
      assert.deepEqual(jsonFindings(await ok(shop, ['check', '.', 'services/orders', '--service', 'payments', '-f', 'json'])), []);
    });

    it('an unknown project is a usage error that lists the known ones', async () => {
      const run = await breakwater(shop, ['check', '.', '--service', 'orders,shipping']);
      assertExit(run, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /unknown project "shipping" in --service/);
      for (const project of projects) assert.ok(run.stderr.includes(`${project.name} (${project.folder})`), run.stderr);
    });

    it('leaves examples/shop untouched', () => {
      assert.ok(!fs.existsSync(path.join(repo, 'examples/shop/node_modules')));
      assert.ok(!fs.readdirSync(path.join(repo, 'examples/shop')).some((name) => name.endsWith('.sarif')));
    });
  });

  describe('files outside every service and library', () => {
    const UNBOUNDED = "import axios from 'axios';\nexport async function load() {\n  return axios.get('http://localhost:3000/items');\n}\n";

    it('belong to the root project, so the union still covers every finding', async () => {
      const dir = tempDir('breakwater-per-service-root-');
      writeFiles(dir, {
        'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['services/*'] }),
        'services/a/package.json': JSON.stringify({ name: '@mono/a', dependencies: { axios: '^1' } }),
        'services/a/src/index.ts': UNBOUNDED,
        'services/b/package.json': JSON.stringify({ name: '@mono/b', dependencies: { axios: '^1' } }),
        'services/b/src/index.ts': UNBOUNDED,
        'scripts/seed.ts': UNBOUNDED,
      });
      const listed: Project[] = JSON.parse(await ok(dir, ['projects', '-f', 'json']));
      assert.deepEqual(listed.map((project) => [project.name, project.folder, project.kind]), [
        ['a', 'services/a', 'service'],
        ['b', 'services/b', 'service'],
        ['root', '.', 'root'],
      ]);
      const all = jsonFindings(await ok(dir, ['check', '-f', 'json']));
      const parts = await Promise.all(listed.map((project) => ok(dir, ['check', '--service', project.name, '-f', 'json'])));
      assert.deepEqual(sorted(parts.flatMap(jsonFindings)), sorted(all));
      assert.deepEqual(jsonFindings(parts[2]).map((finding) => path.relative(dir, finding.split(':')[0])), [path.join('scripts', 'seed.ts')]);
      // The root package's name and the folder "." name it too.
      assert.equal(await ok(dir, ['check', '--service', 'mono', '-f', 'json']), parts[2]);
      assert.equal(await ok(dir, ['check', '--service', '.', '-f', 'json']), parts[2]);
    });
  });

  describe('merge-sarif on hand-made logs', () => {
    const rule = (id: string) => ({ id, shortDescription: { text: `About ${id}.` } });
    const result = (ruleId: string, ruleIndex: number, file: string, line: number, artifactIndex?: number) => ({
      ruleId,
      ruleIndex,
      message: { text: `${ruleId} at ${line}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: file, uriBaseId: '%SRCROOT%', ...(artifactIndex === undefined ? {} : { index: artifactIndex }) },
            region: { startLine: line, startColumn: 1 },
          },
        },
      ],
    });
    const log = (run: Json) => ({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Breakwater', version: '0.1.0', ...run.driver } }, ...run.rest }] });
    const artifact = (uri: string) => ({ location: { uri, uriBaseId: '%SRCROOT%' } });

    async function merge(logs: Json[], expectExit = 0): Promise<CliRun> {
      const dir = tempDir('breakwater-merge-');
      const files = logs.map((content, i) => {
        const file = path.join(dir, `${i}.sarif`);
        fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
        return file;
      });
      const run = await breakwater(dir, ['merge-sarif', ...files]);
      assertExit(run, expectExit);
      return run;
    }

    it('deduplicates rules and artifacts and renumbers the indexes that point at them', async () => {
      const first = log({
        driver: { rules: [rule('a'), rule('b')] },
        rest: {
          artifacts: [artifact('x.ts'), artifact('y.ts')],
          invocations: [{ executionSuccessful: true, ruleConfigurationOverrides: [{ descriptor: { id: 'b', index: 1 }, configuration: { level: 'error' } }] }],
          results: [result('b', 1, 'y.ts', 2, 1)],
        },
      });
      const second = log({
        driver: { rules: [rule('c'), rule('b')] },
        rest: {
          artifacts: [artifact('z.ts'), artifact('y.ts')],
          invocations: [{ executionSuccessful: true, ruleConfigurationOverrides: [{ descriptor: { id: 'b', index: 1 }, configuration: { level: 'error' } }] }],
          results: [result('c', 0, 'z.ts', 1, 0), result('b', 1, 'y.ts', 1, 1)],
        },
      });
      const merged: Json = JSON.parse((await merge([first, second])).stdout);
      assertValidSarif(merged);
      assert.equal(merged.runs.length, 1);
      const run = merged.runs[0];
      assert.deepEqual(run.tool.driver.rules.map((r: Json) => r.id), ['a', 'b', 'c']);
      assert.deepEqual(run.artifacts.map((a: Json) => a.location.uri), ['x.ts', 'y.ts', 'z.ts']);
      assert.deepEqual(run.invocations, [{ executionSuccessful: true, ruleConfigurationOverrides: [{ descriptor: { id: 'b', index: 1 }, configuration: { level: 'error' } }] }]);
      // Sorted by file, then line; every index points at the right rule and artifact.
      assert.deepEqual(
        run.results.map((r: Json) => [r.ruleId, run.tool.driver.rules[r.ruleIndex].id, r.locations[0].physicalLocation.artifactLocation.uri, run.artifacts[r.locations[0].physicalLocation.artifactLocation.index].location.uri, r.locations[0].physicalLocation.region.startLine]),
        [
          ['b', 'b', 'y.ts', 'y.ts', 1],
          ['b', 'b', 'y.ts', 'y.ts', 2],
          ['c', 'c', 'z.ts', 'z.ts', 1],
        ],
      );
    });

    it('keeps one run per tool', async () => {
      const other = { version: '2.1.0', runs: [{ tool: { driver: { name: 'OtherTool' } }, results: [] }] };
      const merged: Json = JSON.parse((await merge([log({ rest: { results: [] } }), other, log({ rest: { results: [] } })])).stdout);
      assertValidSarif(merged);
      assert.deepEqual(merged.runs.map((run: Json) => run.tool.driver.name), ['Breakwater', 'OtherTool']);
    });

    it('leaves %SRCROOT% undefined, with a warning, when the logs come from different checkouts', async () => {
      const at = (uri: string) => log({ rest: { originalUriBaseIds: { '%SRCROOT%': { uri } }, results: [result('a', 0, 'x.ts', 1)] }, driver: { rules: [rule('a')] } });
      const run = await merge([at('file:///ci/one/'), at('file:///ci/two/')]);
      assert.match(run.stderr, /warning: .*%SRCROOT% differently/);
      const merged: Json = JSON.parse(run.stdout);
      assertValidSarif(merged);
      assert.equal(merged.runs[0].originalUriBaseIds, undefined);
    });

    it('refuses logs of different versions of a tool, broken indexes, and files that are not SARIF', async () => {
      const v2 = log({ driver: { version: '0.2.0' }, rest: { results: [] } });
      assert.match((await merge([log({ rest: { results: [] } }), v2], 2)).stderr, /cannot be merged with Breakwater 0\.1\.0.*same version/);
      assert.match((await merge([log({ driver: { rules: [rule('a')] }, rest: { results: [result('a', 3, 'x.ts', 1)] } })], 2)).stderr, /points at rule 3/);
      assert.match((await merge([{ version: '2.0.0', runs: [] }], 2)).stderr, /not a SARIF 2\.1\.0 log/);
      assert.match((await merge(['{ not json'], 2)).stderr, /is not JSON/);
      const missing = await breakwater(os.tmpdir(), ['merge-sarif', path.join(os.tmpdir(), 'no-such-breakwater.sarif')]);
      assertExit(missing, 2);
      assert.match(missing.stderr, /no such file/);
    });
  });
});
