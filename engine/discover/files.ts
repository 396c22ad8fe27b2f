// Lists the source files to analyse and the service or library each belongs to. One readdir per folder and no
// stat per file, because this runs on every analysis of 20k-file monorepos.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { BreakwaterConfig } from '../config/config';
import type { Runtime, SourceFileEntry } from '../types';
import { globMatcher, joinRel, TOOL_FOLDERS, type WorkspaceLayout } from './workspace';
import { isInside, kindOf, readWorkspaceFile, realRoot, type Warn } from '../io/read';

export interface ListOptions {
  /** Analyse test files too (they are skipped by default). */
  includeTests?: boolean;
  /** Hears of a .gitignore that was there but not read (engine/io/read.ts). */
  warn?: Warn;
}

/** Never entered, whatever `config.include` says. */
const NEVER_DIRS = new Set(['node_modules', '.git']);
/** Build output and caches: entered only when an `include` glob names a path inside them. */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', 'coverage', '.next', '.turbo', '.nx', '.cache']);
/** Tests and the helpers only tests use (`testing/`, `test-utils/`, fixtures and mocks). */
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'e2e', '__mocks__', 'testing', 'test-utils', 'test-helpers', 'testutils', 'fixtures', '__fixtures__', 'mocks']);
const GENERATED_DIRS = new Set(['generated', '__generated__']);
const MAX_FILES = 200_000;

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const TS_SOURCE = /\.(?:[cm]?ts|tsx)$/;
const JS_SOURCE = /\.(?:[cm]?js|jsx)$/;
const TEST_FILE = /\.(?:test|spec|e2e-spec)\./;
/** Code-generation templates and seed scripts: never part of a running service. */
const TOOL_FILE = /\.template\.[cm]?[jt]sx?$|^seed([-_.][\w.-]*)?\.[cm]?[jt]s$/;
const GENERATED_FILE = /\.(?:generated|gen)\.|_(?:grpc_)?pb\.[cm]?[jt]s$/;
const MINIFIED_FILE = /\.min\.[cm]?js$/;

/** The innermost service or library folder above a file, and what runs its code when not a server. */
interface Owner {
  service?: string;
  library?: string;
  runs?: Exclude<Runtime, 'server'>;
}

interface GitIgnoreLevel {
  /** The folder of this .gitignore, relative to the workspace root. */
  base: string;
  rules: Ignore;
}

interface PendingDir {
  rel: string;
  gitignores: GitIgnoreLevel[];
  owner: Owner;
  /** Under a folder the built-in skips drop (tests, generated, build output): only `include`d files count. */
  needsInclude: boolean;
  /** An `include` glob names this folder or one above it, which re-includes everything below. */
  included: boolean;
}

/**
 * The test files `listSourceFiles` leaves out by default (`*.spec.ts`, `test/` folders, test projects): not analysed,
 * but what they import tells which modules only tests use. `listed` is what `listSourceFiles` gave without tests.
 */
export function listTestFiles(root: string, layout: WorkspaceLayout, config: BreakwaterConfig, listed: readonly SourceFileEntry[]): string[] {
  const analysed = new Set(listed.map((entry) => entry.path));
  return listSourceFiles(root, layout, config, { includeTests: true })
    .map((entry) => entry.path)
    .filter((file) => !analysed.has(file));
}

