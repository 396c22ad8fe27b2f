// Finds the services and shared libraries of a workspace, whatever its layout: npm/yarn/pnpm workspaces,
// Nx projects, or plain sibling folders tied together by docker-compose. Reads data files only, never runs anything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsonc from 'jsonc-parser';
import picomatch from 'picomatch';
import type { BreakwaterConfig } from '../config/config';
import { displayPath, readWorkspaceFile, type Warn } from '../io/read';
import { jsonSyntaxProblem, jsonTooDeep, unparsedMessage, type SyntaxProblem } from '../io/syntax';
import { parseYamlData, yamlProblemMessage, yamlProblemPlace } from '../io/yaml';

/** Far deeper than any package.json or project.json. */
const MAX_JSON_DEPTH = 500;
import type { Runtime, Service, ServiceSource, WorkspaceLibrary } from '../types';

export interface WorkspacePackage {
  name: string;
  /** Relative to the workspace root, `/`-separated, `.` for the root. */
  root: string;
}

export interface WorkspaceLayout {
  /** Absolute path. */
  root: string;
  services: Service[];
  libraries: WorkspaceLibrary[];
  /** Every package.json found (name → folder), to resolve imports by workspace package name without node_modules. */
  packages: WorkspacePackage[];
  /** Folders of test projects (`app-e2e`, `testing`, `testcontainers`): their code is skipped like tests. */
  testRoots?: string[];
  /** Files a package.json script runs by hand (`"ingest": "tsx src/ingest.ts"`), not its start script: tools. */
  scriptFiles?: string[];
}

/** Folders that never hold the workspace's own packages: dependencies, VCS data, build output, caches. */
const PRUNED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.turbo', '.nx', 'tmp']);
/** Test and fixture folders hold sample packages that would pose as services or shadow real package names. */
const FIXTURE_DIRS = new Set(['test', 'tests', '__tests__', 'fixtures', '__fixtures__', '__mocks__']);
const MAX_DEPTH = 6;
const MAX_DIRS = 20_000;
/** Without a workspace declaration, package.json files deeper than this are vendored or sample code, not services. */
const MAX_SIBLING_DEPTH = 4;

/** Folder segments that hold shared code or deployable services (`libs/x`, `services/x`). */
const LIBRARY_CONTAINERS = new Set(['libs', 'lib', 'libraries', 'shared', 'common', 'commons', 'building-blocks', 'buildingblocks']);
const SERVICE_CONTAINERS = new Set(['apps', 'services', 'microservices', 'applications']);
/** Words in a package or folder name; the last one found decides (`api-types` is types, `common-service` a service). */
const LIBRARY_WORDS = new Set([
  'shared', 'common', 'commons', 'core', 'lib', 'libs', 'library', 'util', 'utils', 'utilities', 'helpers', 'types',
  'typings', 'sdk', 'contracts', 'contract', 'proto', 'protos', 'protobuf', 'config', 'tsconfig', 'eslint',
]);
const SERVICE_WORDS = new Set(['service', 'svc', 'api', 'server', 'gateway', 'worker', 'app', 'backend', 'bff', 'ms', 'microservice']);

interface PackageJson {
  name?: unknown;
  scripts?: unknown;
  workspaces?: unknown;
  [field: string]: unknown;
}

/** What discovery needs to know about one folder. */
interface Folder {
  rel: string;
  depth: number;
  /** Set when the folder has a package.json; `{}` when that file is broken. */
  pkg?: PackageJson;
  nx?: { name?: string; projectType?: string };
  hasDockerfile: boolean;
  composeFiles: string[];
}

type Kind = 'service' | 'library';

interface Candidate {
  folder: Folder;
  source: ServiceSource;
  /** Why it is a service, when the folder itself says so rather than its package. */
  evidence?: string;
}

/** `warn` hears of data files that are there but were not read (a FIFO, a link out of the workspace, too large). */
export function discoverLayout(root: string, config: BreakwaterConfig, warn?: Warn): WorkspaceLayout {
  const rootAbs = path.resolve(root);
  reading = { root: rootAbs, warn };
  try {
    return discover(rootAbs, config);
  } finally {
    reading = undefined;
  }
}

/**
 * Where the data files read during one discoverLayout (which is synchronous) must be, and who hears of refused ones,
 * so the many small readers below need not pass them along.
 */
let reading: { root: string; warn?: Warn } | undefined;

/** Every data file discovery reads comes through here (engine/io/read.ts: a regular file inside the workspace). */
function readData(file: string): string | undefined {
  return readWorkspaceFile(file, { root: reading?.root ?? path.dirname(file), warn: reading?.warn });
}

