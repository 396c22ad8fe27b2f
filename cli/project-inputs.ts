// What a project's findings can depend on: which other projects' source files can change them. A build orchestrator
// (Turborepo, Nx) re-runs a project's cached task only when its inputs change, so these are the inputs that keep its
// cached report true while leaving out the projects that cannot change it.
//
// For a service S, the findings in S's files are worked out from:
//   - S's own files, and every file that (transitively) imports one of them: a wrapper in S is judged by what its
//     callers pass (call this set R);
//   - everything R and the shared code imports, transitively: values, clients and policies are followed through
//     imports;
//   - every library's and root-level file: a shared library's module defaults and interceptors apply to each service
//     that uses the library, whether or not the file that sets them is imported;
//   - other services' connections that name the owner of a database that S connects to without naming its owner
//     (see `DatabaseUse.ownerIsOwn`): they hand it theirs;
//   - every function S's code calls (transitively), and everything that calls those or S's own functions, wherever
//     it is: a function's callers are judged together (wrappers, policy coverage, what runs while handling a request),
//     so another service calling the same shared helper counts; so do calls that hand a function to a breaker or
//     register it as a handler;
//   - code that changes how that code is judged with no import or call: interceptors or `defaults` on a shared
//     client, a Nest HttpModule registration that a shared library's injected HttpService takes its options from;
//   - every non-source file Breakwater reads (package.json, tsconfig, compose, manifests, .env, breakwater.json),
//     which the inputs below always keep.
// A library's or the root's findings are judged through every service that may use it: they depend on everything.
//
// The relations above come from today's code. A change that adds one (a new import of S's code elsewhere) is made
// in a file that is an input of that file's own project, so that project's task re-runs and notices that S's
// declared inputs are out of date (`staleTurboInputs`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { AnalysisResult } from '../engine';
import { isSharedCode, projectOf, type Project } from './projects';
import { readWorkspaceFile } from '../engine/io/read';

export interface ProjectInputs {
  project: Project;
  /** The other projects whose source files can change this project's findings, in `projects` order. */
  dependsOn: Project[];
  /**
   * Root-relative globs for an orchestrator, `!` for exclusions: the whole workspace except what Breakwater never
   * reads and the source files of the projects this one does not depend on.
   */
  inputs: string[];
}

/** The file extensions Breakwater analyses, as one glob. */
const SOURCE_GLOB = '*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

/**
 * Never read by Breakwater, so never an input: dependencies, git, orchestrator state (whose logs change on every run),
 * reports and docs. `turbo.json` files too: Turborepo hashes the task definition itself.
 */
const NEVER_READ = ['!**/node_modules/**', '!.git/**', '!**/.turbo/**', '!**/.nx/**', '!**/*.{sarif,md}', '!**/turbo.json'];
/**
 * Source files in build output are skipped unless `include` in breakwater.json names a path there (compose files and
 * manifests there are read either way, so only sources are left out).
 */
const BUILD_OUTPUT_SOURCES = `!**/{dist,build,out,coverage}/**/${SOURCE_GLOB}`;

