// Which policies (breakers, timeouts, limiters) a call runs under: the ones its function is handed to, the ones a
// breaker wrapping its client applies, and those of every caller when all of its callers run under them.
import type { FileFacts, Val } from '../extract/facts';
import type { InHouseBreakers } from './in-house-breakers';
import type { Registry } from './link';
import type { Frame, PolicyRecord, RequestRecord } from './values';
import { IndirectCalls } from './indirect-calls';

/** How many functions (and frames) a limiter's reach may visit when following calls through parameters. */
const MAX_INDIRECT_STATES = 20_000;

export type PolicyKind = 'breaker' | 'timeout' | 'retry' | 'bulkhead';

/** What code runs under: policies it always runs under, and kinds of policy it always runs under (maybe different ones per caller). */
export interface Coverage {
  policies: PolicyRecord[];
  kinds: PolicyKind[];
}

const NONE: Coverage = { policies: [], kinds: [] };

export class PolicyCoverage {
  private readonly memo = new Map<string, Coverage>();
  private readonly active = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly inHouseBreakers: InHouseBreakers,
  ) {}

  forRequest(request: RequestRecord): Coverage {
    const own = request.policy ? { policies: [request.policy], kinds: kindsOf(request.policy) } : NONE;
    return merge(own, this.forFunctionChain(request.file, request.file.calls[request.callIndex].fn));
  }

  /** What code in function `fn` of `file`, or in any function enclosing it, always runs under. */
  forFunctionChain(file: FileFacts, fn: number): Coverage {
    let coverage = NONE;
    for (let current = fn; current >= 0; current = file.functions[current].parent) coverage = merge(coverage, this.forFunction(file, current));
    return coverage;
  }

  private forFunction(file: FileFacts, fn: number): Coverage {
    const key = `${file.path}#${fn}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.active.has(key)) return NONE;
    this.active.add(key);
    const direct = this.registry.covered.get(key) ?? [];
    const kinds: PolicyKind[] = [...direct.flatMap(kindsOf), ...(this.inHouseBreakers.guards(file, fn) ? (['breaker'] as const) : [])];
    const result = merge({ policies: direct, kinds: unique(kinds) }, this.fromCallers(file, fn));
    this.active.delete(key);
    this.memo.set(key, result);
    return result;
  }

  /**
   * What every caller of a function runs under: a function called only from guarded code is guarded. A caller still
   * being worked out (mutual recursion) decides nothing; a recursive call is no caller.
   */
  private fromCallers(file: FileFacts, fn: number): Coverage {
    const callers = this.registry.callersOf(file, fn).filter(({ site }) => !this.active.has(`${site.file.path}#${site.file.calls[site.callIndex].fn}`));
    if (callers.length === 0) return NONE;
    let common: Coverage | undefined;
    for (const { site } of callers) {
      const coverage = this.forFunctionChain(site.file, site.file.calls[site.callIndex].fn);
      common = common
        ? { policies: common.policies.filter((policy) => coverage.policies.includes(policy)), kinds: common.kinds.filter((kind) => coverage.kinds.includes(kind)) }
        : coverage;
      if (common.kinds.length === 0) return NONE;
    }
    return common ?? NONE;
  }
}

/** What a policy does: its kinds, with `timeout` only when it bounds the call (opossum's 10 s default, an Aggressive timeout). */
export function kindsOf(policy: PolicyRecord): PolicyKind[] {
  // A cockatiel Cooperative timeout only signals: it bounds nothing by itself.
  return unique([...policy.kinds.filter((kind) => kind !== 'timeout'), ...(policy.timeoutMs !== undefined ? (['timeout'] as const) : [])]);
}

function merge(a: Coverage, b: Coverage): Coverage {
  return { policies: unique([...a.policies, ...b.policies]), kinds: unique([...a.kinds, ...b.kinds]) };
}

/** Methods a framework runs once, at start-up. */
const ONCE_METHODS = new Set(['constructor', 'onModuleInit', 'onApplicationBootstrap', 'init', 'setup', 'bootstrap']);

/** Is `a` the same call or variable as `b`? (The only targets asked about; no deep comparison of values.) */
function sameVal(a: Val, b: Val): boolean {
  if (a.k === 'call' && b.k === 'call') return a.c === b.c;
  if (a.k === 'ref' && b.k === 'ref') return a.b === b.b;
  return false;
}

/** Does a value mention `target` (directly, or among alternatives and object properties)? */
function mentions(val: Val, target: Val, depth = 0): boolean {
  if (depth > 6) return false;
  if (sameVal(val, target)) return true;
  if (val.k === 'alt') return val.opts.some((option) => mentions(option, target, depth + 1));
  if (val.k === 'obj') return val.props.some((prop) => ('v' in prop && mentions(prop.v, target, depth + 1)) || ('spread' in prop && mentions(prop.spread, target, depth + 1)));
  if (val.k === 'arr') return val.items.some((item) => mentions(item, target, depth + 1));
  return false;
}

