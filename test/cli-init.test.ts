// `breakwater init` and `breakwater explain`, as a user runs them: the CLI as a process on a copy of examples/shop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIfMissing, repo, runCliSync } from './cli-process';

const breakwater = runCliSync;

/** `file:line:rule` of every finding of a JSON report, sorted. */
function findingsOf(cwd: string, args: string[]): string[] {
  const run = breakwater(cwd, ['check', ...args, '--format', 'json']);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ line: number; ruleId: string | null }> }>;
  return results.flatMap((file) => file.messages.map((message) => `${path.relative(cwd, file.filePath)}:${message.line}:${message.ruleId}`)).sort();
}

describe('breakwater init and explain (CLI)', () => {
  let copy: string;
  before(buildIfMissing);
  beforeEach(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-init-'));
    fs.cpSync(path.join(repo, 'examples', 'shop'), copy, { recursive: true });
    fs.rmSync(path.join(copy, 'breakwater.json'), { force: true });
  });
  afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('init writes a commented breakwater.json stating what it found, which gives the same findings', () => {
    const before = findingsOf(copy, ['.']);
    const run = breakwater(copy, ['init']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Wrote breakwater\.json: 4 services, 1 shared library, \d+ findings today\./);
    const text = fs.readFileSync(path.join(copy, 'breakwater.json'), 'utf8');
    assert.match(text, /^\s*\/\/ {3}orders \(services\/orders\): built by docker-compose$/m, 'each service with its evidence');
    assert.match(text, /"services": \{"inventory":"services\/inventory","notifications":"services\/notifications","orders":"services\/orders","payments":"services\/payments"\}/);
    assert.match(text, /"databases": \{[^}]*"orders":"orders"/);
    assert.match(text, /\/\/ {3}circuit breakers: .*new CircuitBreaker at services\/orders\/src\/clients\/inventory\.ts:\d+/);
    assert.match(text, /"\$schema": "\.\/node_modules\/breakwater\/schema\/breakwater\.schema\.json"/);
    assert.deepEqual(findingsOf(copy, ['.']), before, 'the written config reproduces what Breakwater found by itself');
    assert.ok(before.length > 20);
  });

  it('init never replaces a config without --force, and with it reads the workspace afresh', () => {
    fs.writeFileSync(path.join(copy, 'breakwater.json'), '{ "services": ["services/orders"] }\n');
    const refused = breakwater(copy, ['init']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /breakwater\.json already exists: add --force to replace it/);
    assert.equal(fs.readFileSync(path.join(copy, 'breakwater.json'), 'utf8'), '{ "services": ["services/orders"] }\n');

    const forced = breakwater(copy, ['init', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /4 services/, 'the old config, which named one service, did not decide what was found');
  });

  it('explain prints the rule doc the package ships, and names the rule meant for a near miss', () => {
    const run = breakwater(copy, ['explain', 'missing-timeout']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, fs.readFileSync(path.join(repo, 'docs', 'rules', 'missing-timeout.md'), 'utf8'));
    const near = breakwater(copy, ['explain', 'unguarded']);
    assert.equal(near.status, 2);
    assert.match(near.stderr, /unknown rule "unguarded"; did you mean "unguarded-downstream-call"\?/);
  });
});