/** Needs an analysis made with `callGraph: true`. */
export function projectInputs(result: AnalysisResult, projects: readonly Project[]): ProjectInputs[] {
  const functionCalls = result.model.functionCalls;
  if (!functionCalls) throw new Error('projectInputs() needs an analysis made with callGraph: true');
  const owners = new Map<string, Project | undefined>();
  const ownerOf = (file: string): Project | undefined => {
    if (!owners.has(file)) owners.set(file, projectOf(projects, file));
    return owners.get(file);
  };
  const sets = new ProjectSets(projects);
  const projectOfFile = (file: string): ProjectSet => sets.of(ownerOf(file));

  const imports = result.importGraph();
  const importedBy = invert(imports);
  const filesOf = new Map<Project, string[]>(projects.map((project) => [project, []]));
  for (const file of imports.keys()) {
    const owner = ownerOf(file);
    if (owner) filesOf.get(owner)!.push(file);
  }
  const calls = new Map<string, string[]>();
  for (const { caller, callee } of functionCalls) append(calls, caller, callee);
  const callers = invert(calls);
  const functionsOf = new Map<string, string[]>();
  for (const node of new Set([...calls.keys(), ...callers.keys()])) append(functionsOf, fileOf(node), node);

  // The projects whose files a file's code reaches through imports (its own included): the values it passes come
  // through them.
  const importReach = reachingSets(imports.keys(), imports, projectOfFile, sets);
  const importsOf = (file: string): ProjectSet => importReach.get(file) ?? projectOfFile(file);
  // For a function: the projects of everything that calls it, transitively, with what those import.
  const callerReach = reachingSets(new Set([...calls.keys(), ...callers.keys()]), callers, (node) => importsOf(fileOf(node)), sets);
  // Every library's and root-level file, with what it imports.
  const shared = sets.empty();
  for (const project of projects) if (isSharedCode(project)) for (const file of filesOf.get(project)!) sets.add(shared, importsOf(file));

  // Code that changes how code in another project is judged with no import or call: interceptors and registrations
  // (`influences`), and connections that name the owner of a database that others connect to without naming it.
  const indirect: Array<{ target: Project | undefined; from: ProjectSet }> = result.model.influences.map(({ from, to }) => ({ target: ownerOf(to), from: importsOf(from) }));
  const naming = new Map<string, ProjectSet>();
  for (const use of result.model.databaseUses) {
    if (!use.key || !use.ownerIsOwn) continue;
    if (!naming.has(use.key)) naming.set(use.key, sets.empty());
    sets.add(naming.get(use.key)!, importsOf(use.location.file));
  }
  for (const use of result.model.databaseUses) {
    const from = use.key && !use.ownerIsOwn ? naming.get(use.key) : undefined;
    if (from) indirect.push({ target: ownerOf(use.location.file), from });
  }

  /** The projects whose code can change the findings in a service's files. */
  const projectsReaching = (service: Project): ProjectSet => {
    const own = filesOf.get(service)!;
    const reached = sets.copy(shared);
    sets.add(reached, sets.of(service));
    // Imports: what imports the service's code, with everything that imports.
    for (const file of closure(own, importedBy)) sets.add(reached, importsOf(file));
    // Calls: every function the service's code calls (transitively), and everything that calls one of those or the
    // service's own functions: their callers are judged together.
    for (const node of closure(own.flatMap((file) => functionsOf.get(file) ?? []), calls)) sets.add(reached, callerReach.get(node)!);
    // Code that changes how reached code is judged, for as long as it adds projects. A project's being reached stands
    // for its files' (more than needed, never less).
    for (let grew = true; grew; ) {
      grew = false;
      for (const { target, from } of indirect) if (sets.has(reached, target)) grew = sets.add(reached, from) || grew;
    }
    return reached;
  };

  const readsBuildOutput = (result.config.include ?? []).length > 0;
  return projects.map((project) => {
    const needed = new Set<Project>(!isSharedCode(project) ? sets.members(projectsReaching(project)) : projects);
    needed.add(project);
    for (const other of projects) if (isSharedCode(other)) needed.add(other);
    const dependsOn = projects.filter((other) => other !== project && needed.has(other));
    return { project, dependsOn, inputs: inputGlobs(projects, needed, readsBuildOutput) };
  });
}

/** A set of projects, as a bit mask over their indexes. */
type ProjectSet = Uint32Array;

class ProjectSets {
  private readonly words: number;
  private readonly index: Map<Project, number>;
  private readonly singles: ProjectSet[];
  private readonly none: ProjectSet;

  constructor(private readonly projects: readonly Project[]) {
    this.words = Math.max(1, Math.ceil(projects.length / 32));
    this.index = new Map(projects.map((project, i) => [project, i]));
    this.none = this.empty();
    this.singles = projects.map((_, i) => {
      const set = this.empty();
      set[i >>> 5] |= 1 << (i & 31);
      return set;
    });
  }

  empty(): ProjectSet {
    return new Uint32Array(this.words);
  }

  copy(set: ProjectSet): ProjectSet {
    return set.slice();
  }

  /** The set holding just `project` (none for a file outside every project). */
  of(project: Project | undefined): ProjectSet {
    const i = project === undefined ? undefined : this.index.get(project);
    return i === undefined ? this.none : this.singles[i];
  }

