// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function, by file and by pipeline phase.
// Breakwater is bundled into dist/*.js, so positions there are mapped back to the TypeScript sources through the
// bundle's source map; that is what makes the discover/extract/link/rules/report split possible.
//
//   node bench/profile.mjs <file.cpuprofile> [--top 25] [--json]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a source map's `mappings` into, per generated line, sorted [column, sourceIndex, sourceLine] segments. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = DIGIT.get(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length >= 4) {
        source += values[1];
        sourceLine += values[2];
        sourceColumn += values[3];
        segments.push([column, source, sourceLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Maps a generated file's (line, column), 0-based, to its original source, or undefined without a source map. */
function sourceMapper() {
  const maps = new Map();
  const load = (file) => {
    if (!maps.has(file)) {
      let map;
      try {
        const raw = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
        map = { sources: raw.sources.map((s) => path.resolve(path.dirname(file), raw.sourceRoot ?? '', s)), lines: decodeMappings(raw.mappings) };
      } catch {
        map = undefined;
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  return (file, line, column) => {
    const map = load(file);
    const segments = map?.lines[line];
    if (!segments || segments.length === 0) return undefined;
    let found = segments[0];
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    return { source: map.sources[found[1]], line: found[2] + 1 };
  };
}

/**
 * Breakwater runs no binder or checker, so TypeScript's time is either parsing (parser, scanner, node factory) or its
 * module resolver (used by link). They are told apart by function name; the resolver's names say what they do.
 */
const PARSER_FUNCTIONS = /^(parse|canParse|tryParse|scan|reScan|nextToken|lookAhead|create|finish|isStartOf|isListTerminator)/;
const RESOLVER_FUNCTIONS = /resolve|Resolution|loadModule|PackageJson|packageJson|tryFile|tryAdding|Extension|extension|fileExists|directoryExists|directoryProbablyExists|realpath|readJson|Path|path|getDirectory|normalize|combinePaths|matchPattern|tryLoad|getEmitScriptTarget|getOptions|Directory|Directories|Specifier|moduleName|Module(?!Block)|ConfigFile|tsconfig|parseJson|convertToOptions|commandLine|CommandLine|getCanonical|toFileNameLowerCase|getBaseFileName|ensureTrailing|startsWith|endsWith|stringContains|comparePaths/;

/** The pipeline phase a frame belongs to, from its original source path (or, for TypeScript, its name). */
export function phaseOf(source, functionName, repoRoot) {
  if (!source) return functionName === '(garbage collector)' ? 'gc' : functionName === '(program)' || functionName === '(idle)' ? 'runtime/idle' : 'node internals';
  // Loading and compiling modules (CommonJS wrappers, the ESM/CJS lexer) is start-up cost, not analysis.
  if (source.startsWith('node:internal/modules') || source.startsWith('node:internal/deps/cjs-module-lexer')) return 'module loading';
  if (source.startsWith('node:')) return 'node internals';
  const relative = path.relative(repoRoot, source).split(path.sep).join('/');
  // ts-morph bundles its own copy of TypeScript; either copy's parser counts as parsing.
  if (relative.includes('node_modules/typescript/') || relative.includes('node_modules/@ts-morph/common/dist/typescript')) return !PARSER_FUNCTIONS.test(functionName) && RESOLVER_FUNCTIONS.test(functionName) ? 'link (module resolution, typescript)' : 'parse (typescript)';
  if (relative.includes('node_modules/dependency-cruiser/') || relative.includes('node_modules/enhanced-resolve/') || relative.includes('node_modules/acorn')) return 'dependency-cruiser';
  if (relative.includes('node_modules/')) return `deps (${relative.split('node_modules/').pop().split('/')[0]})`;
  const stages = [
    ['engine/discover/', 'discover'],
    ['engine/config/', 'discover (config)'],
    ['engine/extract/', 'extract'],
    ['engine/link/module-graph', 'link (module graph)'],
    ['engine/link/', 'link'],
    ['engine/catalog/', 'link (catalog)'],
    ['engine/model/', 'link (model)'],
    ['rules/', 'rules'],
    ['engine/report/', 'report'],
    ['engine/', 'engine (other)'],
    ['cli/', 'cli'],
    ['server/', 'server'],
  ];
  return stages.find(([prefix]) => relative.startsWith(prefix))?.[1] ?? relative;
}

export function summariseProfile(profileFile, { top = 25, repoRoot = fileURLToPath(new URL('..', import.meta.url)) } = {}) {
  const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time per node: each sample's time delta goes to the node on top of the stack.
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, delta));
  }
  const map = sourceMapper();
  const functions = new Map();
  const files = new Map();
  const phases = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    let source;
    let line = callFrame.lineNumber + 1;
    if (callFrame.url) {
      const file = callFrame.url.startsWith('file://') ? fileURLToPath(callFrame.url) : callFrame.url;
      const original = file.includes(`${path.sep}dist${path.sep}`) ? map(file, callFrame.lineNumber, callFrame.columnNumber) : undefined;
      source = original?.source ?? file;
      line = original?.line ?? line;
    }
    const shown = source ? path.relative(repoRoot, source).split(path.sep).join('/') || source : '';
    const phase = phaseOf(source, name, repoRoot);
    const key = `${name} ${shown}${source ? `:${line}` : ''}`;
    const fn = functions.get(key) ?? { name, file: shown, line, phase, ms: 0 };
    fn.ms += us / 1000;
    functions.set(key, fn);
    if (shown) files.set(shown, (files.get(shown) ?? 0) + us / 1000);
    phases.set(phase, (phases.get(phase) ?? 0) + us / 1000);
    totalUs += us;
  }
  const sortDesc = (entries) => [...entries].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: totalUs / 1000,
    phases: sortDesc(phases).map(([phase, ms]) => ({ phase, ms })),
    files: sortDesc(files).slice(0, top).map(([file, ms]) => ({ file, ms })),
    functions: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

export function profileMarkdown(summary, { functions = 20, files = 12 } = {}) {
  const pct = (ms) => `${((ms / summary.totalMs) * 100).toFixed(1)}%`;
  const out = [];
  out.push(`Sampled CPU time: ${(summary.totalMs / 1000).toFixed(2)} s.`, '');
  out.push('| Phase | Self time | Share |', '| --- | ---: | ---: |');
  for (const { phase, ms } of summary.phases) out.push(`| ${phase} | ${ms.toFixed(0)} ms | ${pct(ms)} |`);
  out.push('', `Top ${functions} functions by self time:`, '', '| Function | Where | Phase | Self time | Share |', '| --- | --- | --- | ---: | ---: |');
  for (const fn of summary.functions.slice(0, functions)) out.push(`| \`${fn.name.replace(/\|/g, '\\|')}\` | ${fn.file ? `${fn.file}:${fn.line}` : ''} | ${fn.phase} | ${fn.ms.toFixed(0)} ms | ${pct(fn.ms)} |`);
  out.push('', `Top ${files} files by self time:`, '', '| File | Self time | Share |', '| --- | ---: | ---: |');
  for (const { file, ms } of summary.files.slice(0, files)) out.push(`| ${file} | ${ms.toFixed(0)} ms | ${pct(ms)} |`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const file = args.find((arg) => arg.endsWith('.cpuprofile'));
  if (!file) {
    console.error('usage: node bench/profile.mjs <file.cpuprofile> [--top 25] [--json]');
    process.exit(2);
  }
  const at = args.indexOf('--top');
  const summary = summariseProfile(file, { top: at >= 0 ? Number(args[at + 1]) : 25 });
  console.log(args.includes('--json') ? JSON.stringify(summary, null, 2) : profileMarkdown(summary, { functions: summary.functions.length, files: summary.files.length }));
}
