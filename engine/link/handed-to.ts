// Which functions a file hands to calls as arguments, and to which: `withBreaker(() => fetch(…))`,
// `setInterval(flush, 5000)`, `guardedCall(name, loadStock)`. Computed once per file.
import type { FileFacts } from '../extract/facts';

const byFile = new WeakMap<FileFacts, Map<number, string[]>>();

/** Function index → the called names (as written) it is handed to: an inline function, or one of this file handed over by name. */
export function handedTo(file: FileFacts): Map<number, string[]> {
  let map = byFile.get(file);
  if (map) return map;
  map = new Map();
  for (const call of file.calls) {
    for (const arg of call.args) {
      const value = arg.k === 'ref' ? file.bindings[arg.b]?.value : arg;
      if (value?.k === 'fn') map.set(value.f, [...(map.get(value.f) ?? []), call.text]);
    }
  }
  byFile.set(file, map);
  return map;
}
