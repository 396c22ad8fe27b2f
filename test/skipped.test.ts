// Nothing skipped in silence (issue 12, section 2). Files nested deeper than the main thread's stack are analysed,
// and what is still skipped is part of the result in every channel. Each case failed before the fix: a deep file was
// dropped with "Maximum call stack size exceeded" on stderr only. Every run goes through a public entry point.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyse } from '../engine';
import { bin, buildIfMissing } from './cli-process';

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
  });
});
