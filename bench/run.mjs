// The benchmark: Breakwater side by side with the tools users already run, on the same generated workspaces, in one
// run. Writes bench/results.json and bench/results.md.
//
//   npm run bench -- [--sizes 1k,5k,20k] [--only breakwater,tsc,tsgo,eslint,depcruise,parse,lsp,profile]
//                    [--runs N] [--edits 200] [--limit-s 900] [--eslint-limit-s 420] [--seed 1] [--no-build]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from './generate.mjs';
import { measureLanguageServer } from './lsp.mjs';
import { measure } from './measure.mjs';
import { profileMarkdown, summariseProfile } from './profile.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const benchDir = path.join(repoRoot, 'bench');
const outDir = path.join(benchDir, 'out');
const require = createRequire(import.meta.url);

const SIZES = {
  '1k': { services: 20, filesPerService: 50, runs: 3 },
  '5k': { services: 100, filesPerService: 50, runs: 2 },
  '20k': { services: 200, filesPerService: 100, runs: 1 },
};
const TOOLS = ['breakwater', 'tsc', 'tsgo', 'eslint', 'depcruise', 'parse', 'lsp', 'profile'];

function parseArgs(argv) {
  const options = { sizes: Object.keys(SIZES), only: TOOLS, runs: undefined, edits: 200, limitS: 900, eslintLimitS: 420, seed: 1, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--sizes') options.sizes = value().split(',');
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--edits') options.edits = Number(value());
    else if (arg === '--limit-s') options.limitS = Number(value());
    else if (arg === '--eslint-limit-s') options.eslintLimitS = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--no-build') options.build = false;
    else throw new Error(`unknown option ${arg}`);
  }
  for (const size of options.sizes) if (!SIZES[size]) throw new Error(`unknown size ${size} (one of ${Object.keys(SIZES).join(', ')})`);
  for (const tool of options.only) if (!TOOLS.includes(tool)) throw new Error(`unknown tool ${tool} (one of ${TOOLS.join(', ')})`);
  return options;
}

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const packageVersion = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
};
const tsgoBinary = () => {
  // The native binary itself, not the Node wrapper in node_modules/.bin: its RSS is the compiler's.
  const native = path.join(repoRoot, 'node_modules', '@typescript', `native-preview-${process.platform}-${process.arch}`, 'lib', process.platform === 'win32' ? 'tsgo.exe' : 'tsgo');
  return fs.existsSync(native) ? native : path.join(repoRoot, 'node_modules', '.bin', 'tsgo');
};

