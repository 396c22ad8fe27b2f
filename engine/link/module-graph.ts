// dependency-cruiser's view of the imports that cross service boundaries: how each one resolves (relative path,
// tsconfig alias, workspace package, …), for messages and reports. It runs only over the files that have such
// imports, so a workspace without them pays nothing.
import * as path from 'node:path';
import type { CrossServiceImport } from '../model/types';

export async function describeImports(root: string, imports: CrossServiceImport[], warnings: string[]): Promise<void> {
  if (imports.length === 0) return;
  const files = [...new Set(imports.map((item) => item.file))];
  let modules: Array<{ source: string; dependencies: Array<{ module: string; resolved: string; couldNotResolve: boolean; dependencyTypes: string[] }> }>;
  try {
    const { cruise } = await import('dependency-cruiser');
    const result = await cruise(files, { baseDir: root, maxDepth: 1, doNotFollow: { path: 'node_modules' }, tsPreCompilationDeps: true, validate: false });
    modules = typeof result.output === 'string' ? [] : (result.output.modules as typeof modules);
  } catch (error) {
    warnings.push(`dependency-cruiser could not describe the cross-service imports: ${(error as Error).message}`);
    modules = [];
  }
  const described = new Map<string, string[]>();
  for (const module of modules) {
    for (const dependency of module.dependencies) {
      if (!dependency.couldNotResolve) described.set(`${toPosix(module.source)}\0${dependency.module}`, dependency.dependencyTypes);
    }
  }
  for (const item of imports) {
    // What dependency-cruiser cannot resolve without node_modules (a workspace package name) we resolved ourselves.
    item.dependencyTypes = described.get(`${item.file}\0${item.specifier}`) ?? [item.specifier.startsWith('.') ? 'local' : 'aliased-workspace'];
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
