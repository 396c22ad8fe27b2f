// For tests that run the CLI as a process: where it is, and a hook that builds it when `npm test` has not.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
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

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment the CLI runs in: a developer's FORCE_COLOR, NO_COLOR or DEBUG must not change what a test sees. */
function cleanEnv(extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'DEBUG']) delete env[name];
  return { ...env, ...extraEnv };
}

/** Runs the CLI and waits for it, in a clean environment (cleanEnv) plus `extraEnv`. */
export function runCliSync(cwd: string, args: string[], extraEnv: Record<string, string> = {}): CliRun {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, env: cleanEnv(extraEnv), encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the CLI without blocking (so runs can go in parallel), in a clean environment (cleanEnv). */
export function runCli(cwd: string, args: string[]): Promise<CliRun> {
  const env = cleanEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Asserts the exit code, showing what the CLI said when it is not the expected one. */
export function assertExit(run: CliRun, code: number): CliRun {
  assert.equal(run.status, code, `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}
