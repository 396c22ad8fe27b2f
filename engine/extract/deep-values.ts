import type { FileFacts } from './facts';

/**
 * How deep a value may nest in facts extracted on the large stack. Evaluation stops at depth 48 anyway
 * (engine/link/evaluate.ts); what is cut becomes `unknown`, which no rule reports on.
 */
export const MAX_VALUE_DEPTH = 200;

/** Replaces every value (an object with a `k`) nested deeper than MAX_VALUE_DEPTH with `unknown`, in place. */
export function limitValueDepth(facts: FileFacts): FileFacts {
  // An explicit stack: these facts came from a file too deep for recursion.
  const stack: Array<{ node: unknown; depth: number }> = [{ node: facts, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const entries = node as Record<string, unknown>;
    for (const key of Object.keys(entries)) {
      const child = entries[key];
      if (typeof child !== 'object' || child === null) continue;
      const isValue = typeof (child as { k?: unknown }).k === 'string';
      const childDepth = isValue ? depth + 1 : depth;
      if (isValue && childDepth > MAX_VALUE_DEPTH) entries[key] = { k: 'unknown' };
      else stack.push({ node: child, depth: childDepth });
    }
  }
  return facts;
}
