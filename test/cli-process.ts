// For tests that run the CLI as a process: where it is, and a hook that builds it when `npm test` has not.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repo = path.resolve(__dirname, '..');
export const bin = path.join(repo, 'bin/breakwater.js');

/** A mocha `before` hook: builds dist/ once if it is missing (a lone test file run outside `npm test`). */
export function buildIfMissing(this: Mocha.Context): void {
  if (fs.existsSync(path.join(repo, 'dist/cli.js'))) return;
  this.timeout(120_000);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
}