  has(set: ProjectSet, project: Project | undefined): boolean {
    const i = project === undefined ? undefined : this.index.get(project);
    return i !== undefined && (set[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Adds `other` into `set`; true when that added something. */
  add(set: ProjectSet, other: ProjectSet): boolean {
    let grew = false;
    for (let w = 0; w < set.length; w++) {
      const merged = (set[w] | other[w]) >>> 0;
      if (merged !== set[w]) {
        set[w] = merged;
        grew = true;
      }
    }
    return grew;
  }

  members(set: ProjectSet): Project[] {
    return this.projects.filter((project) => this.has(set, project));
  }
}

/**
 * For every node reachable from `nodes`: the union of `base` over all nodes reachable from it along `edges`, itself
 * included. Each strongly connected component (Tarjan's algorithm, without recursion) is worked out once, after the
 * components it reaches, so the whole graph costs one pass rather than one search per node.
 */
function reachingSets(nodes: Iterable<string>, edges: ReadonlyMap<string, readonly string[]>, base: (node: string) => ProjectSet, sets: ProjectSets): Map<string, ProjectSet> {
  const result = new Map<string, ProjectSet>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  const enter = (node: string, work: Array<{ node: string; next: number }>) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    work.push({ node, next: 0 });
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [];
    enter(root, work);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const successors = edges.get(frame.node) ?? [];
      if (frame.next < successors.length) {
        const next = successors[frame.next++];
        if (!index.has(next)) enter(next, work);
        else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.node);
      const inComponent = new Set(members);
      const set = sets.empty();
      for (const node of members) {
        sets.add(set, base(node));
        for (const next of edges.get(node) ?? []) if (!inComponent.has(next)) sets.add(set, result.get(next)!);
      }
      for (const node of members) result.set(node, set);
    }
  }
  return result;
}

function invert(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const inverted = new Map<string, string[]>();
  for (const [from, targets] of edges) for (const to of targets) append(inverted, to, from);
  return inverted;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function fileOf(functionKey: string): string {
  return functionKey.slice(0, functionKey.lastIndexOf('#'));
}

/** Every node reachable from `start` along `edges`, `start` included. */
function closure(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...seen];
  while (queue.length > 0) {
    for (const next of edges.get(queue.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function inputGlobs(projects: readonly Project[], needed: ReadonlySet<Project>, readsBuildOutput: boolean): string[] {
  // A folder can be left out only when no needed project lies inside it (a library nested in a service's folder).
  const excluded = projects.filter((other) => !needed.has(other) && other.folder !== '.' && ![...needed].some((kept) => isWithin(kept.folder, other.folder)));
  return ['**', ...NEVER_READ, ...(readsBuildOutput ? [] : [BUILD_OUTPUT_SOURCES]), ...excluded.map((other) => exclusionOf(other.folder))];
}

/** Is `folder` the folder `outer`, or inside it? */
function isWithin(folder: string, outer: string): boolean {
  return folder === outer || folder.startsWith(`${outer}/`);
}

function exclusionOf(folder: string): string {
  return `!${escapeGlob(folder)}/**/${SOURCE_GLOB}`;
}

/** The folder an exclusion written by `exclusionOf` leaves out, or undefined for any other glob. */
function excludedFolder(glob: string): string | undefined {
  const suffix = `/**/${SOURCE_GLOB}`;
  if (!glob.startsWith('!') || !glob.endsWith(suffix)) return undefined;
  const folder = glob.slice(1, -suffix.length);
  // An unescaped glob character makes it somebody else's pattern, not a folder.
  return /(^|[^\\])[*?[\]{}()!]/.test(folder) ? undefined : unescapeGlob(folder);
}

const GLOB_SPECIAL = /[\\*?[\]{}()!]/g;

function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIAL, (char) => `\\${char}`);
}

function unescapeGlob(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

// ── Turborepo: one turbo.json per package ──────────────────────────────────────────────────────────────────────────

const TURBO_ROOT = '$TURBO_ROOT$/';

/** Turborepo's inputs are relative to the package; `$TURBO_ROOT$` makes them relative to the workspace root. */
function turboInputs(inputs: readonly string[]): string[] {
  return inputs.map((glob) => (glob.startsWith('!') ? `!${TURBO_ROOT}${glob.slice(1)}` : `${TURBO_ROOT}${glob}`));
}

/** Back from a turbo input to the root-relative glob, or undefined when it is not relative to `$TURBO_ROOT$`. */
function fromTurboInput(glob: string): string | undefined {
  const negated = glob.startsWith('!');
  const body = negated ? glob.slice(1) : glob;
  return body.startsWith(TURBO_ROOT) ? `${negated ? '!' : ''}${body.slice(TURBO_ROOT.length)}` : undefined;
}

/** Projects with a task: Turborepo runs tasks in packages, so those with a package.json. */
function hasTask(root: string, project: Project): boolean {
  return project.folder !== '.' && fs.existsSync(path.join(root, project.folder, 'package.json'));
}

export type TurboFileState = 'created' | 'updated' | 'unchanged';

export interface TurboFilePlan {
  project: Project;
  file: string;
  state: TurboFileState;
  /** The new text (undefined when unchanged). */
  text?: string;
}

/**
 * The per-package `turbo.json` each project needs, with `tasks.<task>.inputs` set to its inputs. An existing file
 * keeps everything else (comments included); the `inputs` array itself is replaced. Projects without a package.json
 * have no Turborepo task: they get no file, and no other project's inputs leave them out, since no task of theirs
 * would re-run to notice a dependency that their code adds.
 */
export function planTurboFiles(root: string, entries: readonly ProjectInputs[], task: string): { plans: TurboFilePlan[]; skipped: Project[]; problems: string[] } {
  const plans: TurboFilePlan[] = [];
  const skipped: Project[] = [];
  const problems: string[] = [];
  const taskless = new Set(entries.filter(({ project }) => !hasTask(root, project)).map(({ project }) => exclusionOf(project.folder)));
  for (const { project, inputs } of entries) {
    if (!hasTask(root, project)) {
      skipped.push(project);
      continue;
    }
    const file = path.posix.join(project.folder, 'turbo.json');
    const existing = readIfPresent(root, path.join(root, file));
    const wanted = turboInputs(inputs.filter((glob) => !taskless.has(glob)));
    if (existing === undefined) {
      const text = `${JSON.stringify({ $schema: 'https://turborepo.com/schema.json', extends: ['//'], tasks: { [task]: { inputs: wanted } } }, null, 2)}\n`;
      plans.push({ project, file, state: 'created', text });
      continue;
    }
    const errors: ParseError[] = [];
    const parsed = parse(existing, errors, { allowTrailingComma: true }) as unknown;
    const problem =
      errors.length > 0 ? `not valid JSON (${printParseErrorCode(errors[0].error)})`
      : !isObject(parsed) ? 'not a JSON object'
      : parsed.tasks !== undefined && !isObject(parsed.tasks) ? '"tasks" is not an object'
      : isObject(parsed.tasks) && parsed.tasks[task] !== undefined && !isObject(parsed.tasks[task]) ? `"tasks.${task}" is not an object`
      : undefined;
    if (problem || !isObject(parsed)) {
      problems.push(`${file}: ${problem}; left as it is`);
      continue;
    }
    const format = { ...indentationOf(existing), eol: existing.includes('\r\n') ? '\r\n' : '\n' };
    let text = applyEdits(existing, modify(existing, ['tasks', task, 'inputs'], wanted, { formattingOptions: format }));
    if (!Array.isArray(parsed.extends)) text = applyEdits(text, modify(text, ['extends'], ['//'], { formattingOptions: format }));
    plans.push({ project, file, state: text === existing ? 'unchanged' : 'updated', ...(text !== existing && { text }) });
  }
  return { plans, skipped, problems };
}

/** The file's own indentation (tabs, or the width of its first indented line), so that edits match it. */
function indentationOf(text: string): { insertSpaces: boolean; tabSize: number } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: indent?.length ?? 2 };
}

export interface StaleCheckOptions {
  /** Options of this run that `breakwater projects` must be given too (`--config`, `--include-tests`). */
  sameOptions?: string;
}

/**
 * The projects whose `turbo.json` leaves out code their findings now depend on: a cached report of theirs could be
 * replayed after that code changes. Judged are the exclusions `--write-turbo` writes (a project's source files, and
 * build output's); other inputs are left alone.
 */
export function staleTurboInputs(root: string, entries: readonly ProjectInputs[], options: StaleCheckOptions = {}): string[] {
  const problems: string[] = [];
  const advice = (task: string) => `Run "breakwater projects --write-turbo${task !== 'breakwater' ? ` --task ${task}` : ''}${options.sameOptions ? ` ${options.sameOptions}` : ''}" and commit the result.`;
  for (const { project, dependsOn, inputs } of entries) {
    if (project.folder === '.') continue;
    const text = readIfPresent(root, path.join(root, project.folder, 'turbo.json'));
    if (text === undefined) continue;
    for (const [task, declared] of declaredTasks(text)) {
      const globs = declared.flatMap((glob) => fromTurboInput(glob) ?? []);
      const excluded = globs.flatMap((glob) => excludedFolder(glob) ?? []);
      const missing = [project, ...dependsOn].filter((other) => other.folder !== '.' && excluded.some((folder) => isWithin(other.folder, folder)));
      const reasons = missing.map((other) => `${other.name} (${other.folder})`);
      if (globs.includes(BUILD_OUTPUT_SOURCES) && !inputs.includes(BUILD_OUTPUT_SOURCES)) reasons.push('source files in build output, which breakwater.json now includes');
      if (reasons.length > 0) {
        problems.push(`${project.folder}/turbo.json: the inputs of task "${task}" leave out ${reasons.join(', ')}, whose code can now change the findings of ${project.name}. ${advice(task)}`);
      }
    }
  }
  return problems;
}
/** `tasks.<name>.inputs` of a turbo.json, for each task that has them. Unreadable files give none. */
function declaredTasks(text: string): Map<string, string[]> {
  const parsed = parse(text, [], { allowTrailingComma: true }) as unknown;
  const tasks = new Map<string, string[]>();
  if (!isObject(parsed) || !isObject(parsed.tasks)) return tasks;
  for (const [name, definition] of Object.entries(parsed.tasks)) {
    if (isObject(definition) && Array.isArray(definition.inputs)) tasks.set(name, definition.inputs.filter((glob): glob is string => typeof glob === 'string'));
  }
  return tasks;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A turbo.json in the workspace, through engine/io/read.ts (a regular file, no link out of `root`). */
function readIfPresent(root: string, file: string): string | undefined {
  return readWorkspaceFile(file, { root });
}
