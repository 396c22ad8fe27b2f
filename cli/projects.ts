// Projects: the units a monorepo's build orchestrator runs `breakwater check --service` for, one task each.
// Every service and every shared library is a project. Files outside all of them (root scripts, say) make one more,
// the workspace root. Each file belongs to exactly one project, the innermost folder that holds it (as the engine
// assigns files to services), so per-project reports split the whole-workspace report with no gap and no overlap.
import * as path from 'node:path';
import { loadConfig } from '../engine/config/config';
import { listSourceFiles } from '../engine/discover/files';
import { discoverLayout, type WorkspaceLayout } from '../engine/discover/workspace';
import type { SourceFileEntry } from '../engine';
import { UsageError } from './io';

/** `service`, `browser` and `tool` are deployable units (each runs its own code); `library` and `root` are shared code. */
export type ProjectKind = 'service' | 'browser' | 'tool' | 'library' | 'root';

export interface Project {
  name: string;
  kind: ProjectKind;
  /** Relative to the workspace root, `/`-separated; `.` for the root. */
  folder: string;
  packageName?: string;
  /** Why the project is of its kind: what discovery saw. */
  evidence: string;
}

/** Shared code: its findings depend on every project that uses it. */
export function isSharedCode(project: Project): boolean {
  return project.kind === 'library' || project.kind === 'root';
}

/** The name of the project that holds the files outside every service and library. */
export const ROOT_PROJECT_NAME = 'root';

export interface DiscoverOptions {
  configFile?: string;
  includeTests?: boolean;
}

/** Reads the layout and lists the files the way `analyse()` does, without parsing anything. */
export function discoverProjects(root: string, options: DiscoverOptions = {}): Project[] {
  const { config } = loadConfig(root, options.configFile);
  const layout = discoverLayout(root, config);
  return projectsOf(layout, listSourceFiles(root, layout, config, { includeTests: options.includeTests }));
}

/** Services, then libraries, each by folder; the root last, and only when some file belongs to nothing else. */
export function projectsOf(layout: WorkspaceLayout, files: readonly SourceFileEntry[]): Project[] {
  const projects: Project[] = [
    ...layout.services.map((service) => project(service.name, service.runs === 'server' ? 'service' : service.runs, service.root, service.packageName, service.evidence)),
    ...layout.libraries.map((library) => project(library.name, 'library', library.root, library.packageName, library.evidence)),
  ];
  const rootIsAProject = projects.some((candidate) => candidate.folder === '.');
  if (!rootIsAProject && files.some((file) => projectOf(projects, file.path) === undefined)) {
    const rootPackage = layout.packages.find((pkg) => pkg.root === '.');
    projects.push(project(ROOT_PROJECT_NAME, 'root', '.', rootPackage?.name, 'source files outside every service and library'));
  }
  return projects;
}

function project(name: string, kind: ProjectKind, folder: string, packageName: string | undefined, evidence: string): Project {
  return { name, kind, folder, ...(packageName ? { packageName } : {}), evidence };
}

/** The innermost project folder that holds `file` (relative to the root, `/`-separated). */
export function projectOf(projects: readonly Project[], file: string): Project | undefined {
  let owner: Project | undefined;
  for (const candidate of projects) {
    const holds = candidate.folder === '.' || file === candidate.folder || file.startsWith(`${candidate.folder}/`);
    if (holds && (!owner || depth(candidate.folder) > depth(owner.folder))) owner = candidate;
  }
  return owner;
}

function depth(folder: string): number {
  return folder === '.' ? 0 : folder.split('/').length;
}

/**
 * The projects `--service` names: each name may be a project name, a workspace package name or a folder relative
 * to the root. A name that matches nothing is a usage error listing the known names.
 */
export function selectProjects(projects: readonly Project[], names: readonly string[]): Project[] {
  const selected = new Set<Project>();
  const unknown: string[] = [];
  for (const name of names) {
    const folder = normaliseFolder(name);
    const matches = projects.filter((candidate) => candidate.name === name || candidate.packageName === name || candidate.folder === folder);
    if (matches.length === 0) unknown.push(name);
    for (const match of matches) selected.add(match);
  }
  if (unknown.length > 0) {
    const known = projects.length > 0 ? projects.map((candidate) => `${candidate.name} (${candidate.folder})`).join(', ') : 'none (no services or libraries were found)';
    throw new UsageError(`unknown project ${unknown.map((name) => `"${name}"`).join(', ')} in --service; known projects: ${known}. A project is named by its name, its package name or its folder.`);
  }
  return projects.filter((candidate) => selected.has(candidate));
}

/** `./services/orders/` and `services\orders` both name `services/orders`. */
function normaliseFolder(name: string): string {
  const folder = path.posix.normalize(name.replace(/\\/g, '/')).replace(/\/+$/, '');
  return folder === '' ? '.' : folder;
}
