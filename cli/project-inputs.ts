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
//   - other services that call into the same shared code (a helper's callers are judged together: wrappers, policy
//     coverage and the call graph take every caller into account), or that change a shared client S uses;
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
const NEVER_READ = ['!**/node_modules/**', '!.git/**', '!**/.turbo/**', '!**/.nx/**', '!**/{dist,build,out,coverage}/**', '!**/*.{sarif,md}', '!**/turbo.json'];

export function projectInputs(result: AnalysisResult, projects: readonly Project[]): ProjectInputs[] {
  const imports = result.importGraph();
  const importedBy = new Map<string, string[]>();
  for (const [file, targets] of imports) for (const target of targets) importedBy.set(target, [...(importedBy.get(target) ?? []), file]);
  const filesOf = new Map<Project, string[]>(projects.map((project) => [project, []]));
  for (const file of imports.keys()) {
    const owner = projectOf(projects, file);
    if (owner) filesOf.get(owner)!.push(file);
  }
  const sharedFiles = projects.filter((project) => project.kind !== 'service').flatMap((project) => filesOf.get(project)!);
  // Where a connection's owner is told by the connection itself, keyed by database: the uses that can hand their
  // owner to a connection that does not tell its own.
  const namingByKey = new Map<string, string[]>();
  for (const use of result.model.databaseUses) if (use.key && use.ownerIsOwn) namingByKey.set(use.key, [...(namingByKey.get(use.key) ?? []), use.location.file]);

  const ownerOf = (file: string) => projectOf(projects, file);
  const sharing = new SharedCode(result, ownerOf);

  return projects.map((project) => {
    let reached: Set<string> | undefined;
    if (project.kind === 'service') {
      const callers = closure(filesOf.get(project)!, importedBy);
      reached = closure([...callers, ...sharedFiles], imports);
      for (const use of result.model.databaseUses) {
        if (use.key && !use.ownerIsOwn && reached.has(use.location.file)) for (const file of namingByKey.get(use.key) ?? []) reached.add(file);
      }
    }
    const needed = new Set<Project>(reached ? [...reached].flatMap((file) => ownerOf(file) ?? []) : projects);
    if (reached) for (const other of sharing.servicesSharingWith(project, reached)) needed.add(other);
    needed.add(project);
    for (const other of projects) if (other.kind !== 'service') needed.add(other);
    const dependsOn = projects.filter((other) => other !== project && needed.has(other));
    return { project, dependsOn, inputs: inputGlobs(projects, needed) };
  });
}

/**
 * Which services meet in shared code: the functions of libraries and root files that their code calls, directly or
 * through other shared functions (or that call theirs), and the shared clients they change after creation.
 */
class SharedCode {
  private readonly neighbours = new Map<string, string[]>();
  private readonly mutatedBy = new Map<string, Set<Project>>();

  constructor(result: AnalysisResult, private readonly ownerOf: (file: string) => Project | undefined) {
    for (const { caller, callee } of result.model.functionCalls) {
      this.neighbours.set(caller, [...(this.neighbours.get(caller) ?? []), callee]);
      this.neighbours.set(callee, [...(this.neighbours.get(callee) ?? []), caller]);
    }
    for (const { file, clientFile } of result.model.clientMutations) {
      const mutator = ownerOf(file);
      if (mutator?.kind === 'service') this.mutatedBy.set(clientFile, new Set([...(this.mutatedBy.get(clientFile) ?? []), mutator]));
    }
  }

  /** The other services whose calls into shared code, or changes to shared clients in `reached`, can change `service`'s findings. */
  servicesSharingWith(service: Project, reached: ReadonlySet<string>): Set<Project> {
    const found = new Set<Project>();
    for (const [clientFile, mutators] of this.mutatedBy) if (reached.has(clientFile)) for (const mutator of mutators) found.add(mutator);
    // From the service's functions, through shared functions only: a function of another service met on the way is
    // one whose calls are judged with this service's.
    const seen = new Set<string>();
    const queue = [...this.neighbours.keys()].filter((node) => this.ownerOf(fileOf(node)) === service);
    for (const node of queue) seen.add(node);
    while (queue.length > 0) {
      for (const next of this.neighbours.get(queue.pop()!) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        const owner = this.ownerOf(fileOf(next));
        if (owner && owner.kind === 'service' && owner !== service) found.add(owner);
        else queue.push(next);
      }
    }
    found.delete(service);
    return found;
  }
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

function inputGlobs(projects: readonly Project[], needed: ReadonlySet<Project>): string[] {
  // A folder can be left out only when no needed project lies inside it (a library nested in a service's folder).
  const excluded = projects.filter(
    (other) => !needed.has(other) && other.folder !== '.' && ![...needed].some((kept) => kept.folder === other.folder || kept.folder.startsWith(`${other.folder}/`)),
  );
  return ['**', ...NEVER_READ, ...excluded.map((other) => exclusionOf(other.folder))];
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