export function listSourceFiles(root: string, layout: WorkspaceLayout, config: BreakwaterConfig, options: ListOptions = {}): SourceFileEntry[] {
  const rootAbs = path.resolve(root);
  const filter = createFilter(config, options, new Set(layout.testRoots ?? []));
  const scriptFiles = new Set(layout.scriptFiles ?? []);
  const owners = ownersByRoot(layout);
  const found: SourceFileEntry[] = [];
  const stack: PendingDir[] = [{ rel: '.', gitignores: [], owner: owners.get('.') ?? {}, needsInclude: false, included: false }];
  let filesSeen = 0;

  while (stack.length > 0 && filesSeen < MAX_FILES) {
    const dir = stack.pop()!;
    const entries = readDir(path.join(rootAbs, dir.rel));
    if (!entries) continue;
    const gitignores = withGitIgnore(rootAbs, dir, entries, options.warn);
    // A folder that serves a web page (index.html beside its scripts) inside a project holds browser code.
    if (!dir.owner.runs && !owners.has(dir.rel) && entries.some((entry) => entry.isFile() && entry.name === 'index.html')) dir.owner = { ...dir.owner, runs: 'browser' };
    // So does a browser extension (a manifest.json with `manifest_version`): its background and content scripts.
    if (!dir.owner.runs && entries.some((entry) => entry.isFile() && entry.name === 'manifest.json') && isExtensionManifest(path.join(rootAbs, dir.rel, 'manifest.json'), rootAbs)) {
      dir.owner = { ...dir.owner, runs: 'browser' };
    }
    const tsBases = typeScriptBaseNames(entries);
    for (const entry of entries) {
      const rel = joinRel(dir.rel, entry.name);
      // A symbolic link is neither a Dirent directory nor a file: skipping it keeps the walk free of cycles and duplicates.
      if (entry.isDirectory()) {
        const verdict = filter.directory(entry.name, rel, gitignores);
        if (verdict === 'skip') continue;
        const inherited = dir.owner.runs || !TOOL_FOLDERS.has(entry.name) ? dir.owner : { ...dir.owner, runs: 'tool' as const };
        stack.push({
          rel,
          gitignores,
          owner: owners.get(rel) ?? inherited,
          needsInclude: dir.needsInclude || verdict === 'include-only',
          included: dir.included || filter.includes(rel),
        });
      } else if (entry.isFile()) {
        filesSeen++;
        if (isCompiledCopy(entry.name, tsBases)) continue;
        if (!filter.file(entry.name, rel, gitignores, dir)) continue;
        const tool = TOOL_FILE.test(entry.name) || scriptFiles.has(rel);
        found.push({ path: rel, ...dir.owner, ...(!dir.owner.runs && tool && { runs: 'tool' as const }) });
      } else if (options.warn && filter.file(entry.name, rel, gitignores, dir)) {
        // Not walked, but not in silence: a FIFO or device named like a source, or a link to a file outside.
        const why = notWalked(rootAbs, rel, entry);
        if (why) options.warn(why, { file: rel });
      }
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Why a source-named entry that is not a regular file was left out, or undefined when that needs no word: a link
 * inside the workspace (its target is analysed where it is) or a dangling one.
 */
function notWalked(rootAbs: string, rel: string, entry: fs.Dirent): string | undefined {
  if (!entry.isSymbolicLink()) return `${rel} is not a regular file (${kindOf(entry)}); not read`;
  let real: string;
  try {
    real = fs.realpathSync(path.join(rootAbs, rel));
  } catch {
    return undefined;
  }
  return isInside(realRoot(rootAbs), real) ? undefined : `${rel} links outside the workspace (to ${real}); not read`;
}

/** Innermost wins: each folder takes the nearest service or library root above it (a service root beats a library one). */
function ownersByRoot(layout: WorkspaceLayout): Map<string, Owner> {
  const owners = new Map<string, Owner>();
  const runs = (project: { runs: Runtime }) => (project.runs === 'server' ? {} : { runs: project.runs });
  for (const library of layout.libraries) owners.set(library.root, { library: library.name, ...runs(library) });
  for (const service of layout.services) owners.set(service.root, { service: service.name, ...runs(service) });
  return owners;
}

// ---------------------------------------------------------------- what to keep

type DirVerdict = 'enter' | 'include-only' | 'skip';

interface Filter {
  directory(name: string, rel: string, gitignores: GitIgnoreLevel[]): DirVerdict;
  file(name: string, rel: string, gitignores: GitIgnoreLevel[], dir: PendingDir): boolean;
  includes(rel: string): boolean;
}

/**
 * `.gitignore` and `config.ignore` always exclude. The built-in skips (tests, generated, minified, build output)
 * drop a file unless `config.include` names it.
 */
function createFilter(config: BreakwaterConfig, options: ListOptions, testRoots: Set<string>): Filter {
  const ignored = globMatcher(config.ignore ?? []);
  const included = globMatcher(config.include ?? []);
  const hasIncludes = (config.include ?? []).some((glob) => !glob.startsWith('!'));
  const includeBases = (config.include ?? []).filter((glob) => !glob.startsWith('!')).map(staticBase);
  const skipTests = !options.includeTests;

  // A build-output folder is only worth entering when an include glob points inside it by name (`tools/build/**`);
  // `**/*.test.ts` must not pull compiled copies out of every dist/.
  const namedByInclude = (rel: string) => includeBases.some((base) => base === rel || base.startsWith(`${rel}/`));

  return {
    directory(name, rel, gitignores) {
      if (NEVER_DIRS.has(name) || ignored(rel) || isGitIgnored(gitignores, rel, true)) return 'skip';
      if (OUTPUT_DIRS.has(name) || name.startsWith('.')) return namedByInclude(rel) ? 'include-only' : 'skip';
      if (GENERATED_DIRS.has(name) || (skipTests && (TEST_DIRS.has(name) || testRoots.has(rel)))) return hasIncludes ? 'include-only' : 'skip';
      return 'enter';
    },
    file(name, rel, gitignores, dir) {
      if (!SOURCE_FILE.test(name) || DECLARATION_FILE.test(name)) return false;
      if (ignored(rel) || isGitIgnored(gitignores, rel, false)) return false;
      const builtInSkip = dir.needsInclude || (skipTests && TEST_FILE.test(name)) || GENERATED_FILE.test(name) || MINIFIED_FILE.test(name);
      return !builtInSkip || dir.included || included(rel);
    },
    includes: included,
  };
}

/** The literal folder a glob starts with (`services/a/**` → `services/a`), '' when it starts with a wildcard. */
function staticBase(glob: string): string {
  const normalized = glob.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const { base, isGlob } = picomatch.scan(normalized);
  return isGlob ? base : normalized;
}

/** Base names of the TypeScript sources in a folder, to recognise the `.js` compiled from them and committed alongside. */
function typeScriptBaseNames(entries: fs.Dirent[]): Set<string> {
  const bases = new Set<string>();
  for (const entry of entries) {
    if (entry.isFile() && TS_SOURCE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) bases.add(stripExtension(entry.name));
  }
  return bases;
}

function isCompiledCopy(name: string, tsBases: Set<string>): boolean {
  return JS_SOURCE.test(name) && tsBases.has(stripExtension(name));
}

function stripExtension(name: string): string {
  return name.slice(0, name.lastIndexOf('.'));
}

// ---------------------------------------------------------------- .gitignore

/** Adds this folder's .gitignore, whose patterns are relative to the folder and apply to it and below. */
function withGitIgnore(rootAbs: string, dir: PendingDir, entries: fs.Dirent[], warn?: Warn): GitIgnoreLevel[] {
  if (!entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) return dir.gitignores;
  const text = readWorkspaceFile(path.join(rootAbs, dir.rel, '.gitignore'), { root: rootAbs, warn });
  if (text === undefined) return dir.gitignores;
  try {
    const rules = ignore().add(text);
    return [...dir.gitignores, { base: dir.rel, rules }];
  } catch {
    return dir.gitignores;
  }
}

/** Git's precedence: the deepest .gitignore with a matching pattern decides, so a nested `!keep.ts` re-includes. */
function isGitIgnored(levels: GitIgnoreLevel[], rel: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, rules } = levels[i];
    const local = base === '.' ? rel : rel.slice(base.length + 1);
    try {
      const result = rules.test(isDir ? `${local}/` : local);
      if (result.ignored) return true;
      if (result.unignored) return false;
    } catch {
      // A name `ignore` refuses as a path cannot match a pattern either.
    }
  }
  return false;
}

function readDir(abs: string): fs.Dirent[] | undefined {
  try {
    return fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

/** A WebExtension manifest (Chrome, Firefox): JSON with a `manifest_version`. A PWA's web manifest has none. */
function isExtensionManifest(file: string, root: string): boolean {
  const text = readWorkspaceFile(file, { root, maxBytes: 256 * 1024 });
  return text !== undefined && /"manifest_version"\s*:/.test(text);
}
