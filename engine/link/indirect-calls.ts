// Calls the evaluator cannot follow outside a frame: a function read from a parameter (`engine.fn(q)`, `factory()`)
// or handed to a promise (`Promise.resolve().then(factory)`). In each frame its function runs in (each caller's
// arguments, or each item of the literal list it is the callback of: `ENGINES.map((engine) => runEngine(engine, q))`)
// the parameter is known, and so is the function. What a limiter runs is followed through these calls too.
import type { FileFacts, Val } from '../extract/facts';
import type { CallSite, Evaluator } from './evaluate';
import type { Frame, Resolved } from './values';

interface Callers {
  callersOf(file: FileFacts, fn: number): Array<{ site: CallSite; args: Frame['args'] }>;
}

/** Array methods whose callback gets each item as its first argument. */
const ITERATION = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex']);
/** Promise methods that run the function they are handed. */
const RUNS_CALLBACK = new Set(['then', 'catch', 'finally']);
const MAX_ITEMS = 32;
const MAX_CALLERS = 24;
const MAX_FRAMES = 64;
const MAX_DEPTH = 3;
const UNKNOWN: Val = { k: 'unknown' };

type Fn = Extract<Resolved, { t: 'fn' }>;

export class IndirectCalls {
  private readonly sites = new WeakMap<FileFacts, Array<{ callIndex: number; vals: Val[] }>>();
  private readonly lists = new WeakMap<FileFacts, Map<number, Val>>();
  private readonly frames = new Map<string, Frame[]>();
  private readonly active = new Set<string>();

  constructor(
    private readonly registry: Callers,
    private readonly evaluator: Evaluator,
  ) {}

  /**
   * The functions that calls written in function `fn` of `file` (or in functions nested in it) run through a
   * parameter: in `frame` when given (the frame the function was made in), else in every frame its callers or its
   * list give. A parameter no frame makes known gives nothing.
   */
  calledIn(file: FileFacts, fn: number, frame?: Frame): Fn[] {
    // Asked once linking is done: evaluating here must not record anything that would change other answers.
    return this.evaluator.quietly(() => {
      const found: Fn[] = [];
      for (const { callIndex, vals } of this.sitesOf(file)) {
        if (!within(file, file.calls[callIndex].fn, fn)) continue;
        for (const val of vals) found.push(...this.resolve(val, file, frame));
      }
      return found;
    });
  }

  private resolve(val: Val, file: FileFacts, frame: Frame | undefined): Fn[] {
    if (frame) {
      const value = this.evaluator.evaluate(val, { file, frame });
      const fns = functionsIn(value, this.evaluator);
      if (fns.length > 0) return fns;
      // The caller passed on a parameter of its own: known in that function's frames.
      const param = paramIn(value);
      if (!param) return [];
      return this.framesOf(param.file, param.fn, 1).flatMap((outer) =>
        functionsIn(this.evaluator.evaluate(val, { file, frame: rebase(frame, outer) }), this.evaluator),
      );
    }
    const owner = parameterOwner(val, file);
    if (owner === undefined) return [];
    return this.framesOf(file, owner, 0).flatMap((known) => functionsIn(this.evaluator.evaluate(val, { file, frame: known }), this.evaluator));
  }

  /** The frames function `fn` runs in: one per item of the literal list it is the callback of, else one per caller. */
  framesOf(file: FileFacts, fn: number, depth: number): Frame[] {
    const key = `${file.path}#${fn}`;
    const known = this.frames.get(key);
    if (known) return known;
    if (this.active.has(key) || depth > MAX_DEPTH) return [];
    this.active.add(key);
    const frames: Frame[] = [];
    try {
      const list = this.listsOf(file).get(fn);
      if (list) {
        const items = this.evaluator.evaluate(list, { file });
        if (items.t === 'arr' && items.items.length <= MAX_ITEMS) {
          items.items.forEach((item, index) => {
            frames.push({ file, fn, args: [{ val: UNKNOWN, ctx: { file }, value: item }, { val: UNKNOWN, ctx: { file }, value: { t: 'lit', v: index } }] });
          });
        }
      } else {
        const callers = this.registry.callersOf(file, fn);
        if (callers.length <= MAX_CALLERS) {
          for (const caller of callers) {
            const outer = this.outerFrames(caller.site, caller.args, depth);
            if (outer.length === 0) frames.push({ file, fn, args: caller.args });
            for (const frame of outer) frames.push({ file, fn, args: caller.args.map((arg) => (arg.ctx.frame || arg.value ? arg : { val: arg.val, ctx: { file: arg.ctx.file, frame } })) });
            if (frames.length > MAX_FRAMES) break;
          }
        }
      }
    } finally {
      this.active.delete(key);
    }
    const result = frames.slice(0, MAX_FRAMES);
    this.frames.set(key, result);
    return result;
  }

