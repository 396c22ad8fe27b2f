// Which policies (breakers, timeouts, limiters) a call runs under: the ones its function is handed to, the ones a
// breaker wrapping its client applies, and those of every caller when all of its callers run under them.
import type { FileFacts } from '../extract/facts';
import type { Registry } from './link';
import type { PolicyRecord, RequestRecord } from './values';

const MAX_CALLER_DEPTH = 4;

export class PolicyCoverage {
  private readonly memo = new Map<string, PolicyRecord[]>();

  constructor(private readonly registry: Registry) {}

  forRequest(request: RequestRecord): PolicyRecord[] {
    const own = request.policy ? [request.policy] : [];
    return unique([...own, ...this.forFunctionChain(request.file, request.file.calls[request.callIndex].fn, 0)]);
  }

  /** The policies covering code in function `fn` of `file` or in any function enclosing it. */
  private forFunctionChain(file: FileFacts, fn: number, depth: number): PolicyRecord[] {
    const found: PolicyRecord[] = [];
    for (let current = fn; current >= 0; current = file.functions[current].parent) found.push(...this.forFunction(file, current, depth));
    return unique(found);
  }

  private forFunction(file: FileFacts, fn: number, depth: number): PolicyRecord[] {
    const key = `${file.path}#${fn}`;
    const known = this.memo.get(key);
    if (known) return known;
    this.memo.set(key, []); // recursion guard
    const direct = this.registry.covered.get(key) ?? [];
    const result = unique([...direct, ...this.fromCallers(key, depth)]);
    this.memo.set(key, result);
    return result;
  }

  /** What every caller of a function runs under (a function called only from guarded code is guarded). */
  private fromCallers(key: string, depth: number): PolicyRecord[] {
    if (depth >= MAX_CALLER_DEPTH) return [];
    const callers = this.registry.invocations.get(key);
    if (!callers || callers.length === 0) return [];
    let common: PolicyRecord[] | undefined;
    for (const caller of callers) {
      const site = caller.site;
      const policies = this.forFunctionChain(site.file, site.file.calls[site.callIndex].fn, depth + 1);
      common = common ? common.filter((policy) => policies.includes(policy)) : policies;
      if (common.length === 0) return [];
    }
    return common ?? [];
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Who calls what, for telling a breaker made once from one made on every call. */
export class CallGraph {
  constructor(private readonly registry: Registry) {}

  /**
   * A policy is created per call when it is created inside a function that encloses the guarded call and that
   * function runs per request: it is called from other functions, or from nowhere we can see (a handler). A factory
   * called only at module level, or a constructor, makes it once.
   */
  createdPerCall(policy: PolicyRecord, request: RequestRecord): boolean {
    const createdIn = policy.file.calls[policy.callIndex].fn;
    if (createdIn < 0 || policy.file !== request.file) return false;
    const fact = policy.file.functions[createdIn];
    if (fact.name === 'constructor') return false;
    let encloses = false;
    for (let fn = request.file.calls[request.callIndex].fn; fn >= 0; fn = request.file.functions[fn].parent) if (fn === createdIn) encloses = true;
    if (!encloses) return false;
    const callers = this.registry.invocations.get(`${policy.file.path}#${createdIn}`) ?? [];
    return callers.length === 0 || callers.some((caller) => caller.site.file.calls[caller.site.callIndex].fn >= 0);
  }
}
