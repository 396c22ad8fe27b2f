// dependency-cruiser's view of the imports that cross service boundaries: how each one resolves (relative path,
// tsconfig alias, workspace package, …), for messages and reports. It runs only over the files that have such
// imports, so a workspace without them pays nothing, and with a cache only over those that changed since the last run.
import * as path from 'node:path';
import type { CrossServiceImport } from '../model/types';

/** What dependency-cruiser said of each file's imports, with the text it said it of: file → (specifier → types). */
export type ImportDescriptionCache = Map<string, { text: string; described: Map<string, string[]> }>;

export async function describeImports(
  root: string,
  imports: CrossServiceImport[],
  warnings: string[],
  cache: ImportDescriptionCache = new Map(),
  textOf: (file: string) => string | undefined = () => undefined,
): Promise<void> {
  if (imports.length === 0) return;
  const files = [...new Set(imports.map((item) => item.file))];
  const stale = files.filter((file) => {
    const cached = cache.get(file);
    return !cached || cached.text !== textOf(file);
  });
  if (stale.length > 0) {
    const fresh = await cruiseFiles(root, stale, warnings);
    for (const file of stale) cache.set(file, { text: textOf(file) ?? '', described: fresh.get(file) ?? new Map() });
  }
  for (const item of imports) {
    // What dependency-cruiser cannot resolve without node_modules (a workspace package name) we resolved ourselves.
    item.dependencyTypes = cache.get(item.file)?.described.get(item.specifier) ?? [item.specifier.startsWith('.') ? 'local' : 'aliased-workspace'];
  }
}

/** file → (specifier → dependency types), for the files given. */
async function cruiseFiles(root: string, files: string[], warnings: string[]): Promise<Map<string, Map<string, string[]>>> {
  let modules: Array<{ source: string; dependencies: Array<{ module: string; resolved: string; couldNotResolve: boolean; dependencyTypes: string[] }> }>;
  try {
    const { cruise } = await import('dependency-cruiser');
    const result = await cruise(files, { baseDir: root, maxDepth: 1, doNotFollow: { path: 'node_modules' }, tsPreCompilationDeps: true, validate: false });
    modules = typeof result.output === 'string' ? [] : (result.output.modules as typeof modules);
  } catch (error) {
    warnings.push(`dependency-cruiser could not describe the cross-service imports: ${(error as Error).message}`);
    modules = [];
  }
  const described = new Map<string, Map<string, string[]>>();
  for (const module of modules) {
    const byFile = described.get(toPosix(module.source)) ?? new Map<string, string[]>();
    for (const dependency of module.dependencies) {
      if (!dependency.couldNotResolve) byFile.set(dependency.module, dependency.dependencyTypes);
    }
    described.set(toPosix(module.source), byFile);
  }
  return described;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
