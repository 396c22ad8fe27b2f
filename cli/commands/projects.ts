// `breakwater projects [root]`: the projects per-project CI tasks fan out over (see docs/ci-monorepo.md); with
// `--inputs`, what each one's findings depend on; with `--write-turbo`, those inputs as per-package turbo.json files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse, defaultCacheLocation, FactsCache } from '../../engine';
import { discoverProjects, type Project } from '../projects';
import { planTurboFiles, projectInputs, type ProjectInputs } from '../project-inputs';
import { isDirectory, UsageError } from '../io';
import { writeFileSafely } from '../../engine/io/write';

export interface ProjectsOptions {
  format: 'text' | 'json';
  config?: string;
  includeTests?: boolean;
  inputs?: boolean;
  writeTurbo?: boolean;
  check?: boolean;
  task: string;
  cache?: boolean;
}

export const projectFormats = ['text', 'json'];

/** Returns the exit code: 1 when `--check` finds a turbo.json out of date. */
export async function projectsCommand(rootArg: string | undefined, options: ProjectsOptions): Promise<number> {
  const root = path.resolve(rootArg ?? '.');
  if (!isDirectory(root)) throw new UsageError(fs.existsSync(root) ? `${rootArg} is not a folder` : `no such folder: ${rootArg}`);
  if (options.check && !options.writeTurbo) throw new UsageError('--check goes with --write-turbo: it reports the turbo.json files that --write-turbo would change');
  const projects = discoverProjects(root, { configFile: options.config, includeTests: options.includeTests });
  if (!options.inputs && !options.writeTurbo) {
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(projects, null, 2)}\n` : formatText(projects));
    return 0;
  }
  const entries = await analyseInputs(root, projects, options);
  if (options.writeTurbo) return writeTurbo(root, entries, options);
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(entries.map(toJson), null, 2)}\n` : formatText(projects, entries));
  return 0;
}

/** One whole-workspace analysis, then each project's inputs. */
async function analyseInputs(root: string, projects: Project[], options: Pick<ProjectsOptions, 'config' | 'includeTests' | 'cache'>): Promise<ProjectInputs[]> {
  const cache = options.cache ? new FactsCache(defaultCacheLocation(root), root) : undefined;
  const result = await analyse(root, { configFile: options.config, includeTests: options.includeTests, cache, callGraph: true });
  const problem = cache?.save();
  if (problem) process.stderr.write(`breakwater: warning: ${problem}\n`);
  for (const warning of result.warnings) process.stderr.write(`breakwater: warning: ${warning}\n`);
  return projectInputs(result, projects);
}

function writeTurbo(root: string, entries: ProjectInputs[], options: ProjectsOptions): number {
  const { plans, skipped, problems } = planTurboFiles(root, entries, options.task);
  for (const problem of problems) process.stderr.write(`breakwater: ${problem}\n`);
  for (const project of skipped) {
    const why = project.folder === '.' ? `its task is the root task, //#${options.task}, in the root turbo.json` : 'no package.json, so Turborepo runs no task there';
    process.stderr.write(`breakwater: skipped ${project.name} (${project.folder}): ${why}\n`);
  }
  const changed = plans.filter((plan) => plan.state !== 'unchanged');
  if (options.check) {
    for (const plan of changed) process.stdout.write(`${plan.file}: out of date\n`);
    if (changed.length === 0) process.stdout.write(`${plans.length} turbo.json file(s) up to date\n`);
    if (problems.length > 0) return 2;
    return changed.length > 0 ? 1 : 0;
  }
  let refused = false;
  for (const plan of plans) {
    if (plan.text !== undefined) {
      // Never through a link: a committed `turbo.json -> ~/.bashrc` must not be overwritten (engine/io/write.ts).
      try {
        writeFileSafely(root, path.join(root, plan.file), plan.text);
      } catch (error) {
        process.stderr.write(`breakwater: ${plan.file}: not written: ${(error as Error).message}\n`);
        refused = true;
        continue;
      }
    }
    process.stdout.write(`${plan.file}: ${plan.state}\n`);
  }
  return problems.length > 0 || refused ? 2 : 0;
}

function toJson({ project, dependsOn, inputs }: ProjectInputs) {
  return { ...project, dependsOn: dependsOn.map((other) => other.name), inputs };
}

/**
 * `name  folder  kind  evidence`, aligned, one project a line: `while read -r name folder kind evidence` reads it.
 * With `--inputs`, the projects it depends on come before the evidence, comma-separated (`-` for none).
 */
function formatText(projects: Project[], entries?: ProjectInputs[]): string {
  const nameWidth = Math.max(0, ...projects.map((project) => project.name.length));
  const folderWidth = Math.max(0, ...projects.map((project) => project.folder.length));
  const kindWidth = Math.max(0, ...projects.map((project) => project.kind.length));
  return projects
    .map((project, index) => {
      const columns = [project.name.padEnd(nameWidth), project.folder.padEnd(folderWidth), project.kind.padEnd(kindWidth)];
      if (entries) {
        const names = entries[index].dependsOn.map((other) => other.name);
        columns.push(names.length > 0 ? names.join(',') : '-');
      }
      return `${columns.join('  ')}  ${project.evidence}\n`;
    })
    .join('');
}