function discover(rootAbs: string, config: BreakwaterConfig): WorkspaceLayout {
  const ignored = globMatcher(config.ignore ?? []);
  const folders = walkFolders(rootAbs, ignored);
  const byRel = new Map(folders.map((folder) => [folder.rel, folder]));
  const context: ClassifyContext = {
    ...composeFolders(rootAbs, folders, byRel),
    nxLayout: readNxLayout(rootAbs),
    forcedLibrary: globMatcher(config.libraries ?? []),
  };

  const detected = classifyAll(rootAbs, findCandidates(rootAbs, folders, byRel, context), context);
  const services = config.services ? configuredServices(rootAbs, config.services, folders, byRel) : detected.services;
  // Only a `{ name: folder }` entry is explicit enough to beat a `libraries` glob.
  const explicit = isObject(config.services);
  const keptServices = services.filter((service) => explicit || !context.forcedLibrary(service.root));
  const serviceRoots = new Set(keptServices.map((service) => service.root));
  const libraries = [...detected.libraries, ...forcedLibraries(rootAbs, folders, context, detected.libraries)].filter(
    (library) => !serviceRoots.has(library.root),
  );

  return {
    root: rootAbs,
    services: uniqueNames(keptServices).sort(byRoot),
    libraries: uniqueNames(libraries).sort(byRoot),
    packages: folders
      .filter((folder) => typeof folder.pkg?.name === 'string' && folder.pkg.name !== '')
      .map((folder) => ({ name: folder.pkg!.name as string, root: folder.rel }))
      .sort(byRoot),
    testRoots: detected.testRoots.filter((rel) => rel !== '.'),
    scriptFiles: scriptFiles(folders),
  };
}

// ---------------------------------------------------------------- walking

/** Breadth-first, sorted, so the folder cap always cuts the same (deepest) part of an odd tree. */
function walkFolders(rootAbs: string, isIgnored: (rel: string) => boolean): Folder[] {
  const folders: Folder[] = [];
  const queue: Array<{ rel: string; depth: number }> = [{ rel: '.', depth: 0 }];
  for (let next = 0; next < queue.length && folders.length < MAX_DIRS; next++) {
    const { rel, depth } = queue[next];
    const entries = readDir(path.join(rootAbs, rel));
    if (!entries) continue;
    folders.push(describeFolder(rootAbs, rel, depth, entries));
    if (depth >= MAX_DEPTH) continue;
    for (const entry of entries) {
      if (!entry.isDirectory() || skipDuringDiscovery(entry.name)) continue;
      const childRel = joinRel(rel, entry.name);
      if (!isIgnored(childRel)) queue.push({ rel: childRel, depth: depth + 1 });
      if (queue.length >= MAX_DIRS) break; // one folder with a million subfolders must not fill memory
    }
  }
  return folders;
}

function skipDuringDiscovery(name: string): boolean {
  return name.startsWith('.') || PRUNED_DIRS.has(name) || FIXTURE_DIRS.has(name);
}

function describeFolder(rootAbs: string, rel: string, depth: number, entries: fs.Dirent[]): Folder {
  const folder: Folder = { rel, depth, hasDockerfile: false, composeFiles: [] };
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const name = entry.name;
    if (name === 'package.json') folder.pkg = readJsonObject(path.join(rootAbs, rel, name)) ?? {};
    else if (name === 'project.json') folder.nx = readNxProject(path.join(rootAbs, rel, name));
    else if (isDockerfile(name)) folder.hasDockerfile = true;
    else if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) folder.composeFiles.push(name);
  }
  return folder;
}

function isDockerfile(name: string): boolean {
  return /^dockerfile(\..+)?$/i.test(name) || /\.dockerfile$/i.test(name);
}

function readDir(abs: string): fs.Dirent[] | undefined {
  try {
    return fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return undefined;
  }
}

/** A broken or non-object JSON file reads as undefined, never as an exception; a broken one is named in a warning. */
function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const errors: jsonc.ParseError[] = [];
    const text = readData(file);
    if (text === undefined) return undefined;
    // The parser recurses: text nested deeper than any manifest would overflow the stack, and vanish in silence.
    const deep = jsonTooDeep(text, MAX_JSON_DEPTH);
    if (deep) {
      warnUnparsed(file, 'JSON', deep);
      return undefined;
    }
    const value: unknown = jsonc.parse(text, errors, { allowTrailingComma: true });
    if (errors.length > 0) warnUnparsed(file, 'JSON', jsonSyntaxProblem(text));
    return errors.length === 0 && isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A manifest that does not parse is not used, and says so with the place of the mistake: a truncated root
 * package.json would otherwise lose its workspaces in silence. The message is the same from every reader (compose
 * files are read by discovery and for the environment), so it is reported once.
 */
function warnUnparsed(file: string, format: 'JSON', problem: SyntaxProblem | undefined): void {
  if (!reading?.warn) return;
  reading.warn(unparsedMessage(displayPath(file, reading.root), format, problem), { file: displayPath(file, reading.root), ...(problem && { line: problem.line, column: problem.column }) });
}


function readNxProject(file: string): Folder['nx'] {
  const json = readJsonObject(file);
  if (!json) return {};
  return {
    name: typeof json.name === 'string' ? json.name : undefined,
    projectType: typeof json.projectType === 'string' ? json.projectType : undefined,
  };
}

