// The accuracy harness (npm run accuracy) as a process, on a corpus of one: a copy of examples/shop with a few labels.
// It must score what the CLI reports against the labels: a labelled finding reported, one missed, a labelled `ok`
// reported (a wrong finding), an `unsure` label left out of the score, and the unlabelled rest listed for review.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIfMissing, repo } from './cli-process';

const harness = path.join(repo, 'bench/corpus/accuracy.mjs');

describe('npm run accuracy (bench/corpus/accuracy.mjs)', function () {
  this.timeout(120_000);
  before(buildIfMissing);

  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-accuracy-'));
    fs.cpSync(path.join(repo, 'examples/shop'), path.join(dir, 'repos', 'local+shop'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repos.json'), JSON.stringify({ repos: [{ name: 'local/shop', commit: '0'.repeat(40) }] }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(labels: string[][]): { stdout: string; unlabelled: string } {
    const labelsFile = path.join(dir, 'labels.tsv');
    fs.writeFileSync(labelsFile, [['repo', 'path', 'line', 'rule', 'label', 'reason'], ...labels].map((r) => r.join('\t')).join('\n'));
    const stdout = execFileSync(process.execPath, [harness, '--repos', path.join(dir, 'repos.json'), '--repos-dir', path.join(dir, 'repos'),
      '--labels', labelsFile, '--results', path.join(dir, 'results.md'), '--unlabelled', path.join(dir, 'unlabelled.tsv')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout, unlabelled: fs.readFileSync(path.join(dir, 'unlabelled.tsv'), 'utf8') };
  }

  const ruleRow = (stdout: string, rule: string) => stdout.split('\n').find((l) => l.startsWith(`| ${rule} |`))?.split('|').map((c) => c.trim()).slice(1, -1);

  it('scores recall and precision per rule from the labels, and lists what was missed, wrong and unlabelled', () => {
    const { stdout, unlabelled } = run([
      // Reported by the CLI (the shop's planted faults), labelled findings: a multi-line call labelled on a later line too.
      ['local/shop', 'services/inventory/src/cache.ts', '4', 'missing-timeout', 'finding', 'ioredis client without commandTimeout'],
      ['local/shop', 'services/orders/src/clients/carrier.ts', '6', 'missing-timeout', 'finding', 'axios.create without timeout (label inside the call)'],
      // Not reported: a missed finding.
      ['local/shop', 'services/orders/src/routes/orders.ts', '1', 'missing-timeout', 'finding', 'an invented miss'],
      // Reported but labelled ok: counts against precision.
      ['local/shop', 'services/inventory/src/mongo.ts', '18', 'missing-timeout', 'ok', 'an invented disagreement'],
      // Unsure: neither.
      ['local/shop', 'libs/common/src/rpc.ts', '19', 'missing-timeout', 'unsure', 'not scored'],
      ['local/shop', 'services/orders/src/clients/limits.ts', '4', 'shared-connection-pool', 'finding', 'one limiter for two downstreams'],
    ]);
    // rule, finding labels, ok labels, reported of finding, reported of ok, recall, precision, findings, unlabelled
    assert.deepEqual(ruleRow(stdout, 'missing-timeout'), ['missing-timeout', '3', '1', '2', '1', '67 %', '67 %', '10', '6']);
    assert.deepEqual(ruleRow(stdout, 'shared-connection-pool'), ['shared-connection-pool', '1', '0', '1', '0', '100 %', '100 %', '1', '0']);
    assert.match(stdout, /## Missed \(1\)[\s\S]*orders\.ts:1 missing-timeout: an invented miss/);
    assert.match(stdout, /## Wrong \(1\)[\s\S]*mongo\.ts:18 missing-timeout: an invented disagreement/);
    assert.match(unlabelled, /^local\/shop\tservices\/notifications\/src\/rabbit\.ts\t13\tmissing-timeout\t\t/m);
    assert.doesNotMatch(unlabelled, /cache\.ts\t4\tmissing-timeout/);
    assert.match(fs.readFileSync(path.join(dir, 'results.md'), 'utf8'), /^# Accuracy on the real-world corpus[\s\S]*\| local\/shop \| 000000000000 \| 6 \|/);
  });

  it('refuses a malformed labels file with the line that is wrong', () => {
    assert.throws(() => run([['local/shop', 'a.ts', 'x', 'missing-timeout', 'maybe', 'bad']]), (error: { status: number; stderr: string }) => {
      assert.equal(error.status, 2);
      assert.match(error.stderr, /labels\.tsv:2: expected repo, path, a line number/);
      return true;
    });
  });
});
