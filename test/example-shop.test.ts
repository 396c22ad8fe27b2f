// End to end over the bundled example workspace (examples/shop): what `breakwater check examples/shop` must find.
// The expectations are the planted faults listed in examples/shop/EXPECTED.md, each checked by reading the code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse, type AnalysisResult, type Finding } from '../engine';

const root = path.join(__dirname, '..', 'examples', 'shop');

interface Position {
  ruleId: string;
  file: string;
  line: number;
  column: number;
}

const expected: Position[] = JSON.parse(fs.readFileSync(path.join(root, 'expected-findings.json'), 'utf8'));

function position(finding: Finding): Position {
  const { file, line, column } = finding.location;
  return { ruleId: finding.ruleId, file, line, column };
}

function byPosition(a: Position, b: Position): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

describe('examples/shop', () => {
  let result: AnalysisResult;

  before(async () => {
    result = await analyse(root);
  });

  it('discovers the four services, and libs/common as a library', () => {
    const services = result.layout.services.map(({ name, root: folder }) => ({ name, root: folder })).sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(services, [
      { name: 'inventory', root: 'services/inventory' },
      { name: 'notifications', root: 'services/notifications' },
      { name: 'orders', root: 'services/orders' },
      { name: 'payments', root: 'services/payments' },
    ]);
    assert.deepEqual(
      result.layout.libraries.map(({ root: folder, packageName }) => ({ root: folder, packageName })),
      [{ root: 'libs/common', packageName: '@shop/common' }],
    );
  });

  it('every message fits a Problems panel: what is wrong and the fix first (at most 200 characters), a named target, no inline file:line', () => {
    for (const finding of result.findings) {
      const [first, why] = finding.message.split(' Why: ');
      assert.ok(first.length <= 200, `${finding.ruleId}: first sentence of ${first.length} characters: ${first}`);
      assert.ok(why === undefined || why.length > 0, `${finding.ruleId}: an empty rationale`);
      assert.doesNotMatch(finding.message, /\.[cm]?[jt]sx?:\d/, `${finding.ruleId}: places belong in related locations`);
      assert.doesNotMatch(finding.message, /\ba downstream\b/, `${finding.ruleId}: the target is named`);
    }
  });

  it('expected-findings.json is sorted by file, line and column', () => {
    assert.deepEqual([...expected].sort(byPosition), expected);
  });

  it('reports exactly the planted faults of all five rules', () => {
    const actual = result.findings
      .filter((finding) => !finding.suppressed)
      .map(position)
      .sort(byPosition);
    assert.deepEqual(actual, expected);
  });

  it('plants faults of every rule', () => {
    assert.deepEqual([...new Set(expected.map((row) => row.ruleId))].sort(), [
      'cross-service-db-access',
      'missing-correlation-id',
      'missing-timeout',
      'shared-connection-pool',
      'unguarded-downstream-call',
    ]);
  });

  it('keeps the suppressed finding, with the justification from its comment', () => {
    const suppressed = result.findings.filter((finding) => finding.suppressed);
    const catalogFeed = suppressed.find(
      (finding) => finding.location.file === 'services/inventory/src/jobs/import-catalog.ts' && finding.location.line === 15,
    );
    assert.ok(catalogFeed, `no suppressed finding at import-catalog.ts:15; suppressed: ${JSON.stringify(suppressed.map(position))}`);
    assert.deepEqual(position(catalogFeed), {
      ruleId: 'missing-timeout',
      file: 'services/inventory/src/jobs/import-catalog.ts',
      line: 15,
      column: 16,
    });
    assert.deepEqual(catalogFeed.suppressed, {
      kind: 'inline',
      justification: "multi-GB stream; the CronJob's activeDeadlineSeconds ends it",
    });
  });
});