// ---------------------------------------------------------------- workspace declarations

/** The packages a workspace declares, or, when it declares none, every folder that looks like a deployable package. */
function findCandidates(rootAbs: string, folders: Folder[], byRel: Map<string, Folder>, context: ClassifyContext): Candidate[] {
  const root = byRel.get('.');
  const declared = declaredMembers(rootAbs, folders, root);
  const candidates = new Map<string, Candidate>(declared);
  if (declared.size === 0) {
    for (const folder of folders) {
      if (folder.pkg && folder.rel !== '.' && folder.depth <= MAX_SIBLING_DEPTH) candidates.set(folder.rel, { folder, source: 'folder' });
    }
    if (root?.pkg && (candidates.size === 0 || root.hasDockerfile || context.composeBuilt.has('.'))) {
      candidates.set('.', { folder: root, source: 'folder' });
    }
  }
  for (const candidate of serviceFolders(rootAbs, folders)) if (!candidates.has(candidate.folder.rel)) candidates.set(candidate.folder.rel, candidate);
  for (const [rel, file] of context.composeRun) {
    const folder = byRel.get(rel);
    if (folder && !candidates.has(rel)) candidates.set(rel, { folder, source: 'folder', evidence: `docker-compose runs ${file}` });
  }
  // docker-compose builds it, so it runs: a service even when the workspace globs forgot it.
  for (const rel of context.composeBuilt) {
    const folder = byRel.get(rel);
    if (folder && !candidates.has(rel) && !(rel === '.' && declared.size > 0)) candidates.set(rel, { folder, source: 'folder' });
  }
  return [...candidates.values()];
}

/** Entry points a service folder without a package.json of its own starts from. */
const ENTRY_FILES = ['src/index.ts', 'src/main.ts', 'src/server.ts', 'src/app.ts', 'src/index.js', 'src/main.js', 'src/server.js', 'src/app.js'];

/**
 * Sibling folders named as services (`auth-service`, `map-service`) that each have an entry point of their own, with
 * or without a package.json, under one package that runs them as separate processes: each is a service, even where
 * the workspace declaration leaves them out. Two at least, so that a module folder of one service
 * (`src/order-service/`) is never taken for one.
 */
function serviceFolders(rootAbs: string, folders: Folder[]): Candidate[] {
  const byParent = new Map<string, { started: Candidate[]; named: Folder[] }>();
  for (const folder of folders) {
    if (folder.nx || folder.rel === '.' || folder.depth > MAX_SIBLING_DEPTH) continue;
    const name = path.posix.basename(folder.rel).toLowerCase();
    if (wordKind(name) !== 'service' || LIBRARY_CONTAINERS.has(name)) continue;
    const parent = path.posix.dirname(folder.rel);
    const group = byParent.get(parent) ?? { started: [], named: [] };
    byParent.set(parent, group);
    const entry = ENTRY_FILES.find((file) => isFile(path.join(rootAbs, folder.rel, file)));
    if (entry) group.started.push({ folder, source: 'folder', evidence: `a folder named as a service with its own entry point (${entry}), beside other such folders` });
    else group.named.push(folder);
  }
  const found: Candidate[] = [];
  for (const { started, named } of byParent.values()) {
    if (started.length < 2) continue;
    found.push(...started);
    // Where several siblings are services that start on their own, a sibling named alike whose code another process
    // mounts (its routes, no entry of its own) is a service too.
    const names = started.map((candidate) => path.posix.basename(candidate.folder.rel)).join(', ');
    for (const folder of named) {
      if (containsSourceFile(path.join(rootAbs, folder.rel))) found.push({ folder, source: 'folder', evidence: `a folder named as a service beside the services ${names}` });
    }
  }
  return found;
}

function declaredMembers(rootAbs: string, folders: Folder[], root: Folder | undefined): Map<string, Candidate> {
  const members = new Map<string, Candidate>();
  const declarations: Array<[ServiceSource, string[] | undefined]> = [
    ['npm-workspaces', npmWorkspaceGlobs(root?.pkg)],
    ['pnpm-workspace', pnpmWorkspaceGlobs(rootAbs)],
  ];
  for (const [source, globs] of declarations) {
    if (!globs) continue;
    const isMember = globMatcher(globs);
    for (const folder of folders) if (folder.pkg && isMember(folder.rel)) members.set(folder.rel, { folder, source });
  }
  // project.json carries the projectType, the most explicit statement there is. A root project.json usually
  // only holds workspace-wide targets; it is a service only in a standalone Nx app that says so.
  for (const folder of folders) {
    if (folder.nx && (folder.rel !== '.' || folder.nx.projectType === 'application')) members.set(folder.rel, { folder, source: 'nx-project' });
  }
  return members;
}