function machine() {
  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { cores: os.cpus().length, cpuModel, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}`, loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))) };
}

function versions(cliHelp) {
  const run = (file, args) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    breakwater: run(process.execPath, [path.join(repoRoot, 'bin', 'breakwater.js'), '--version']),
    breakwaterHasCache: /--cache\b/.test(cliHelp),
    typescript: packageVersion('typescript'),
    tsgo: run(tsgoBinary(), ['--version']).replace(/^Version\s+/, ''),
    eslint: packageVersion('eslint'),
    typescriptEslint: packageVersion('typescript-eslint'),
    dependencyCruiser: packageVersion('dependency-cruiser'),
  };
}

/** Every tool, as a function from the workspace to a measured run (plus what its output says). */
function toolTable({ ws, cache, limitMs, eslintLimitMs }) {
  // One heap limit for every Node tool: 20k files need more than V8's default on some tools, and it keeps them equal.
  const nodeArgs = ['--max-old-space-size=8192'];
  const tmp = (name) => path.join(outDir, `${path.basename(ws)}.${name}`);
  const countTsErrors = (text) => (text.match(/error TS\d+/g) ?? []).length;
  const breakwater = (extra) => async () => {
    const report = tmp('breakwater.json');
    fs.rmSync(report, { force: true });
    const result = await measure(path.join(repoRoot, 'bin', 'breakwater.js'), ['check', ws, '--format', 'json', '--output', report, ...extra], { node: true, nodeArgs, cwd: repoRoot, timeoutMs: limitMs });
    try {
      const files = JSON.parse(fs.readFileSync(report, 'utf8'));
      result.findings = files.reduce((sum, file) => sum + file.messages.length, 0);
      result.findingsByRule = {};
      for (const file of files) for (const message of file.messages) result.findingsByRule[message.ruleId] = (result.findingsByRule[message.ruleId] ?? 0) + 1;
    } catch {
      result.findings = undefined;
    }
    return result;
  };
  const cacheDir = path.join(outDir, `${path.basename(ws)}.breakwater-cache`);
  const clearCache = () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(path.join(ws, '.breakwater-cache'), { recursive: true, force: true });
  };
  const cacheArgs = cache.location ? ['--cache', '--cache-location', cacheDir] : ['--cache'];
  const tools = {
    // Without --cache, Breakwater neither reads nor writes a cache, so the warm run's cache is left as it is.
    'breakwater cold': {
      group: 'breakwater',
      run: breakwater([]),
    },
    tsc: {
      group: 'tsc',
      run: async () => {
        const result = await measure(path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), ['--noEmit', '-p', path.join(ws, 'tsconfig.json')], { node: true, nodeArgs, cwd: ws, timeoutMs: limitMs, stdout: 'capture' });
        result.typeErrors = countTsErrors(result.stdout);
        return result;
      },
    },
    tsgo: {
      group: 'tsgo',
      run: async () => {
        const result = await measure(tsgoBinary(), ['--noEmit', '-p', path.join(ws, 'tsconfig.json')], { cwd: ws, timeoutMs: limitMs, stdout: 'capture' });
        result.typeErrors = countTsErrors(result.stdout);
        return result;
      },
    },
    'eslint (typed)': {
      group: 'eslint',
      run: async () => {
        const report = tmp('eslint.json');
        fs.rmSync(report, { force: true });
        const result = await measure(path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), ['--format', 'json', '--output-file', report, '.'], { node: true, nodeArgs, cwd: ws, timeoutMs: eslintLimitMs });
        try {
          const files = JSON.parse(fs.readFileSync(report, 'utf8'));
          result.lintedFiles = files.length;
          result.problems = files.reduce((sum, file) => sum + file.messages.length, 0);
        } catch {
          result.problems = undefined;
        }
        return result;
      },
      limitMs: eslintLimitMs,
    },
    'dependency-cruiser': {
      group: 'depcruise',
      run: () => measure(path.join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), ['--output-type', 'json', '--output-to', '/dev/null', 'services', 'libs'], { node: true, nodeArgs, cwd: ws, timeoutMs: limitMs }),
    },
    'parse floor (process)': {
      group: 'parse',
      run: async () => {
        const result = await measure(path.join(benchDir, 'parse-floor.mjs'), [ws], { node: true, nodeArgs, cwd: ws, timeoutMs: limitMs, stdout: 'capture' });
        try {
          Object.assign(result, { inProcess: JSON.parse(result.stdout) });
        } catch {}
        return result;
      },
    },
  };
  if (cache.supported) {
    tools['breakwater warm (--cache)'] = {
      group: 'breakwater',
      // The cache is emptied, then filled once by an unmeasured run; every measured run reads it.
      prime: () => {
        clearCache();
        return breakwater(cacheArgs)();
      },
      run: breakwater(cacheArgs),
    };
  }
  return tools;
}

function summarise(samples) {
  const ok = samples.filter((s) => !s.timedOut);
  const last = samples[samples.length - 1] ?? {};
  return {
    runs: samples.length,
    wallMs: median(ok.map((s) => s.wallMs)),
    peakRssMB: median(ok.map((s) => s.peakRssMB)),
    cpuMs: median(ok.map((s) => s.cpuMs)),
    wallMsAll: samples.map((s) => Math.round(s.wallMs)),
    peakRssMBAll: samples.map((s) => Math.round(s.peakRssMB)),
    timedOut: samples.some((s) => s.timedOut),
    exitCodes: [...new Set(samples.map((s) => (s.timedOut ? 'killed at limit' : s.signal ? s.signal : s.code)))],
    findings: last.findings,
    findingsByRule: last.findingsByRule,
    typeErrors: last.typeErrors,
    problems: last.problems,
    lintedFiles: last.lintedFiles,
    parseInProcessMs: ok.length > 0 && ok[0].inProcess ? median(ok.map((s) => s.inProcess?.parseMs)) : undefined,
    readInProcessMs: ok.length > 0 && ok[0].inProcess ? median(ok.map((s) => s.inProcess?.listAndReadMs)) : undefined,
    stderr: samples.map((s) => s.stderr).find((text) => text && text.trim())?.trim().split('\n').slice(-5).join('\n'),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const started = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  if (options.build) {
    log('building (node scripts/build.mjs)');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  }
  // `--cache` may arrive in the CLI while the benchmark exists: detect it at run time.
  const help = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'breakwater.js'), 'check', '--help'], { encoding: 'utf8' });
  const cache = { supported: /--cache\b/.test(help), location: /--cache-location\b/.test(help) };
  const results = { date: startedAt.toISOString(), machine: machine(), versions: versions(help), options: { ...options, nodeHeapLimitMB: 8192 }, sizes: {}, lsp: undefined, profile: undefined };
  log(`machine: ${results.machine.cores} cores, ${results.machine.cpuModel}, Node ${results.machine.node}; breakwater --cache: ${cache.supported ? 'yes' : 'no'}`);

  for (const size of options.sizes) {
    const spec = SIZES[size];
    const ws = path.join(outDir, `ws-${size}`);
    const genStarted = performance.now();
    const manifest = generateWorkspace({ dir: ws, services: spec.services, filesPerService: spec.filesPerService, seed: options.seed });
    const entry = { services: spec.services, filesPerService: spec.filesPerService, files: manifest.files, bytes: manifest.bytes, generateMs: performance.now() - genStarted, tools: {} };
    results.sizes[size] = entry;
    log(`${size}: generated ${manifest.files} files (${(manifest.bytes / 1e6).toFixed(1)} MB) in ${(entry.generateMs / 1000).toFixed(1)} s at ${ws}`);

    const runs = options.runs ?? spec.runs;
    const tools = Object.entries(toolTable({ ws, cache, limitMs: options.limitS * 1000, eslintLimitMs: options.eslintLimitS * 1000 })).filter(([, tool]) => options.only.includes(tool.group));
    const samples = Object.fromEntries(tools.map(([name]) => [name, []]));
    for (const [name, tool] of tools) if (tool.prime) {
      log(`${size}: priming ${name}`);
      await tool.prime();
    }
    // Round-robin: each round runs every tool once, so load from elsewhere on the machine spreads over all of them.
    for (let round = 1; round <= runs; round++) {
      for (const [name, tool] of tools) {
        // A tool that hit its time limit is not run again at this size.
        if (samples[name].some((s) => s.timedOut)) continue;
        tool.before?.();
        const sample = await tool.run();
        samples[name].push(sample);
        log(`${size} round ${round}/${runs}: ${name.padEnd(26)} ${(sample.wallMs / 1000).toFixed(2).padStart(7)} s wall ${(sample.cpuMs / 1000).toFixed(2).padStart(7)} s CPU ${sample.peakRssMB.toFixed(0).padStart(6)} MB${sample.timedOut ? ' (killed at the time limit)' : sample.code ? ` (exit ${sample.code})` : ''}`);
      }
    }
    for (const [name, tool] of tools) entry.tools[name] = { ...summarise(samples[name]), limitMs: tool.limitMs ?? options.limitS * 1000 };

    if (size === '1k' && options.only.includes('lsp')) {
      log(`${size}: language server, ${options.edits} edits`);
      results.lsp = { size, ...(await measureLanguageServer({ root: ws, editSites: manifest.editSites, edits: options.edits, nodeArgs: ['--max-old-space-size=8192'] })) };
      log(`${size}: first diagnostics ${(results.lsp.firstDiagnostics.fromSpawnMs / 1000).toFixed(2)} s, edit p50 ${results.lsp.latencyMs.p50?.toFixed(0)} ms p95 ${results.lsp.latencyMs.p95?.toFixed(0)} ms`);
    }
    if (size === '1k' && options.only.includes('profile')) {
      const profileDir = path.join(outDir, 'profile');
      fs.rmSync(profileDir, { recursive: true, force: true });
      const run = await measure(path.join(repoRoot, 'bin', 'breakwater.js'), ['check', ws, '--format', 'json', '--output', '/dev/null'], { node: true, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir], cwd: repoRoot });
      const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
      if (file) {
        const summary = summariseProfile(path.join(profileDir, file), { top: 20 });
        results.profile = { size, file: path.relative(repoRoot, path.join(profileDir, file)), wallMs: run.wallMs, ...summary };
        log(`${size}: profiled the cold check (${path.relative(repoRoot, path.join(profileDir, file))})`);
      }
    }
  }

  results.totalMs = performance.now() - started;
  results.targets = targets(results);
  fs.writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(benchDir, 'results.md'), markdown(results));
  log(`done in ${(results.totalMs / 60_000).toFixed(1)} min: bench/results.md, bench/results.json`);
}

/** The issue's targets, each with the measured figure and whether it is met (undefined: not measured in this run). */
function targets(results) {
  const at = (size, tool) => results.sizes[size]?.tools[tool];
  const cold1k = at('1k', 'breakwater cold');
  const ratio = (a, b) => (a && b && !b.timedOut && Number.isFinite(a) && Number.isFinite(b.wallMs) ? a / b.wallMs : undefined);
  const list = [];
  const add = (target, value, met, detail) => list.push({ target, value, met, detail });
  const tsc = at('1k', 'tsc');
  const eslint = at('1k', 'eslint (typed)');
  const parse = at('1k', 'parse floor (process)');
  const r1 = ratio(cold1k?.wallMs, tsc);
  add('1k: cold check ≤ 0.2× tsc time', r1, r1 === undefined ? undefined : r1 <= 0.2, r1 && `${r1.toFixed(2)}×`);
  const r2 = ratio(cold1k?.wallMs, eslint);
  add('1k: cold check ≤ 0.1× typed ESLint time', r2, r2 === undefined ? undefined : r2 <= 0.1, r2 && `${r2.toFixed(2)}×`);
  for (const size of Object.keys(results.sizes)) {
    const bw = at(size, 'breakwater cold');
    const t = at(size, 'tsc');
    if (bw && t && !t.timedOut) {
      const r = bw.peakRssMB / t.peakRssMB;
      add(`${size}: cold check peak RSS ≤ 0.75× tsc's`, r, r <= 0.75, `${r.toFixed(2)}× (${bw.peakRssMB.toFixed(0)} MB vs ${t.peakRssMB.toFixed(0)} MB)`);
    }
  }
  if (results.lsp) {
    const p95 = results.lsp.latencyMs.p95;
    add('1k: p95 edit-to-diagnostics ≤ 50 ms', p95, p95 <= 50 && results.lsp.failures.length === 0, `${p95?.toFixed(0)} ms${results.lsp.failures.length ? `, ${results.lsp.failures.length} edits never reflected` : ''}`);
    if (cold1k) {
      const first = results.lsp.firstDiagnostics.fromSpawnMs;
      add('1k: first diagnostics ≤ cold CLI time', first / cold1k.wallMs, first <= cold1k.wallMs, `${(first / 1000).toFixed(2)} s vs ${(cold1k.wallMs / 1000).toFixed(2)} s`);
    }
  }
  const cold20k = at('20k', 'breakwater cold');
  if (cold20k && cold1k) {
    const r = cold20k.wallMs / cold1k.wallMs;
    add('20k: cold check within 20× of 1k time', r, r <= 20, `${r.toFixed(1)}× (${(cold20k.wallMs / 1000).toFixed(1)} s vs ${(cold1k.wallMs / 1000).toFixed(2)} s)`);
  }
  if (cold20k) add('20k: cold check peak RSS < 1.5 GB', cold20k.peakRssMB, cold20k.peakRssMB < 1536, `${cold20k.peakRssMB.toFixed(0)} MB`);
  const r3 = ratio(cold1k?.wallMs, parse);
  add('1k: cold check within ~2× of the parse-floor process', r3, r3 === undefined ? undefined : r3 <= 2, r3 && `${r3.toFixed(2)}×`);
  return list;
}