  /** Where a caller's arguments read its own parameters: the frames of the innermost function around it that has any. */
  private outerFrames(site: CallSite, args: Frame['args'], depth: number): Frame[] {
    const { file } = site;
    if (!args.some((arg) => !arg.ctx.frame && !arg.value && readsParameter(arg.val, arg.ctx.file))) return [];
    for (let fn = file.calls[site.callIndex].fn; fn >= 0; fn = file.functions[fn].parent) {
      const frames = this.framesOf(file, fn, depth + 1);
      if (frames.length > 0) return frames;
    }
    return [];
  }

  /** The call sites of a file whose function comes from a parameter, with the values to resolve. */
  private sitesOf(file: FileFacts): Array<{ callIndex: number; vals: Val[] }> {
    let sites = this.sites.get(file);
    if (sites) return sites;
    sites = [];
    file.calls.forEach((call, callIndex) => {
      if (call.fn < 0) return;
      const vals: Val[] = [];
      if (readsParameter(call.callee, file) && functionsIn(this.evaluator.evaluate(call.callee, { file }), this.evaluator).length === 0) vals.push(call.callee);
      if (call.callee.k === 'get' && RUNS_CALLBACK.has(call.callee.p ?? '')) vals.push(...call.args.filter((arg) => readsParameter(arg, file)));
      if (vals.length > 0) sites!.push({ callIndex, vals });
    });
    this.sites.set(file, sites);
    return sites;
  }

  /** Callback function → the list it is run over (`LIST.map((item) => …)`), for callbacks written at the call. */
  private listsOf(file: FileFacts): Map<number, Val> {
    let lists = this.lists.get(file);
    if (lists) return lists;
    lists = new Map();
    for (const call of file.calls) {
      if (call.isNew || call.callee.k !== 'get' || !ITERATION.has(call.callee.p ?? '')) continue;
      const callback = call.args[0];
      if (callback?.k === 'fn') lists.set(callback.f, call.callee.o);
    }
    this.lists.set(file, lists);
    return lists;
  }
}

/** Is code of function `inner` inside function `outer` (or `outer` itself)? */
function within(file: FileFacts, inner: number, outer: number): boolean {
  for (let fn = inner; fn >= 0; fn = file.functions[fn].parent) if (fn === outer) return true;
  return false;
}

/** The user functions a value may be: a function, each of alternatives, a CommonJS module's exported function. */
function functionsIn(value: Resolved, evaluator: Evaluator): Fn[] {
  if (value.t === 'fn') return [value];
  if (value.t === 'alt') return value.options.flatMap((option) => functionsIn(option, evaluator));
  if (value.t === 'module') {
    const exported = evaluator.moduleExports(value);
    return exported.t === 'fn' ? [exported] : [];
  }
  return [];
}

function paramIn(value: Resolved): Extract<Resolved, { t: 'param' }> | undefined {
  if (value.t === 'param') return value;
  if (value.t === 'alt') return value.options.map(paramIn).find((param) => param !== undefined);
  return undefined;
}

/** A frame whose arguments, written where `outer` is known, are evaluated in it. */
function rebase(frame: Frame, outer: Frame): Frame {
  return { ...frame, args: frame.args.map((arg) => (arg.ctx.frame || arg.value ? arg : { val: arg.val, ctx: { file: arg.ctx.file, frame: outer } })) };
}

/** Does a value written in `file` read a parameter (directly, or through local variables and members)? */
function readsParameter(val: Val, file: FileFacts, depth = 0): boolean {
  return parameterOwner(val, file, depth) !== undefined;
}

/**
 * The function whose parameter a value reads (`engine.fn` → the function with parameter `engine`; `LIMITERS.play.schedule`
 * with `LIMITERS` a parameter, destructured or not).
 */
export function parameterOwner(val: Val, file: FileFacts, depth = 0): number | undefined {
  if (depth > 6) return undefined;
  switch (val.k) {
    case 'param':
      return val.f;
    case 'get':
      return parameterOwner(val.o, file, depth + 1);
    case 'ref': {
      const binding = file.bindings[val.b];
      return binding && !binding.moduleLevel ? parameterOwner(binding.value, file, depth + 1) : undefined;
    }
    case 'alt':
      for (const option of val.opts) {
        const owner = parameterOwner(option, file, depth + 1);
        if (owner !== undefined) return owner;
      }
      return undefined;
    default:
      return undefined;
  }
}