/** `workspaces: [...]` (npm, yarn) or `workspaces: { packages: [...] }` (yarn classic with nohoist). */
function npmWorkspaceGlobs(pkg: PackageJson | undefined): string[] | undefined {
  const workspaces = pkg?.workspaces;
  const list = Array.isArray(workspaces) ? workspaces : isObject(workspaces) ? workspaces.packages : undefined;
  return Array.isArray(list) ? list.filter((glob): glob is string => typeof glob === 'string') : undefined;
}

function pnpmWorkspaceGlobs(rootAbs: string): string[] | undefined {
  for (const name of ['pnpm-workspace.yaml', 'pnpm-workspace.yml']) {
    const doc = readYaml(path.join(rootAbs, name));
    if (isObject(doc) && Array.isArray(doc.packages)) return doc.packages.filter((glob): glob is string => typeof glob === 'string');
  }
  return undefined;
}

function readYaml(file: string): unknown {
  try {
    const text = readData(file);
    if (text === undefined) return undefined;
    const parsed = parseYamlData(text);
    if ('value' in parsed) return parsed.value;
    if (reading?.warn) {
      const shown = displayPath(file, reading.root);
      reading.warn(yamlProblemMessage(shown, parsed.problem), { file: shown, ...yamlProblemPlace(parsed.problem) });
    }
    return undefined;
  } catch {
    return undefined;
  }
}

interface NxLayout {
  appsDir: string;
  libsDir: string;
}

/** nx.json's `workspaceLayout`, defaulting to apps/ and libs/; undefined when this is no Nx workspace. */
function readNxLayout(rootAbs: string): NxLayout | undefined {
  const nx = readJsonObject(path.join(rootAbs, 'nx.json'));
  if (!nx) return undefined;
  const layout = isObject(nx.workspaceLayout) ? nx.workspaceLayout : {};
  return {
    appsDir: typeof layout.appsDir === 'string' ? normalizeGlob(layout.appsDir) : 'apps',
    libsDir: typeof layout.libsDir === 'string' ? normalizeGlob(layout.libsDir) : 'libs',
  };
}

// ---------------------------------------------------------------- docker-compose

/**
 * What the compose files say, each read once. `composeBuilt`: package folders a compose file builds (the Dockerfile's
 * folder is the better hint when the context is a shared one: `context: .`, `dockerfile: services/orders/Dockerfile`).
 * `composeRun`: folders below a shared build context that compose services run a file from, one image for several
 * services (`build: .` with `command: ["node", "services/deals/server.js"]`), found relative to the context.
 */
function composeFolders(rootAbs: string, folders: Folder[], byRel: Map<string, Folder>): Pick<ClassifyContext, 'composeBuilt' | 'composeRun'> {
  const composeBuilt = new Set<string>();
  const composeRun = new Map<string, string>();
  const isPackage = (rel: string | undefined): rel is string => rel !== undefined && !!(byRel.get(rel)?.pkg || byRel.get(rel)?.nx);
  for (const folder of folders) {
    for (const file of folder.composeFiles) {
      const composeDir = path.join(rootAbs, folder.rel);
      for (const build of composeBuilds(readYaml(path.join(composeDir, file)))) {
        const contextAbs = path.resolve(composeDir, build.context);
        const context = relativeInside(rootAbs, contextAbs);
        const dockerfileDir = build.dockerfile ? relativeInside(rootAbs, path.dirname(path.resolve(contextAbs, build.dockerfile))) : undefined;
        if (isPackage(dockerfileDir)) composeBuilt.add(dockerfileDir);
        else if (isPackage(context) && !(context === '.' && build.dockerfile)) composeBuilt.add(context);
        for (const ran of build.command ? filesRun(build.command) : []) {
          const rel = relativeInside(rootAbs, path.dirname(path.resolve(contextAbs, ran)));
          if (rel !== undefined && rel !== context && byRel.has(rel)) composeRun.set(rel, ran);
        }
      }
    }
  }
  return { composeBuilt, composeRun };
}

/** `build: ./orders` or `build: { context, dockerfile }` of every compose service, and its `command`; remote contexts are skipped. */
function composeBuilds(doc: unknown): Array<{ context: string; dockerfile?: string; command?: string }> {
  if (!isObject(doc)) return [];
  const services = isObject(doc.services) ? doc.services : doc; // version 1 files have no `services` key
  const builds: Array<{ context: string; dockerfile?: string; command?: string }> = [];
  for (const service of Object.values(services)) {
    const build = isObject(service) ? service.build : undefined;
    const raw = isObject(service) ? service.command : undefined;
    const command = typeof raw === 'string' ? raw : Array.isArray(raw) && raw.every((word) => typeof word === 'string') ? raw.join(' ') : undefined;
    const extra = command ? { command } : {};
    if (typeof build === 'string') builds.push({ context: build, ...extra });
    else if (isObject(build)) {
      const context = typeof build.context === 'string' ? build.context : '.'; // compose's default
      builds.push({ context, dockerfile: typeof build.dockerfile === 'string' ? build.dockerfile : undefined, ...extra });
    }
  }
  return builds.filter((build) => !/^[a-z]+:\/\/|^git@/i.test(build.context));
}

