// Which workspace files each file imports, as the evaluator follows them: imports, re-exports, `require`, dynamic
// `import()`, and type-only imports too (a Nest provider injected by its type is found through one).
import type { FileFacts } from '../extract/facts';
import type { ModuleResolver } from './modules';

/** File → the workspace files it imports (paths relative to the root), for every file in `facts`. */
export function importGraph(facts: Iterable<FileFacts>, resolver: ModuleResolver): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of facts) {
    const specifiers = new Set([...file.imports, ...file.reexportAll]);
    for (const binding of file.bindings) if (binding.kind === 'import' && binding.from !== undefined) specifiers.add(binding.from);
    const targets = new Set<string>();
    for (const specifier of specifiers) {
      const resolved = resolver.resolve(file.path, specifier);
      if (resolved.kind === 'file' && resolved.path !== file.path) targets.add(resolved.path);
    }
    graph.set(file.path, [...targets].sort());
  }
  return graph;
}