/** Does the variable's value leave its function: passed to a call, stored in a property or an object, or returned? */
function escapes(file: FileFacts, binding: number): boolean {
  const ref: Val = { k: 'ref', b: binding };
  return (
    file.calls.some((call) => call.args.some((arg) => mentions(arg, ref))) ||
    file.assignments.some((assignment) => mentions(assignment.value, ref)) ||
    file.functions.some((fn) => fn.returns.some((value) => mentions(value, ref))) ||
    file.classes.some((cls) => Object.values(cls.members).some((value) => mentions(value, ref))) ||
    file.bindings.some((other, index) => index !== binding && mentions(other.value, ref))
  );
}

const freshMemo = new WeakMap<FileFacts, Map<number, boolean>>();

/**
 * Does each run of the function holding call `callIndex` make a new policy there: one it hands back (returned, directly
 * or through a local variable) without keeping it anywhere (a map, a field, an argument)? A factory that memoises
 * (`breakers.set(name, breaker)`, `this.limiter ??= pLimit(4)`) keeps one policy for all its calls.
 */
export function madeFreshPerCall(file: FileFacts, callIndex: number): boolean {
  let byCall = freshMemo.get(file);
  if (!byCall) freshMemo.set(file, (byCall = new Map()));
  const known = byCall.get(callIndex);
  if (known !== undefined) return known;
  const made: Val = { k: 'call', c: callIndex };
  const holders = file.bindings.flatMap((binding, index) => (!binding.moduleLevel && mentions(binding.value, made) ? [index] : []));
  const values: Val[] = [made, ...holders.map((holder): Val => ({ k: 'ref', b: holder }))];
  const kept = values.some(
    (value) =>
      file.calls.some((call) => call.args.some((arg) => mentions(arg, value))) ||
      file.assignments.some((assignment) => mentions(assignment.value, value)) ||
      file.classes.some((cls) => Object.values(cls.members).some((member) => mentions(member, value))) ||
      file.bindings.some((binding, index) => binding.moduleLevel && !holders.includes(index) && mentions(binding.value, value)),
  );
  byCall.set(callIndex, !kept);
  return !kept;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Who calls what: for telling a breaker made once from one made on every call, and what a limiter reaches. */
export class CallGraph {
  private forward?: Map<string, Set<string>>;
  private readonly reachedMemo = new Map<PolicyRecord, Set<string>>();
  private coveredIndex?: Map<PolicyRecord, string[]>;
  private indirect?: IndirectCalls;

  constructor(private readonly registry: Registry) {}

  /**
   * The functions (`file#fn`) whose code runs under `policy` on at least one path. What a limiter (a policy with a
   * capacity) runs is also followed through functions read from parameters (IndirectCalls).
   */
  reachedFunctions(policy: PolicyRecord): Set<string> {
    const known = this.reachedMemo.get(policy);
    if (known) return known;
    const start = this.coveredBy().get(policy) ?? [];
    const reached = policy.capacity === undefined ? this.reachedFrom(start) : this.reachedWithIndirect(policy, start);
    this.reachedMemo.set(policy, reached);
    return reached;
  }

  /**
   * Like reachedFrom, and through calls of functions read from parameters: in the frame a function was handed to the
   * policy in (so a wrapper's caller's limiter runs that caller's callback only), else in every frame it runs in.
   */
  private reachedWithIndirect(policy: PolicyRecord, start: string[]): Set<string> {
    this.indirect ??= new IndirectCalls(this.registry, this.registry.evaluator);
    const forward = this.forwardEdges();
    const reached = new Set<string>();
    const seen = new Set<Frame | string>();
    const queue: Array<{ key: string; frame?: Frame }> = start.flatMap((key) => (this.registry.coverFrames.get(`${key} ${policy.id}`) ?? [undefined]).map((frame) => ({ key, frame })));
    while (queue.length > 0 && seen.size < MAX_INDIRECT_STATES) {
      const { key, frame } = queue.pop()!;
      if (seen.has(frame ?? key)) continue;
      seen.add(frame ?? key);
      if (!reached.has(key)) {
        reached.add(key);
        for (const callee of forward.get(key) ?? []) queue.push({ key: callee });
      }
      const at = key.lastIndexOf('#');
      const file = this.registry.evaluator.file(key.slice(0, at));
      if (!file) continue;
      for (const fn of this.indirect.calledIn(file, Number(key.slice(at + 1)), frame)) queue.push({ key: `${fn.file.path}#${fn.fn}`, frame: fn.frame });
    }
    return reached;
  }

  /** Policy → the functions (`file#fn`) it covers directly: the registry's map inverted once (not scanned per policy). */
  private coveredBy(): Map<PolicyRecord, string[]> {
    if (!this.coveredIndex) {
      this.coveredIndex = new Map();
      for (const [key, policies] of this.registry.covered) {
        for (const policy of policies) {
          if (this.registry.coveredByChoice.has(`${key} ${policy.id}`)) continue;
          const keys = this.coveredIndex.get(policy) ?? [];
          keys.push(key);
          this.coveredIndex.set(policy, keys);
        }
      }
    }
    return this.coveredIndex;
  }

  /** The functions reachable from these (`file#fn`) through calls, the start included. */
  reachedFrom(start: string[]): Set<string> {
    const forward = this.forwardEdges();
    const reached = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const key = queue.pop()!;
      if (reached.has(key)) continue;
      reached.add(key);
      for (const callee of forward.get(key) ?? []) if (!reached.has(callee)) queue.push(callee);
    }
    return reached;
  }

  /** Is code at call `callIndex` of `file` inside one of these functions (or a function nested in one)? */
  static inside(file: FileFacts, callIndex: number, functions: Set<string>): boolean {
    // Asked for every call against every policy's reach: look up the file first, so most answers cost one map lookup.
    const inFile = byFile(functions).get(file.path);
    if (!inFile) return false;
    for (let fn = file.calls[callIndex].fn; fn >= 0; fn = file.functions[fn].parent) if (inFile.has(fn)) return true;
    return false;
  }

  /** Caller function → the functions it calls, from every function enclosing the call site. */
  private forwardEdges(): Map<string, Set<string>> {
    if (this.forward) return this.forward;
    const forward = new Map<string, Set<string>>();
    for (const [callee, callers] of this.registry.invocations) {
      for (const { site } of callers) {
        for (let fn = site.file.calls[site.callIndex].fn; fn >= 0; fn = site.file.functions[fn].parent) {
          const key = `${site.file.path}#${fn}`;
          const set = forward.get(key) ?? new Set<string>();
          set.add(callee);
          forward.set(key, set);
        }
      }
    }
    this.forward = forward;
    return forward;
  }

  /**
   * A policy is created per call when a run of a per-request function makes its own and keeps it to itself: created
   * in a function that runs per request (handling a request, or not only once at start-up), held in a local variable
   * (or used inline) that never escapes into a field, a map, an argument or a return value. A breaker memoised in
   * `this.breaker ??= …`, a registry or `onModuleInit` is made once.
   */
  createdPerCall(policy: PolicyRecord, whileHandlingRequest: boolean): boolean {
    const file = policy.file;
    const createdIn = file.calls[policy.callIndex].fn;
    if (createdIn < 0 || ONCE_METHODS.has(file.functions[createdIn].name ?? '')) return false;
    const made: Val = { k: 'call', c: policy.callIndex };
    const holders = file.bindings.flatMap((binding, index) => (!binding.moduleLevel && mentions(binding.value, made) ? [index] : []));
    const usedInline = file.calls.some((call) => call.callee.k === 'get' && sameVal(call.callee.o, made));
    if (holders.length === 0 && !usedInline) return false;
    if (holders.some((holder) => escapes(file, holder))) return false;
    return whileHandlingRequest || !this.runsOnce(file, createdIn, 0);
  }

  /** Is this policy one instance per process: made at module level, or by a function called from one place, once? */
  singleInstance(policy: PolicyRecord): boolean {
    const createdIn = policy.file.calls[policy.callIndex].fn;
    if (createdIn < 0) return true;
    if (policy.file.functions[createdIn].name === 'constructor') return false; // one per instance of its class
    return this.registry.callersOf(policy.file, createdIn).length === 1 && this.runsOnce(policy.file, createdIn, 0);
  }

  private runsOnce(file: FileFacts, fn: number, depth: number): boolean {
    if (file.functions[fn].name === 'constructor') return true;
    if (depth > 4) return false;
    const callers = this.registry.callersOf(file, fn);
    if (callers.length === 0) return false;
    return callers.every(({ site }) => {
      const outer = site.file.calls[site.callIndex].fn;
      return outer < 0 || this.runsOnce(site.file, outer, depth + 1);
    });
  }
}

/** The files that hold at least one of these functions (`file#fn` keys). */
export function filesOf(functions: Set<string>): Iterable<string> {
  return byFile(functions).keys();
}

const functionsByFile = new WeakMap<Set<string>, Map<string, Set<number>>>();

/** `file#fn` keys grouped by file, computed once per set (sets of reached functions are not changed once made). */
function byFile(functions: Set<string>): Map<string, Set<number>> {
  let grouped = functionsByFile.get(functions);
  if (!grouped) {
    grouped = new Map();
    for (const key of functions) {
      const at = key.lastIndexOf('#');
      const file = key.slice(0, at);
      const set = grouped.get(file) ?? new Set<number>();
      set.add(Number(key.slice(at + 1)));
      grouped.set(file, set);
    }
    functionsByFile.set(functions, grouped);
  }
  return grouped;
}