// ---------------------------------------------------------------- service or library

interface ClassifyContext {
  composeBuilt: Set<string>;
  /** Folders a compose service runs a file from, with that file (`command: node services/deals/server.js`). */
  composeRun: Map<string, string>;
  nxLayout: NxLayout | undefined;
  forcedLibrary: (rel: string) => boolean;
}

function classifyAll(rootAbs: string, candidates: Candidate[], context: ClassifyContext): { services: Service[]; libraries: WorkspaceLibrary[]; testRoots: string[] } {
  const services: Service[] = [];
  const libraries: WorkspaceLibrary[] = [];
  const testRoots: string[] = [];
  // A package whose services are folders of their own (`backend/auth-service/`) runs none itself: what else it holds
  // (`backend/database/`) is their shared code.
  const parents = new Map<string, string[]>();
  const holders = candidates.filter((candidate) => !candidate.evidence).map((candidate) => candidate.folder.rel);
  for (const { folder, evidence } of candidates) {
    if (!evidence) continue;
    // The innermost package above the service folder holds it.
    const holder = holders.filter((rel) => rel === '.' || folder.rel.startsWith(`${rel}/`)).sort((a, b) => b.length - a.length)[0];
    if (holder !== undefined) parents.set(holder, [...(parents.get(holder) ?? []), path.posix.basename(folder.rel)]);
  }
  for (const { folder, source, evidence: folderEvidence } of candidates) {
    if (isEndToEndProject(folder)) {
      testRoots.push(folder.rel);
      continue;
    }
    const entry = { name: displayName(folder, rootAbs), root: folder.rel, ...packageNameOf(folder) };
    const holds = parents.get(folder.rel);
    const { kind, evidence } = folderEvidence
      ? { kind: 'service' as const, evidence: folderEvidence }
      : holds
        ? { kind: 'library' as const, evidence: `holds the services ${holds.join(', ')} in folders of their own; its other code is shared` }
        : classify(folder, context);
    const runtime = runtimeOf(rootAbs, folder);
    // A command-line tool runs on its own, even when it is published like a library.
    if (kind === 'library' && runtime?.runs !== 'tool') {
      const browser = runtime?.runs === 'browser';
      libraries.push({ ...entry, runs: browser ? 'browser' : 'server', evidence: browser ? `${evidence}; browser code: ${runtime.evidence}` : evidence, ...workspaceOnlyEntries(folder) });
    } else {
      services.push({ ...entry, source, runs: runtime?.runs ?? 'server', evidence: runtime?.evidence ?? evidence });
    }
  }
  return { services, libraries, testRoots };
}

/** Strongest evidence first: explicit config and Nx types, then what gets deployed, then names and locations. */
function classify(folder: Folder, context: ClassifyContext): { kind: Kind; evidence: string } {
  const is = (kind: Kind, evidence: string) => ({ kind, evidence });
  if (context.forcedLibrary(folder.rel)) return is('library', 'listed in `libraries` in breakwater.json');
  if (context.composeBuilt.has(folder.rel)) return is('service', 'built by docker-compose');
  if (folder.nx?.projectType === 'application') return is('service', 'Nx project of type application');
  if (folder.nx?.projectType === 'library') return is('library', 'Nx project of type library');
  const container = containerKind(folder.rel);
  if (container === 'library') return is('library', `under a folder of shared code (${folder.rel})`);
  const named = nameKind(folder);
  if (named === 'library') return is('library', 'named as shared code');
  if (folder.hasDockerfile) return is('service', 'has a Dockerfile');
  if (hasStartScript(folder.pkg)) return is('service', 'has a start script');
  if (container === 'service') return is('service', `under a folder of services (${folder.rel})`);
  // Published with types or an export map, and nothing starts it: a package to import (`@acme/redis-worker`), whatever its name.
  if (looksPublished(folder.pkg)) return is('library', 'package.json declares types, exports or peer dependencies, and no start script');
  if (named === 'service') return is('service', 'named as a service');
  const nx = context.nxLayout;
  if (nx && isInside(folder.rel, nx.libsDir)) return is('library', `in Nx's libs folder (${nx.libsDir})`);
  if (nx && isInside(folder.rel, nx.appsDir)) return is('service', `in Nx's apps folder (${nx.appsDir})`);
  return is('service', 'a package with no sign of shared code');
}

// ---------------------------------------------------------------- what runs the code

/** Scripts that run the service itself; any other script that runs a file (`seed`, `ingest`, `sync`) runs a tool. */
const SERVICE_SCRIPT = /^(start|serve|server|dev|prod|preview|debug|worker|workers|consumer|consumers|cron|scheduler|listen|api|web)(:|$)/;
/** Commands that run a source file (not bundlers or compilers, whose files run in production). */
const RUNNERS = new Set(['node', 'tsx', 'ts-node', 'ts-node-esm', 'bun', 'babel-node', 'vite-node', 'esno', 'esr', 'jiti']);
const SOURCE = /\.[cm]?[jt]sx?$/;

