// `breakwater projects [root]`: the projects per-project CI tasks fan out over (see docs/ci-monorepo.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, type Project } from '../projects';
import { isDirectory, UsageError } from '../io';

export interface ProjectsOptions {
  format: 'text' | 'json';
  config?: string;
  includeTests?: boolean;
}

export const projectFormats = ['text', 'json'];

export function projectsCommand(rootArg: string | undefined, options: ProjectsOptions): void {
  const root = path.resolve(rootArg ?? '.');
  if (!isDirectory(root)) throw new UsageError(fs.existsSync(root) ? `${rootArg} is not a folder` : `no such folder: ${rootArg}`);
  const projects = discoverProjects(root, { configFile: options.config, includeTests: options.includeTests });
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(projects, null, 2)}\n` : formatText(projects));
}

/** `name  folder  kind`, aligned, one project a line: `while read -r name folder kind` reads it. */
function formatText(projects: Project[]): string {
  const nameWidth = Math.max(0, ...projects.map((project) => project.name.length));
  const folderWidth = Math.max(0, ...projects.map((project) => project.folder.length));
  return projects.map((project) => `${project.name.padEnd(nameWidth)}  ${project.folder.padEnd(folderWidth)}  ${project.kind}\n`).join('');
}
