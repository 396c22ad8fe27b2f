// Which files only some kind of code reaches through imports: the helpers only browser code imports run in a
// browser, the library only scripts import runs as a tool. Works on sets, so import cycles (stores that import their
// root store and back) do not hide a file: every file the seeds reach, less those that other code also reaches.

/**
 * @param seeds the files of that kind
 * @param imports file → the workspace files it imports
 * @param eligible whether a reached file may take the seeds' kind
 * @param neutral importers that count neither way (code that is never judged, such as browser code for tools)
 */
export function reachedOnlyFrom(seeds: ReadonlySet<string>, imports: Map<string, string[]>, eligible: (file: string) => boolean, neutral: (file: string) => boolean = () => false): Set<string> {
  const reached = new Set<string>();
  const queue = [...seeds];
  while (queue.length > 0) {
    for (const target of imports.get(queue.pop()!) ?? []) {
      if (!seeds.has(target) && eligible(target) && !reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  // Reached from other code too, and all that code imports in turn.
  const shared = new Set<string>();
  for (const [from, targets] of imports) {
    if (seeds.has(from) || reached.has(from) || neutral(from)) continue;
    for (const target of targets) if (reached.has(target)) shared.add(target);
  }
  const pending = [...shared];
  while (pending.length > 0) {
    for (const target of imports.get(pending.pop()!) ?? []) {
      if (reached.has(target) && !shared.has(target)) {
        shared.add(target);
        pending.push(target);
      }
    }
  }
  return new Set([...reached].filter((file) => !shared.has(file)));
}
