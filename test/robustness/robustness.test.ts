// Hostile workspaces (issue 12, section 4): each case from generate.ts is checked by the built CLI, run as a process
// with a heap cap and a generous kill timer. For every case: it exits with 0 or 1 (no crash code, no signal), stdout is
// valid JSON, stderr has no stack trace, the intact service's finding is there, each unreadable file is named in
// exactly one notice (a message with ruleId null), and no hostile file gets more than one. Times and peak memory are
// recorded (BREAKWATER_ROBUST_REPORT=1 prints them) for test/robustness/README.md; they are never asserted.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIfMissing, repo } from '../cli-process';
import { Case, generate, INTACT_FILE, INTACT_LINE, INTACT_RULE } from './generate';

interface Message { ruleId: string | null; message: string; line?: number }
interface Entry { filePath: string; messages: Message[] }
interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; maxRssKb?: number }

const KILL_AFTER_MS = 120_000; // a hang shows as a kill, not as a slow pass
const HEAP_MB = 1024;

function check(dir: string, measure: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '-r', path.join(__dirname, 'measure.cjs'), path.join(repo, 'dist/cli.js'), 'check', '.', '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, BREAKWATER_MEASURE: measure, DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRssKb: number | undefined;
      try {
        maxRssKb = (JSON.parse(fs.readFileSync(measure, 'utf8')) as { maxRssKb: number }).maxRssKb;
      } catch {
        maxRssKb = undefined;
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms, maxRssKb });
    });
  });
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-robust-'));
const figures: Array<{ name: string; files: number; ms: number; maxRssKb?: number; crashed: boolean; hung: boolean }> = [];

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (!entry.isDirectory()) n++;
  return n;
}

describe('hostile workspaces (test/robustness)', function () {
  this.timeout(KILL_AFTER_MS + 30_000);
  let cases: Case[] = [];

  before(function () {
    buildIfMissing.call(this);
    cases = generate(base);
  });

  after(function () {
    fs.rmSync(base, { recursive: true, force: true });
    if (process.env.BREAKWATER_ROBUST_REPORT) {
      for (const f of figures) console.log(`  ${f.name.padEnd(20)} ${String(f.files).padStart(4)} files ${(f.ms / 1000).toFixed(2).padStart(6)} s ${f.maxRssKb === undefined ? '?' : Math.round(f.maxRssKb / 1024)} MB`);
      const slowest = [...figures].sort((a, b) => b.ms - a.ms)[0];
      const peak = Math.max(...figures.map((f) => f.maxRssKb ?? 0));
      console.log(`  ${figures.length} cases, ${figures.reduce((n, f) => n + f.files, 0)} files, ${figures.filter((f) => f.crashed).length} crashes, ${figures.filter((f) => f.hung).length} hangs, slowest ${slowest?.name} ${((slowest?.ms ?? 0) / 1000).toFixed(2)} s, peak ${Math.round(peak / 1024)} MB`);
    }
  });

  it('every case ends cleanly, keeps the intact finding and names each unreadable file once', async function () {
    assert.ok(cases.length >= 12, `cases generated: ${cases.map((c) => c.name).join(', ')}`);
    const failures: string[] = [];
    for (const made of cases) {
      const run = await check(made.dir, path.join(base, `${made.name}.measure.json`));
      const crashed = run.signal !== null || (run.code !== 0 && run.code !== 1);
      figures.push({ name: made.name, files: countFiles(made.dir), ms: run.ms, maxRssKb: run.maxRssKb, crashed, hung: run.signal === 'SIGKILL' });
      const fail = (why: string) => failures.push(`${made.name}: ${why}`);
      if (crashed) {
        fail(`exit ${run.code} signal ${run.signal}; stderr: ${run.stderr.slice(-2000)}`);
        continue;
      }
      if (/^\s+at .+:\d+:\d+\)?$/m.test(run.stderr)) fail(`a stack trace on stderr: ${run.stderr.slice(-2000)}`);
      let report: Entry[];
      try {
        report = JSON.parse(run.stdout) as Entry[];
        assert.ok(Array.isArray(report));
      } catch {
        fail(`stdout is not a JSON report: ${run.stdout.slice(0, 500)}`);
        continue;
      }
      const messagesOf = (file: string) => report.filter((entry) => path.relative(made.dir, entry.filePath).split(path.sep).join('/') === file).flatMap((entry) => entry.messages);
      const notices = (file: string) => messagesOf(file).filter((message) => message.ruleId === null);
      const hasFinding = (file: string) => messagesOf(file).some((message) => message.ruleId === INTACT_RULE && message.line === INTACT_LINE);
      if (!hasFinding(INTACT_FILE)) fail(`the intact service lost its ${INTACT_RULE} finding`);
      for (const file of made.findings) if (!hasFinding(file)) fail(`${JSON.stringify(file)} lost its ${INTACT_RULE} finding`);
      for (const file of made.refused) {
        const told = notices(file);
        if (told.length !== 1) fail(`${JSON.stringify(file)} has ${told.length} notices, not 1: ${JSON.stringify(told)}`);
        else if (!told[0].message.includes(path.basename(file))) fail(`the notice on ${JSON.stringify(file)} does not name it: ${told[0].message}`);
        else if (typeof made.says === 'string' && told[0].message !== made.says.replace('{file}', file)) fail(`the notice on ${JSON.stringify(file)} says ${JSON.stringify(told[0].message)}, not ${JSON.stringify(made.says.replace('{file}', file))}`);
        else if (made.says instanceof RegExp && !made.says.test(told[0].message)) fail(`the notice on ${JSON.stringify(file)} says ${JSON.stringify(told[0].message)}, which does not match ${made.says}`);
      }
      for (const file of made.hostile) if (notices(file).length > 1) fail(`${JSON.stringify(file)} has ${notices(file).length} notices`);
    }
    assert.deepEqual(failures, []);
  });
});
