// Runs one command as a child process and measures its wall time and peak RSS.
//
// Peak RSS comes from two sources, and the larger wins per process:
// - polling /proc/<pid>/status (VmHWM, the kernel's high-water mark) for the process and its descendants, which works
//   for native binaries such as tsgo;
// - for Node tools, rss-preload.cjs, which reports getrusage's maxRSS at exit (nothing is missed after the last poll).
// The tree's peak is the sum of its processes' peaks (an upper bound when children run one after another; the tools
// measured here are single processes).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const preload = fileURLToPath(new URL('./rss-preload.cjs', import.meta.url));
const POLL_MS = 20;

function readHighWaterKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid) {
  const found = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) found.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process has exited.
  }
  return found;
}

/** Watches a process tree's peak RSS until finish(); finish() also reads the preload's report. */
export function watchRss(pid, rssFile) {
  const peaks = new Map();
  const poll = () => {
    const stack = [pid];
    while (stack.length > 0) {
      const next = stack.pop();
      const hwm = readHighWaterKiB(next);
      if (hwm > (peaks.get(next) ?? 0)) peaks.set(next, hwm);
      stack.push(...childrenOf(next));
    }
  };
  const timer = setInterval(poll, POLL_MS);
  poll();
  return {
    poll,
    /** Peak RSS so far, in MB. */
    get peakMB() {
      return [...peaks.values()].reduce((sum, kib) => sum + kib, 0) / 1024;
    },
    finish() {
      clearInterval(timer);
      try {
        for (const line of fs.readFileSync(rssFile, 'utf8').trim().split('\n')) {
          const [reporter, kib] = line.split(' ').map(Number);
          if (kib > (peaks.get(reporter) ?? 0)) peaks.set(reporter, kib);
        }
        fs.rmSync(rssFile, { force: true });
      } catch {
        // No preload report (a native tool, or killed).
      }
      return this.peakMB;
    },
  };
}

/**
 * CPU time (user + system) of this process's children that have been waited for, in ms: read before and after a run,
 * it gives the run's CPU time, which other load on a shared machine disturbs less than wall time.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux
export function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime, cstime (fields 16 and 17 of stat)
  } catch {
    return NaN;
  }
}

export const tempRssFile = () => path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);

/**
 * @param {string} command executable (process.execPath for Node tools)
 * @param {string[]} args
 * @param {{ cwd?: string, env?: object, node?: boolean, timeoutMs?: number, stdout?: 'capture' | 'ignore' }} options
 *   node: run `command` as a Node script (with nodeArgs) and the RSS preload; stdout 'capture' keeps it for the caller.
 */
export function measure(command, args, { cwd, env, node = false, nodeArgs = [], timeoutMs = 0, stdout = 'ignore' } = {}) {
  const rssFile = tempRssFile();
  const argv = node ? [...nodeArgs, '--require', preload, command, ...args] : args;
  const executable = node ? process.execPath : command;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = childrenCpuMs();
    const child = spawn(executable, argv, {
      cwd,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', stdout === 'capture' ? 'pipe' : 'ignore', 'pipe'],
    });
    const rss = watchRss(child.pid, rssFile);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => {
      if (err.length < 200_000) err += chunk;
    });
    let timedOut = false;
    const killer = timeoutMs > 0 ? setTimeout(() => {
      timedOut = true;
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs) : undefined;
    child.on('error', (error) => {
      rss.finish();
      clearTimeout(killer);
      reject(error);
    });
    let wallMs = 0;
    let cpuMs = NaN;
    child.on('exit', () => {
      wallMs = performance.now() - started;
      cpuMs = childrenCpuMs() - cpuBefore;
      clearTimeout(killer);
    });
    // 'close' comes after 'exit' once the output is drained, so captured stdout is complete.
    child.on('close', (code, signal) => {
      const peakRssMB = rss.finish();
      resolve({ wallMs, cpuMs, peakRssMB, code, signal, timedOut, stdout: out, stderr: err });
    });
  });
}
