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
import { projectOf, type Project } from './projects';

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

/** Never read by Breakwater, so never an input: dependencies, git, orchestrator state, build output, reports, docs. */
const BUILD_OUTPUT = '!**/{dist,build,out,coverage}/**';
const NEVER_READ = ['!**/node_modules/**', '!.git/**', '!**/.turbo/**', '!**/.nx/**', BUILD_OUTPUT, '!**/*.{sarif,md}', '!**/turbo.json'];

/** Does an `include` pattern of breakwater.json reach into build output, which Breakwater otherwise skips? */
export function includesBuildOutput(include: readonly string[] | undefined): boolean {
  return (include ?? []).some((pattern) => /(^|\/)(dist|build|out|coverage)(\/|$)/.test(pattern));
}

export interface ProjectInputsOptions {
  /** `include` in breakwater.json names build output (`dist`, `build`, `out`, `coverage`): it is read, so an input. */
  readsBuildOutput?: boolean;
}

export function projectInputs(result: AnalysisResult, projects: readonly Project[], options: ProjectInputsOptions = {}): ProjectInputs[] {
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
  for (const { caller, callee } of result.model.functionCalls) append(calls, caller, callee);
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
  for (const project of projects) if (project.kind !== 'service') for (const file of filesOf.get(project)!) sets.add(shared, importsOf(file));

  // Code that changes how code in another project is judged with no import or call: interceptors and registrations
  // (`influences`), and connections that name the owner of a database that others connect to without naming it.
  const indirect: Array<{ target: Project | undefined; from: ProjectSet }> = result.model.influences.map(({ from, to }) => ({ target: ownerOf(to), from: importsOf(from) }));
  const naming = new Map<string, ProjectSet>();
  for (const use of result.model.databaseUses) {
    if (use.key && use.ownerIsOwn) sets.add(naming.get(use.key) ?? naming.set(use.key, sets.empty()).get(use.key)!, importsOf(use.location.file));
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
    for (const node of closure(own.flatMap((file) => functionsOf.get(file) ?? []), calls)) sets.add(reached, callerReach.get(node) ?? importsOf(fileOf(node)));
    // Code that changes how reached code is judged, for as long as it adds projects. A project's being reached stands
    // for its files' (more than needed, never less).
    for (let grew = true; grew; ) {
      grew = false;
      for (const { target, from } of indirect) if (sets.has(reached, target)) grew = sets.add(reached, from) || grew;
    }
    return reached;
  };

  return projects.map((project) => {
    const needed = new Set<Project>(project.kind === 'service' ? sets.members(projectsReaching(project)) : projects);
    needed.add(project);
    for (const other of projects) if (other.kind !== 'service') needed.add(other);
    const dependsOn = projects.filter((other) => other !== project && needed.has(other));
    return { project, dependsOn, inputs: inputGlobs(projects, needed, options) };
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

/** Every node reachable from `start` along `edges`, `start` included, added to `known` (a set already closed). */
function closure(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>, known: ReadonlySet<string> = new Set()): Set<string> {
  const seen = new Set(known);
  const queue = start.filter((node) => !seen.has(node));
  for (const node of queue) seen.add(node);
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

function inputGlobs(projects: readonly Project[], needed: ReadonlySet<Project>, options: ProjectInputsOptions): string[] {
  // A folder can be left out only when no needed project lies inside it (a library nested in a service's folder).
  const excluded = projects.filter(
    (other) => !needed.has(other) && other.folder !== '.' && ![...needed].some((kept) => kept.folder === other.folder || kept.folder.startsWith(`${other.folder}/`)),
  );
  const neverRead = options.readsBuildOutput ? NEVER_READ.filter((glob) => glob !== BUILD_OUTPUT) : NEVER_READ;
  return ['**', ...neverRead, ...excluded.map((other) => exclusionOf(other.folder))];
}

function exclusionOf(folder: string): string {
  return `!${folder}/**/${SOURCE_GLOB}`;
}

// ── Turborepo: one turbo.json per package ──────────────────────────────────────────────────────────────────────────

/** Turborepo's inputs are relative to the package; `$TURBO_ROOT$` makes them relative to the workspace root. */
export function turboInputs(inputs: readonly string[]): string[] {
  return inputs.map((glob) => (glob.startsWith('!') ? `!$TURBO_ROOT$/${glob.slice(1)}` : `$TURBO_ROOT$/${glob}`));
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
 * keeps everything else (comments included). Projects without a package.json have no Turborepo task and are skipped.
 */
export function planTurboFiles(root: string, entries: readonly ProjectInputs[], task: string): { plans: TurboFilePlan[]; skipped: Project[]; problems: string[] } {
  const plans: TurboFilePlan[] = [];
  const skipped: Project[] = [];
  const problems: string[] = [];
  for (const { project, inputs } of entries) {
    if (project.folder === '.' || !fs.existsSync(path.join(root, project.folder, 'package.json'))) {
      skipped.push(project);
      continue;
    }
    const file = path.posix.join(project.folder, 'turbo.json');
    const absolute = path.join(root, file);
    const existing = readIfPresent(absolute);
    const wanted = turboInputs(inputs);
    if (existing === undefined) {
      const text = `${JSON.stringify({ $schema: 'https://turborepo.com/schema.json', extends: ['//'], tasks: { [task]: { inputs: wanted } } }, null, 2)}\n`;
      plans.push({ project, file, state: 'created', text });
      continue;
    }
    const errors: ParseError[] = [];
    const parsed = parse(existing, errors, { allowTrailingComma: true }) as unknown;
    if (errors.length > 0 || !isObject(parsed)) {
      problems.push(`${file}: not valid JSON (${errors.length > 0 ? printParseErrorCode(errors[0].error) : 'not an object'}); left as it is`);
      continue;
    }
    const format = { insertSpaces: true, tabSize: 2, eol: existing.includes('\r\n') ? '\r\n' : '\n' };
    let text = applyEdits(existing, modify(existing, ['tasks', task, 'inputs'], wanted, { formattingOptions: format }));
    if (!Array.isArray(parsed.extends)) text = applyEdits(text, modify(text, ['extends'], ['//'], { formattingOptions: format }));
    plans.push({ project, file, state: sameInputs(existing, task, wanted) && text === existing ? 'unchanged' : 'updated', ...(text !== existing && { text }) });
  }
  return { plans, skipped, problems };
}

function sameInputs(text: string, task: string, wanted: readonly string[]): boolean {
  const declared = declaredTasks(text).get(task);
  return declared !== undefined && declared.length === wanted.length && declared.every((glob, index) => glob === wanted[index]);
}

/**
 * The projects whose `turbo.json` leaves out a project their findings now depend on: a cached report of theirs could
 * be replayed after that project changes. Only exclusions written by `breakwater projects --write-turbo` are judged;
 * inputs added by hand are the user's.
 */
export function staleTurboInputs(root: string, entries: readonly ProjectInputs[]): string[] {
  const problems: string[] = [];
  for (const { project, dependsOn } of entries) {
    if (project.folder === '.') continue;
    const text = readIfPresent(path.join(root, project.folder, 'turbo.json'));
    if (text === undefined) continue;
    for (const [task, inputs] of declaredTasks(text)) {
      const missing = dependsOn.filter((other) => inputs.includes(turboInputs([exclusionOf(other.folder)])[0]));
      if (missing.length > 0) {
        const names = missing.map((other) => `${other.name} (${other.folder})`).join(', ');
        problems.push(`${project.folder}/turbo.json: the inputs of task "${task}" leave out ${names}, whose code can now change the findings of ${project.name}. Run "breakwater projects --write-turbo" and commit the result.`);
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

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
