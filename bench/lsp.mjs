// Language-server latency over real LSP on stdio: time to the first diagnostics after start-up, then edits spread
// across the workspace, each timed from didChange sent to the publishDiagnostics for that file that reflects it.
//
// Each edit toggles the `timeout` of a direct axios call in a handler (the generator records where), so the file's
// missing-timeout count goes up by one, then back down: the diagnostics that show the edit are unambiguous.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { preload, tempRssFile, watchRss } from './measure.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const serverScript = path.join(repoRoot, 'bin', 'breakwater-language-server.js');

/** Spreads `count` picks evenly over a list (the edit sites are grouped by service, so this crosses services). */
function spread(list, count) {
  if (list.length <= count) return list;
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]);
}

export const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

/**
 * @param {{ root: string, editSites: Array<{ file: string, with: string, without: string }>, edits?: number, editTimeoutMs?: number, nodeArgs?: string[] }} options
 */
export async function measureLanguageServer({ root, editSites, edits = 200, editTimeoutMs = 15_000, nodeArgs = [] }) {
  const rssFile = tempRssFile();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--require', preload, serverScript, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 100_000) stderr += chunk;
  });
  const rss = watchRss(child.pid, rssFile);
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));

  // The latest diagnostics per URI, and whoever waits for a condition on them.
  const diagnostics = new Map();
  let firstPublishAt;
  let lastPublishAt = 0;
  let publishes = 0;
  const waiters = new Set();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const now = performance.now();
    firstPublishAt ??= now;
    lastPublishAt = now;
    publishes++;
    diagnostics.set(params.uri, params.diagnostics);
    for (const waiter of [...waiters]) waiter(params, now);
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('$/progress', () => undefined);
  // Breakwater's own status notification, when the server sends it, says when an analysis is over: used only to let
  // the analysis a didOpen triggers settle before the timed edit (a document whose diagnostics did not change is not
  // published again).
  let analysesDone = 0;
  const statusWaiters = new Set();
  connection.onNotification('breakwater/status', (status) => {
    if (status?.state === 'analysing') return;
    analysesDone++;
    for (const wake of [...statusWaiters]) wake();
  });
  const nextAnalysisDone = (timeoutMs) =>
    new Promise((resolve) => {
      const wake = () => {
        statusWaiters.delete(wake);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        statusWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      statusWaiters.add(wake);
    });
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();

  /** Resolves with the time of the first publication for `uri` that satisfies `test`, or undefined after `timeoutMs`. */
  const waitFor = (uri, test, timeoutMs) =>
    new Promise((resolve) => {
      const waiter = (params, at) => {
        if (params.uri !== uri || !test(params.diagnostics)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      waiters.add(waiter);
    });
  const quiet = async (ms) => {
    while (performance.now() - lastPublishAt < ms) await new Promise((resolve) => setTimeout(resolve, ms / 4));
  };

  const rootUri = pathToFileURL(root).toString();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  const initializedAt = performance.now();
  await connection.sendNotification('initialized', {});
  // The first analysis publishes every file's diagnostics in one burst; it is over once the server goes quiet.
  const deadline = Date.now() + 300_000;
  while (firstPublishAt === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await quiet(1_000);
  const firstDiagnostics = { fromSpawnMs: firstPublishAt - started, fromInitializedMs: firstPublishAt - initializedAt };
  const initialDiagnostics = [...diagnostics.values()].reduce((sum, list) => sum + list.length, 0);
  const initialFiles = [...diagnostics.values()].filter((list) => list.length > 0).length;

  const missingTimeouts = (list) => list.filter((d) => d.code === 'missing-timeout' || d.code?.value === 'missing-timeout').length;
  const latencies = [];
  const failures = [];
  let version = 1;
  for (const site of spread(editSites, Math.ceil(edits / 2))) {
    const file = path.join(root, site.file);
    const uri = pathToFileURL(file).toString();
    const text = fs.readFileSync(file, 'utf8');
    // Open the file as an editor does, and let the analysis that opening triggers settle (not timed).
    const opened = nextAnalysisDone(2_000);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: version++, text } });
    await opened;
    const baseline = missingTimeouts(diagnostics.get(uri) ?? []);
    // Remove the timeout (a finding appears), then put it back (it goes away).
    const steps = [
      { text: text.replace(site.with, site.without), expect: baseline + 1, what: 'remove timeout' },
      { text, expect: baseline, what: 'restore timeout' },
    ];
    for (const step of steps) {
      if (latencies.length + failures.length >= edits) break;
      const reflected = waitFor(uri, (list) => missingTimeouts(list) === step.expect, editTimeoutMs);
      const sentAt = performance.now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ text: step.text }] });
      const at = await reflected;
      if (at === undefined) failures.push({ file: site.file, what: step.what });
      else latencies.push(at - sentAt);
    }
  }

  const peakDuringRunMB = rss.peakMB;
  await connection.sendRequest('shutdown').catch(() => undefined);
  await connection.sendNotification('exit').catch(() => undefined);
  await new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.on('exit', resolve);
    setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5_000);
  });
  const peakRssMB = Math.max(rss.finish(), peakDuringRunMB);
  connection.dispose();

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    firstDiagnostics,
    initialDiagnostics,
    initialFiles,
    edits: latencies.length,
    failures,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1], min: sorted[0], mean: sorted.reduce((a, b) => a + b, 0) / sorted.length },
    publishes,
    statusNotifications: analysesDone,
    peakRssMB,
    stderr: stderr.trim().slice(0, 2_000),
  };
}
