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
  const ownerOf = (file: string) => projectOf(projects, file);
  const imports = result.importGraph();
  const importedBy = invert(imports);
  const filesOf = new Map<Project, string[]>(projects.map((project) => [project, []]));
  for (const file of imports.keys()) {
    const owner = ownerOf(file);
    if (owner) filesOf.get(owner)!.push(file);
  }
  const sharedFiles = projects.filter((project) => project.kind !== 'service').flatMap((project) => filesOf.get(project)!);
  const calls = new Map<string, string[]>();
  for (const { caller, callee } of result.model.functionCalls) calls.set(caller, [...(calls.get(caller) ?? []), callee]);
  const callers = invert(calls);
  const functionsOf = new Map<string, string[]>();
  for (const node of new Set([...calls.keys(), ...callers.keys()])) functionsOf.set(fileOf(node), [...(functionsOf.get(fileOf(node)) ?? []), node]);
  const influencedBy = new Map<string, string[]>();
  for (const { from, to } of result.model.influences) influencedBy.set(to, [...(influencedBy.get(to) ?? []), from]);
  // Where a connection's owner is told by the connection itself, keyed by database: the uses that can hand their
  // owner to a connection that does not tell its own.
  const namingByKey = new Map<string, string[]>();
  for (const use of result.model.databaseUses) if (use.key && use.ownerIsOwn) namingByKey.set(use.key, [...(namingByKey.get(use.key) ?? []), use.location.file]);

  /** The files whose code can change the findings in a service's files. */
  const filesReaching = (service: Project): Set<string> => {
    const own = filesOf.get(service)!;
    // Imports: what imports the service's code, and everything that and the shared code import.
    const reached = closure([...closure(own, importedBy), ...sharedFiles], imports);
    // Calls: every function the service's code calls (transitively), and everything that calls one of those or the
    // service's own functions: their callers are judged together.
    const called = closure(own.flatMap((file) => functionsOf.get(file) ?? []), calls);
    for (const node of closure([...called], callers)) reached.add(fileOf(node));
    // Interceptors and registrations elsewhere that change how the code reached so far is judged.
    for (const file of [...reached]) for (const from of influencedBy.get(file) ?? []) reached.add(from);
    for (const use of result.model.databaseUses) {
      if (use.key && !use.ownerIsOwn && reached.has(use.location.file)) for (const file of namingByKey.get(use.key) ?? []) reached.add(file);
    }
    // The values that code passes come through its imports.
    return closure([...reached], imports);
  };

  return projects.map((project) => {
    const needed = new Set<Project>(project.kind === 'service' ? [...filesReaching(project)].flatMap((file) => ownerOf(file) ?? []) : projects);
    needed.add(project);
    for (const other of projects) if (other.kind !== 'service') needed.add(other);
    const dependsOn = projects.filter((other) => other !== project && needed.has(other));
    return { project, dependsOn, inputs: inputGlobs(projects, needed, options) };
  });
}

function invert(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const inverted = new Map<string, string[]>();
  for (const [from, targets] of edges) for (const to of targets) inverted.set(to, [...(inverted.get(to) ?? []), from]);
  return inverted;
}

function fileOf(functionKey: string): string {
  return functionKey.slice(0, functionKey.lastIndexOf('#'));
}

/** Every file reachable from `start` along `edges`, `start` included. */
function closure(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
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