function markdown(results) {
  const s = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
  const mb = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MB` : '–');
  const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
  const { machine: m, versions: v } = results;
  const out = [];
  out.push('# Benchmark results', '');
  out.push(`The latest \`npm run bench\`, written by bench/run.mjs; bench/README.md says what each column means. Run on ${results.date.slice(0, 16).replace('T', ' ')} UTC, taking ${(results.totalMs / 60_000).toFixed(1)} min in all.`, '');
  out.push(`- Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGB} GB RAM, ${m.platform}; load average at start ${m.loadAverageAtStart.join(', ')} (the machine is shared, so other work can add noise).`);
  out.push(`- Node ${m.node}; Breakwater ${v.breakwater}${v.breakwaterHasCache ? ' (with `--cache`)' : ' (no `--cache` option yet, so no warm run)'}; TypeScript ${v.typescript}; tsgo ${v.tsgo}; ESLint ${v.eslint} with typescript-eslint ${v.typescriptEslint}; dependency-cruiser ${v.dependencyCruiser}.`);
  out.push(`- Every Node tool runs with \`--max-old-space-size=8192\`. Wall time is the whole process's, from spawn to exit; CPU time is its user + system time (all threads; less disturbed by other load than wall time). Each figure is the median of the runs shown; peak RSS is the median of each run's peak.`, '');

  for (const [size, entry] of Object.entries(results.sizes)) {
    const tools = entry.tools;
    const cold = tools['breakwater cold'];
    out.push(`## ${size}: ${entry.services} services × ${entry.filesPerService} files (${entry.files} .ts files, ${(entry.bytes / 1e6).toFixed(1)} MB)`, '');
    out.push('| Tool | Runs | Wall time | CPU time | Peak RSS | Breakwater cold ÷ tool (time) | Breakwater cold ÷ tool (CPU) | Breakwater cold ÷ tool (RSS) | Output |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const [name, t] of Object.entries(tools)) {
      const limited = t.timedOut && !Number.isFinite(t.wallMs);
      const time = limited ? `> ${s(t.limitMs)} (limit)` : s(t.wallMs);
      const rt = cold && !limited && name !== 'breakwater cold' ? x(cold.wallMs / t.wallMs) : limited ? `< ${x(cold?.wallMs / t.limitMs)}` : '';
      const rr = cold && !limited && name !== 'breakwater cold' ? x(cold.peakRssMB / t.peakRssMB) : '';
      const rc = cold && !limited && name !== 'breakwater cold' ? x(cold.cpuMs / t.cpuMs) : '';
      const notes = [];
      if (t.findings !== undefined) notes.push(`${t.findings} findings`);
      if (t.typeErrors !== undefined) notes.push(`${t.typeErrors} type errors`);
      if (t.problems !== undefined) notes.push(`${t.problems} problems in ${t.lintedFiles} files`);
      if (t.parseInProcessMs !== undefined) notes.push(`in-process: parse ${s(t.parseInProcessMs)}, list+read ${s(t.readInProcessMs)}`);
      const codes = t.exitCodes.filter((c) => c !== 0 && !(name.startsWith('eslint') && c === 1) && !(name.startsWith('breakwater') && c === 1));
      if (codes.length) notes.push(`exit ${codes.join(', ')}`);
      if (t.runs > 1) notes.push(`runs: ${t.wallMsAll.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s`);
      out.push(`| ${name} | ${t.runs} | ${time} | ${limited ? '–' : s(t.cpuMs)} | ${limited ? '–' : mb(t.peakRssMB)} | ${rt} | ${rc} | ${rr} | ${notes.join('; ')} |`);
    }
    if (cold?.findingsByRule) out.push('', `Breakwater's findings by rule: ${Object.entries(cold.findingsByRule).map(([rule, n]) => `${rule} ${n}`).join(', ')}.`);
    out.push('');
  }

  const sizes = Object.keys(results.sizes);
  if (sizes.length > 1) {
    out.push('## Scaling', '', 'Wall time (peak RSS), and the time as a multiple of the smallest size; the file count grows by the factor in the first row.', '');
    const names = [...new Set(sizes.flatMap((size) => Object.keys(results.sizes[size].tools)))];
    const first = results.sizes[sizes[0]];
    out.push(`| Tool | ${sizes.map((size) => `${size} (${results.sizes[size].files} files, ×${(results.sizes[size].files / first.files).toFixed(1)})`).join(' | ')} |`, `| --- | ${sizes.map(() => '---:').join(' | ')} |`);
    for (const name of names) {
      const base = first.tools[name];
      const cells = sizes.map((size) => {
        const t = results.sizes[size].tools[name];
        if (!t) return '–';
        if (t.timedOut && !Number.isFinite(t.wallMs)) return `> ${s(t.limitMs)} (limit)`;
        const growth = base && Number.isFinite(base.wallMs) && size !== sizes[0] ? `, ×${(t.wallMs / base.wallMs).toFixed(1)}` : '';
        return `${s(t.wallMs)} (${mb(t.peakRssMB)})${growth}`;
      });
      out.push(`| ${name} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }

  if (results.lsp) {
    const l = results.lsp;
    out.push(`## Language server (${l.size})`, '');
    out.push(`\`node bin/breakwater-language-server.js --stdio\` over real LSP. ${l.edits} edits across ${Math.ceil(l.edits / 2)} handler files of different services: each file is opened, then its direct axios call loses its \`timeout\` (a missing-timeout finding appears) and gets it back (it goes away). Latency is from didChange sent to the publishDiagnostics for that file that shows the change.`, '');
    out.push('| Measure | Value |', '| --- | ---: |');
    out.push(`| First diagnostics, from spawn | ${s(l.firstDiagnostics.fromSpawnMs)} |`);
    out.push(`| First diagnostics, from initialized | ${s(l.firstDiagnostics.fromInitializedMs)} |`);
    out.push(`| Diagnostics in the first publication (files) | ${l.initialDiagnostics} (${l.initialFiles}) |`);
    out.push(`| Edit → diagnostics p50 | ${l.latencyMs.p50?.toFixed(0)} ms |`);
    out.push(`| Edit → diagnostics p95 | ${l.latencyMs.p95?.toFixed(0)} ms |`);
    out.push(`| Edit → diagnostics max | ${l.latencyMs.max?.toFixed(0)} ms |`);
    out.push(`| Edits never reflected (15 s limit) | ${l.failures.length} |`);
    out.push(`| Peak server RSS | ${mb(l.peakRssMB)} |`);
    if (l.stderr) out.push('', `Server stderr: \`${l.stderr.split('\n')[0]}\``);
    out.push('');
  }

  out.push('## Targets', '', '| Target | Measured | Met |', '| --- | --- | :---: |');
  for (const t of results.targets) out.push(`| ${t.target} | ${t.detail ?? '–'} | ${t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**'} |`);
  out.push('');

  if (results.profile) {
    out.push(`## Profile: where the cold ${results.profile.size} check spends its time`, '');
    out.push(`\`node --cpu-prof bin/breakwater.js check\` once (wall ${s(results.profile.wallMs)}), summarised by \`node bench/profile.mjs ${results.profile.file}\`. Positions in dist/ are mapped to the TypeScript sources through the bundle's source map; TypeScript's own functions are split into parsing and module resolution by name.`, '');
    out.push(profileMarkdown(results.profile, { functions: 20, files: 12 }), '');
  }
  return out.join('\n') + '\n';
}

await main();