/** The source files package.json scripts run by hand, relative to the root; a file a service script runs too is left out. */
function scriptFiles(folders: Folder[]): string[] {
  const tools = new Set<string>();
  const served = new Set<string>();
  for (const folder of folders) {
    const scripts = folder.pkg?.scripts;
    if (!isObject(scripts)) continue;
    for (const [name, command] of Object.entries(scripts)) {
      if (typeof command !== 'string') continue;
      for (const file of filesRun(command)) {
        const rel = path.posix.normalize(joinRel(folder.rel, file));
        if (!rel.startsWith('..')) (SERVICE_SCRIPT.test(name) ? served : tools).add(rel);
      }
    }
  }
  return [...tools].filter((file) => !served.has(file)).sort();
}

/** `tsx src/ingest.ts`, `NODE_ENV=x node -r dotenv/config ./scripts/seed.js && …`: the file each runner runs. */
function filesRun(command: string): string[] {
  const files: string[] = [];
  for (const segment of command.split(/&&|\|\||[;|]/)) {
    const words = segment.trim().split(/\s+/).filter((word) => !/^\w+=/.test(word));
    if (words[0] === 'npx' || words[0] === 'pnpm' || words[0] === 'yarn') words.shift();
    if (!RUNNERS.has(words[0] ?? '')) continue;
    const file = words.slice(1).find((word) => !word.startsWith('-') && SOURCE.test(word));
    if (file) files.push(file.replace(/^\.\//, ''));
  }
  return files;
}

/** Packages that make a package a server (or a server-rendering app) whatever front-end tooling it also has. */
const SERVER_FRAMEWORKS = [
  'express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', 'restify', 'polka', '@adonisjs/core', 'hono', '@hono/node-server',
  '@remix-run/node', '@remix-run/express', '@remix-run/serve', '@react-router/node', '@react-router/serve', 'nuxt', 'h3',
  '@trpc/server', 'socket.io', 'kafkajs', 'amqplib', 'bullmq', 'bull',
];
/** Front-end frameworks and bundlers: with no server framework beside them, the package runs in a browser. */
const FRONTEND_TOOLS = ['vite', 'react-scripts', '@angular/core', 'vue', 'svelte', 'react-dom', 'preact', 'solid-js', 'webpack-dev-server', 'parcel', '@vitejs/plugin-react', '@sveltejs/kit'];
/** Folder names of developers' code inside a package: CLIs, scripts, examples, playgrounds. */
export const TOOL_FOLDERS = new Set(['scripts', 'script', 'examples', 'example', 'playground', 'playgrounds', 'tools']);

/**
 * What runs a package's code when it is not a plain server: a browser (a front-end app, a Next.js app without API
 * routes, a package whose `browser` field says so) or a developer (a package with `bin`, an examples folder).
 * Undefined for a server. Reads package.json and looks for a few files; never runs anything.
 */
function runtimeOf(rootAbs: string, folder: Folder): { runs: Exclude<Runtime, 'server'>; evidence: string } | undefined {
  const deps = dependencyNames(folder.pkg);
  const server = SERVER_FRAMEWORKS.find((name) => deps.has(name));
  const abs = path.join(rootAbs, folder.rel);
  if (deps.has('next')) {
    const routes = nextApiRoutes(abs);
    if (routes) return undefined; // a service: its API routes serve requests (its pages are judged file by file)
    if (!server) return { runs: 'browser', evidence: 'a Next.js app without API routes (pages/api, app/**/route.ts)' };
  }
  if (server) return undefined;
  const bin = folder.pkg?.bin;
  if (typeof bin === 'string' || isObject(bin)) return { runs: 'tool', evidence: 'a command-line tool (package.json `bin`), no server framework' };
  if (folder.pkg?.browser !== undefined) return { runs: 'browser', evidence: 'package.json has a `browser` field, no server framework' };
  const frontend = FRONTEND_TOOLS.find((name) => deps.has(name));
  if (frontend) return { runs: 'browser', evidence: `a front-end package (${frontend}), no server framework` };
  const page = ['index.html', 'src/index.html'].find((file) => isFile(path.join(abs, file)));
  if (page) return { runs: 'browser', evidence: `a web app with ${page}, no server framework` };
  const last = path.posix.basename(folder.rel).toLowerCase();
  if (TOOL_FOLDERS.has(last) || folder.rel.split('/').some((segment) => TOOL_FOLDERS.has(segment.toLowerCase()))) {
    return { runs: 'tool', evidence: `under a folder of scripts or examples (${folder.rel})` };
  }
  return undefined;
}

function dependencyNames(pkg: PackageJson | undefined): Set<string> {
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = pkg?.[field];
    if (isObject(deps)) for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

/** `pages/api/**` or `app/**\/route.ts` (also under `src/`): the folder that holds a Next.js app's API routes. */
function nextApiRoutes(abs: string): string | undefined {
  for (const base of ['', 'src/']) {
    if (isDirectory(path.join(abs, base, 'pages', 'api'))) return `${base}pages/api`;
    if (hasFileNamed(path.join(abs, base, 'app'), /^route\.[cm]?[jt]sx?$/)) return `${base}app`;
  }
  return undefined;
}

/** A bounded look (2,000 folders) for a file whose name matches, outside hidden, dependency and build folders. */
function hasFileNamed(abs: string, name: RegExp): boolean {
  const stack = [{ dir: abs, depth: 0 }];
  for (let visited = 0; stack.length > 0 && visited < 2_000; visited++) {
    const { dir, depth } = stack.pop()!;
    for (const entry of readDir(dir) ?? []) {
      if (entry.isFile() && name.test(entry.name)) return true;
      if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.') && !PRUNED_DIRS.has(entry.name)) {
        stack.push({ dir: path.join(dir, entry.name), depth: depth + 1 });
      }
    }
  }
  return false;
}

function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest parent folder that says what it holds: `libs/`, `services/`, `packages/shared/`... */
function containerKind(rel: string): Kind | undefined {
  const parents = rel.split('/').slice(0, -1).reverse();
  for (const segment of parents) {
    const lower = segment.toLowerCase();
    if (LIBRARY_CONTAINERS.has(lower)) return 'library';
    if (SERVICE_CONTAINERS.has(lower)) return 'service';
  }
  return undefined;
}

/** Judges the folder name, then the package name (its scope included: `@shared/logger`). */
function nameKind(folder: Folder): Kind | undefined {
  const names = [folder.rel === '.' ? '' : path.posix.basename(folder.rel)];
  if (typeof folder.pkg?.name === 'string') names.push(unscoped(folder.pkg.name), folder.pkg.name.match(/^@([^/]+)\//)?.[1] ?? '');
  for (const name of names) {
    const kind = wordKind(name.toLowerCase());
    if (kind) return kind;
  }
  return undefined;
}

function wordKind(name: string): Kind | undefined {
  if (LIBRARY_CONTAINERS.has(name) || LIBRARY_WORDS.has(name)) return 'library';
  const words = name.split(/[^a-z0-9]+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    if (LIBRARY_WORDS.has(words[i])) return 'library';
    if (SERVICE_WORDS.has(words[i])) return 'service';
  }
  return undefined;
}

function hasStartScript(pkg: PackageJson | undefined): boolean {
  return isObject(pkg?.scripts) && Object.keys(pkg.scripts).some((script) => script === 'start' || script.startsWith('start:'));
}

/** Type declarations, an export map or a publish config: the package is meant to be imported, not run. */
function looksPublished(pkg: PackageJson | undefined): boolean {
  return !!pkg && ['types', 'typings', 'exports', 'publishConfig', 'peerDependencies'].some((field) => pkg[field] !== undefined);
}

/**
 * Test projects are no services and their code is test-only: Nx's `<app>-e2e`, packages of end-to-end or app tests
 * (`app-tests`, `e2e`) and of test helpers (`testing`, `test-utils`, `testcontainers`).
 */
function isEndToEndProject(folder: Folder): boolean {
  const names = [path.posix.basename(folder.rel), folder.nx?.name ?? '', typeof folder.pkg?.name === 'string' ? unscoped(folder.pkg.name) : ''];
  return names.some((name) => /(^|-)(e2e|tests|integration-tests|testing|test-utils|test-helpers|testcontainers)$/.test(name));
}

// ---------------------------------------------------------------- config overrides

function configuredServices(rootAbs: string, setting: string[] | Record<string, string>, folders: Folder[], byRel: Map<string, Folder>): Service[] {
  if (Array.isArray(setting)) {
    const matches = globMatcher(setting);
    return folders
      .filter((folder) => matches(folder.rel) && containsSourceFile(path.join(rootAbs, folder.rel)))
      .map((folder) => ({ name: displayName(folder, rootAbs), root: folder.rel, ...packageNameOf(folder), ...configured(rootAbs, folder) }));
  }
  return Object.entries(setting).map(([name, folderPath]) => {
    const rel = normalizeGlob(folderPath);
    const folder = byRel.get(rel) ?? describeFolder(rootAbs, rel, 0, readDir(path.join(rootAbs, rel)) ?? []);
    return { name, root: rel, ...packageNameOf(folder), ...configured(rootAbs, folder) };
  });
}

/** A service named in breakwater.json is a service; a front-end or CLI package there still runs where it runs. */
function configured(rootAbs: string, folder: Folder): Pick<Service, 'source' | 'runs' | 'evidence'> {
  const runtime = runtimeOf(rootAbs, folder);
  return { source: 'config', runs: runtime?.runs ?? 'server', evidence: runtime ? `listed in breakwater.json; ${runtime.evidence}` : 'listed in `services` in breakwater.json' };
}

/** Folders matching `config.libraries` that detection did not already list. */
function forcedLibraries(rootAbs: string, folders: Folder[], context: ClassifyContext, known: WorkspaceLibrary[]): WorkspaceLibrary[] {
  const knownRoots = new Set(known.map((library) => library.root));
  return folders
    .filter((folder) => context.forcedLibrary(folder.rel) && !knownRoots.has(folder.rel))
    .map((folder) => ({ name: displayName(folder, rootAbs), root: folder.rel, ...packageNameOf(folder), runs: 'server' as const, evidence: 'listed in `libraries` in breakwater.json' }));
}

/** A bounded look for one source file, so a glob like `services/*` does not turn a docs folder into a service. */
function containsSourceFile(abs: string): boolean {
  return hasFileNamed(abs, /\.([cm]?[jt]s|[jt]sx)$/);
}

// ---------------------------------------------------------------- names

/** Package name without scope, else Nx project name, else the folder's name. */
function displayName(folder: Folder, rootAbs: string): string {
  if (typeof folder.pkg?.name === 'string' && unscoped(folder.pkg.name) !== '') return unscoped(folder.pkg.name);
  if (folder.nx?.name) return folder.nx.name;
  return folder.rel === '.' ? path.basename(rootAbs) : path.posix.basename(folder.rel);
}

/** Manifest fields that name a package's entry modules. */
const ENTRY_FIELDS = ['main', 'module', 'types', 'typings', 'source', 'exports', 'bin'];
/** The export conditions Node and bundlers load by default; a custom one (`"@acme/source": "./src/index.ts"`) serves the monorepo's own tooling. */
const LOADED_CONDITIONS = new Set(['import', 'require', 'default', 'node']);
const TS_SOURCE = /\.[cm]?tsx?$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * A library only this workspace consumes, with its entry modules (WorkspaceLibrary.workspaceOnlyEntries): a folder with
 * no package.json, a private package, or one whose entry points, as Node would load them, are TypeScript sources
 * (which nothing outside could load).
 */
function workspaceOnlyEntries(folder: Folder): { workspaceOnlyEntries?: string[] } {
  const entries: string[] = [];
  const loaded: string[] = [];
  const collect = (value: unknown, byDefault: boolean): void => {
    if (typeof value === 'string') {
      entries.push(value);
      if (byDefault) loaded.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) collect(item, byDefault);
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) collect(item, byDefault && (key.startsWith('.') || LOADED_CONDITIONS.has(key)));
    }
  };
  for (const field of ENTRY_FIELDS) collect(folder.pkg?.[field], field !== 'types' && field !== 'typings' && field !== 'source');
  const isSource = (target: string) => TS_SOURCE.test(target) && !DECLARATION.test(target);
  if (folder.pkg && folder.pkg.private !== true && (folder.pkg.publishConfig !== undefined || !loaded.some(isSource))) return {};
  const modules = new Set([joinRel(folder.rel, 'index'), joinRel(folder.rel, 'src/index')]);
  for (const target of entries.filter(isSource)) modules.add(path.posix.normalize(joinRel(folder.rel, target.replace(/^\.\//, ''))).replace(/\.[cm]?[jt]sx?$/, ''));
  return { workspaceOnlyEntries: [...modules].sort() };
}

function packageNameOf(folder: Folder): { packageName?: string } {
  return typeof folder.pkg?.name === 'string' && folder.pkg.name !== '' ? { packageName: folder.pkg.name } : {};
}

function unscoped(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}

/** Colliding names become the folder path, which is unique; the root keeps its name (it sorts first). */
function uniqueNames<T extends { name: string; root: string }>(items: T[]): T[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.name, (counts.get(item.name) ?? 0) + 1);
  return items.map((item) => (counts.get(item.name) === 1 || item.root === '.' ? item : { ...item, name: item.root }));
}

// ---------------------------------------------------------------- paths and globs

/** `!`-prefixed globs subtract, as in pnpm-workspace.yaml; an empty list matches nothing. */
export function globMatcher(globs: readonly string[]): (rel: string) => boolean {
  const positive = globs.filter((glob) => !glob.startsWith('!')).map(normalizeGlob);
  const negative = globs.filter((glob) => glob.startsWith('!')).map((glob) => normalizeGlob(glob.slice(1)));
  if (positive.length === 0) return () => false;
  const includes = picomatch(positive, { dot: true });
  const excludes = negative.length > 0 ? picomatch(negative, { dot: true }) : () => false;
  return (rel) => includes(rel) && !excludes(rel);
}

/** `./services/*\/` → `services/*`; `./` → `.`. */
function normalizeGlob(glob: string): string {
  const trimmed = glob.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

export function joinRel(parent: string, name: string): string {
  return parent === '.' ? name : `${parent}/${name}`;
}

function relativeInside(rootAbs: string, abs: string): string | undefined {
  const rel = path.relative(rootAbs, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

function isInside(rel: string, folder: string): boolean {
  return rel.startsWith(`${folder}/`);
}

function byRoot(a: { root: string }, b: { root: string }): number {
  return a.root < b.root ? -1 : a.root > b.root ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
