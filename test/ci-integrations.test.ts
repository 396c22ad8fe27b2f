// action.yml and .pre-commit-hooks.yaml, read as GitHub and pre-commit read them (YAML), checked against the real
// CLI: every option they pass is one `breakwater check --help` lists. Then the action's script runs as the runner
// would run it, on a small workspace, with the runner's environment (GITHUB_OUTPUT, GITHUB_ACTION_PATH).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { formatNames } from '../engine/report';
import { bin, buildIfMissing, repo } from './cli-process';

/** Options the action passes on that belong to another part of issue 13; check does not have them yet. */
const COMING = new Set<string>();

type Json = any;

function checkHelp(): string {
  const run = spawnSync(process.execPath, [bin, 'check', '--help'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The long options a text passes (`--format`, `--no-color`), without their values. */
function optionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))];
}

describe('CI integrations', () => {
  before(buildIfMissing);
  let help: string;
  before(() => {
    help = checkHelp();
  });

  describe('action.yml', () => {
    const action: Json = parse(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8'));
    const script = fs.readFileSync(path.join(repo, 'scripts/github-action.sh'), 'utf8');
    const steps: Json[] = action.runs.steps;

    it('is a composite action with a name, a description and documented inputs', () => {
      assert.equal(action.runs.using, 'composite');
      assert.ok(action.name && action.description);
      for (const [name, input] of Object.entries<Json>(action.inputs)) {
        assert.ok(input.description, `${name} has a description`);
        assert.equal(typeof (input.default ?? ''), 'string', `${name}'s default is a string`);
      }
      for (const name of ['paths', 'format', 'suppressions-file', 'upload-sarif']) assert.ok(name in action.inputs, name);
    });

    it('passes inputs to shell steps only through the environment (no expression in a run: script)', () => {
      for (const step of steps) {
        if (step.run !== undefined) {
          assert.doesNotMatch(step.run, /\$\{\{/, `${step.name ?? step.id}: no \${{ }} in run`);
          assert.equal(step.shell, 'bash');
        }
      }
    });

    it('uses every input it declares, and declares every input it uses', () => {
      const text = fs.readFileSync(path.join(repo, 'action.yml'), 'utf8');
      const used = new Set([...text.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]));
      assert.deepEqual([...used].sort(), Object.keys(action.inputs).sort());
      const env = steps.find((step) => step.id === 'check').env as Record<string, string>;
      for (const name of Object.keys(env)) assert.ok(script.includes(name), `the script reads ${name}`);
      for (const [, name] of script.matchAll(/\$\{?(INPUT_[A-Z_]+)/g)) assert.ok(name in env, `${name} is set by the step`);
    });

    it('passes only options check has (or that another part of issue 13 adds), and lists every format', () => {
      const options = optionsIn(script);
      assert.ok(options.includes('--format') && options.includes('--max-warnings'));
      for (const option of options) {
        if (option === '--yes') continue; // npx's own
        assert.ok(help.includes(option) || COMING.has(option), `${option} is an option of breakwater check`);
      }
      for (const format of formatNames) assert.ok(action.inputs.format.description.includes(format), `the format input names ${format}`);
      assert.ok(formatNames.includes(action.inputs.format.default));
    });

    it('docs/ci.md documents every input and every format', () => {
      const docs = fs.readFileSync(path.join(repo, 'docs/ci.md'), 'utf8');
      for (const name of Object.keys(action.inputs)) assert.ok(docs.includes(`| \`${name}\` |`), `input ${name}`);
      for (const format of formatNames) assert.ok(docs.includes(`| \`${format}\` |`), `format ${format}`);
    });

    it('uploads SARIF with codeql-action only when asked', () => {
      const upload = steps.find((step) => String(step.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
      assert.ok(upload, 'an upload-sarif step');
      assert.match(upload.uses, /@v\d+$/);
      assert.match(upload.if, /inputs\.upload-sarif == 'true'/);
      assert.match(upload.with.sarif_file, /steps\.check\.outputs\.sarif-file/);
    });

    describe('its script, run as the runner runs it', function () {
      this.timeout(120_000);
      let dir: string;
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-action-'));
        fs.mkdirSync(path.join(dir, 'src'));
        fs.mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { axios: '^1' } }));
        fs.writeFileSync(path.join(dir, 'src/index.ts'), "import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items');\n");
        // The workspace's own Breakwater, as after `npm install --save-dev breakwater`.
        fs.symlinkSync(bin, path.join(dir, 'node_modules/.bin/breakwater'));
      });
      after(() => fs.rmSync(dir, { recursive: true, force: true }));

      function runStep(inputs: Record<string, string>) {
        const outputFile = path.join(dir, `github-output-${Math.random().toString(36).slice(2)}`);
        fs.writeFileSync(outputFile, '');
        const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: os.homedir(), GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: repo };
        for (const [name, input] of Object.entries<Json>(action.inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = inputs[name] ?? input.default ?? '';
        const run = spawnSync('bash', [path.join(repo, 'scripts/github-action.sh')], { cwd: dir, env, encoding: 'utf8' });
        const outputs = Object.fromEntries(
          fs
            .readFileSync(outputFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
        return { ...run, outputs };
      }

      it('with the defaults: annotations in the log, exit code 0 as an output', () => {
        const run = runStep({});
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^::warning file=src\/index\.ts,line=2,.*title=missing-timeout::/m);
        assert.deepEqual(run.outputs, { 'exit-code': '0' });
      });

      it('max-warnings, paths and args reach check; the step still ends 0 and hands on exit code 1', () => {
        const run = runStep({ 'max-warnings': '0', paths: '.\n src', args: '--rule missing-timeout', format: 'compact' });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^src\/index\.ts: line 2, col \d+, Warning - .* \(missing-timeout\)$/m);
        assert.equal(run.outputs['exit-code'], '1');
      });

      it('upload-sarif writes a SARIF log and hands on its path', () => {
        const run = runStep({ 'upload-sarif': 'true', format: 'junit', output: 'reports/breakwater.xml' });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.outputs['sarif-file'], path.join(fs.realpathSync(dir), 'breakwater.sarif'));
        const sarif = JSON.parse(fs.readFileSync(run.outputs['sarif-file'], 'utf8'));
        assert.equal(sarif.version, '2.1.0');
        assert.equal(sarif.runs[0].results.length, 1);
        assert.match(fs.readFileSync(path.join(dir, 'reports/breakwater.xml'), 'utf8'), /<testsuites name="breakwater" tests="1" failures="1"/);
      });

      it('a usage error is exit code 2', () => {
        const run = runStep({ args: '--rule no-such-rule' });
        assert.equal(run.outputs['exit-code'], '2');
      });
    });
  });

  describe('.pre-commit-hooks.yaml', () => {
    const hooks: Json[] = parse(fs.readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8'));
    // pre-commit's languages (pre-commit/languages/all.py).
    const LANGUAGES = ['conda', 'coursier', 'dart', 'docker', 'docker_image', 'dotnet', 'fail', 'golang', 'haskell', 'julia', 'lua', 'node', 'perl', 'pygrep', 'python', 'r', 'ruby', 'rust', 'script', 'swift', 'system', 'unsupported', 'unsupported_script'];

    it("has pre-commit's required keys, unique ids and a language pre-commit knows", () => {
      assert.ok(Array.isArray(hooks) && hooks.length > 0);
      assert.equal(new Set(hooks.map((hook) => hook.id)).size, hooks.length);
      for (const hook of hooks) {
        for (const key of ['id', 'name', 'entry', 'language']) assert.equal(typeof hook[key], 'string', `${hook.id}: ${key}`);
        assert.ok(LANGUAGES.includes(hook.language), hook.language);
        assert.doesNotThrow(() => new RegExp(hook.files));
        assert.ok(new RegExp(hook.files).test('services/orders/src/index.ts'));
      }
    });

    it('runs the bin this package installs, with options check has', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
      for (const hook of hooks) {
        const [command, subcommand] = hook.entry.split(' ');
        assert.ok(command in pkg.bin, `${command} is a bin of the package`);
        assert.equal(subcommand, 'check');
        for (const option of optionsIn([hook.entry, ...(hook.args ?? [])].join(' '))) assert.ok(help.includes(option), `${hook.id}: ${option}`);
      }
    });

    it('passing file names narrows the report: the workspace root comes first', () => {
      for (const hook of hooks.filter((h) => h.pass_filenames !== false)) {
        assert.match(hook.entry, /^breakwater check \.$/, `${hook.id}: the root before the files pre-commit appends`);
      }
    });
  });
});
