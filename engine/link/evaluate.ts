// The evaluator: turns a file's symbolic values into what they are across the workspace, following imports, exports,
// variables, spreads, function calls (with their arguments), class members and the catalog. Bounded in depth and
// guarded against cycles, so no input can make it loop.
import type { FileFacts, Val } from '../extract/facts';
import type { Catalog } from '../catalog';
import type { LibrarySpec, Operation, TypeSpec } from '../catalog/types';
import type { ModuleResolver } from './modules';
import { madeFreshPerCall } from './policies';
import { ABSENT, UNKNOWN_VALUE, type ClientRecord, type EvalContext, type Frame, type ObjectEntry, type PolicyRecord, type RequestRecord, type Resolved } from './values';

const MAX_DEPTH = 48;
/** Evaluation steps one top-level call site may take; past it, values are unknown (and rules stay silent). */
const STEP_BUDGET = 20_000;
/** How many user-function calls deep a value is followed; beyond it the value is unknown (and rules stay silent). */
const MAX_FRAMES = 8;
const MAX_ALTERNATIVES = 8;
/** Longest literal array whose `reduce` is folded item by item. */
const MAX_FOLDED_ITEMS = 16;
/** Array methods that hand back the same items in another order. */
const REORDERING = new Set(['sort', 'toSorted', 'reverse', 'toReversed']);
const GLOBALS = new Set(['process', 'AbortSignal', 'AbortController', 'setTimeout', 'globalThis', 'Number', 'parseInt', 'parseFloat', 'String', 'Request', 'URL']);

/** Called when evaluation meets a call site that makes, creates or runs something the model must know about. */
export interface CallSiteRegistry {
  request(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'request' }>, method: string, args: Resolved[], owner: Resolved & { t: 'lib' }): RequestRecord;
  client(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'create' }>, args: Resolved[], owner: Resolved & { t: 'lib' }): ClientRecord;
  /** `instance`: the factory call this policy is made for, when it is made inside a factory function called directly. */
  policy(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'policy' }>, args: Resolved[], instance?: { site: CallSite; args: Resolved[] }): PolicyRecord;
  chain(request: RequestRecord, method: string, args: Resolved[]): void;
  /** `policy.execute(fn)`, `breaker.fire()`: the function runs under the policy. */
  /** `chosen`: the policy is one of several the code picks among at run time, so it may not run every call `fn` makes. */
  /** `frame`: the frame the call is evaluated in (a caller's, for a policy handed in through a parameter). */
  run(policy: PolicyRecord, site: CallSite, fn: Resolved | undefined, args: Resolved[], chosen?: boolean, frame?: Frame): Resolved;
  /** A user function is called from `site` with these arguments. */
  invoked(fn: Extract<Resolved, { t: 'fn' }>, site: CallSite, args: Frame['args']): void;
  /** True the first time a call site is seen, so chained calls evaluated twice are recorded once. */
  firstTime(site: CallSite): boolean;
  /** Servers, handlers, interceptors and tracing: what the correlation rules need. */
  note(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'server' | 'serve' | 'handler-decorator' | 'intercept' | 'tracing' | 'global-client' }>, args: Resolved[], owner: Resolved & { t: 'lib' }): Resolved;
}

export interface CallSite {
  file: FileFacts;
  callIndex: number;
}

export class Evaluator {
  /** Values evaluated outside any call frame are the same every time: memoised per Val object. */
  private readonly memo = new WeakMap<Val, Resolved>();
  private readonly inProgress = new Set<Val>();
  private depth = 0;
  private activeInvocations = 0;
  private steps = 0;
  /**
   * How many times a limit cut evaluation short (depth, step budget, frame count, recursion, a value that refers back
   * to itself). A value cut short depends on where it was reached from, so it is not memoised: another file's long
   * chain must not decide this file's values.
   */
  private cutoffs = 0;
  /** Functions being invoked right now: a recursive call is not followed again. */
  private readonly invoking = new Set<string>();
  /** Workspace files each file loads through a computed `require(…)`, as far as evaluation resolved them. */
  readonly computedImports = new Map<string, Set<string>>();
  /** Evaluating for a question asked after linking (quietly): nothing is recorded, memoised or run under a policy. */
  private quiet = false;

  constructor(
    private readonly files: Map<string, FileFacts>,
    private readonly resolver: ModuleResolver,
    private readonly catalog: Catalog,
    private readonly registry: CallSiteRegistry,
  ) {}

  evaluate(val: Val, ctx: EvalContext): Resolved {
    // Each top-level evaluation gets a fresh budget, so one pathological site cannot starve the others.
    if (this.depth === 0) this.steps = 0;
    if (this.depth > MAX_DEPTH || ++this.steps > STEP_BUDGET) {
      this.cutoffs++;
      return UNKNOWN_VALUE;
    }
    const memoisable = !ctx.frame;
    if (memoisable) {
      const known = this.memo.get(val);
      if (known) return known;
      if (this.inProgress.has(val)) {
        this.cutoffs++;
        return UNKNOWN_VALUE;
      }
      this.inProgress.add(val);
    }
    this.depth++;
    const cutoffsBefore = this.cutoffs;
    let result: Resolved;
    try {
      result = this.evaluateUncached(val, ctx);
    } finally {
      this.depth--;
      if (memoisable) this.inProgress.delete(val);
    }
    if (memoisable && this.cutoffs === cutoffsBefore && !this.quiet) this.memo.set(val, result);
    return result;
  }

  /**
   * Runs `work` without recording anything: no calls, clients, policies or invocations are registered and no value is
   * memoised, so a question asked once the call sites were linked cannot change what they were linked to.
   */
  quietly<T>(work: () => T): T {
    const was = this.quiet;
    this.quiet = true;
    try {
      return work();
    } finally {
      this.quiet = was;
    }
  }

  /** The facts of a workspace file, by path. */
  file(path: string): FileFacts | undefined {
    return this.files.get(path);
  }

  /** The value of call number `callIndex` of a file, evaluated outside any frame. */
  callResult(file: FileFacts, callIndex: number): Resolved {
    return this.evaluate({ k: 'call', c: callIndex }, { file });
  }

  private evaluateUncached(val: Val, ctx: EvalContext): Resolved {
    switch (val.k) {
      case 'lit':
        return { t: 'lit', v: val.v };
      case 'tpl':
        return this.concat(val.parts.map((part) => this.evaluate(part, ctx)));
      case 'obj':
        return this.object(val, ctx);
      case 'arr':
        return this.array(val, ctx);
      case 'ref':
        return this.binding(val.b, ctx);
      case 'global':
        return this.global(val.name);
      case 'get':
        return this.member(this.evaluate(val.o, ctx), val.p);
      case 'call':
        return this.call(val.c, ctx);
      case 'fn':
        return { t: 'fn', file: ctx.file, fn: val.f, frame: ctx.frame };
      case 'class':
        return { t: 'class', file: ctx.file, cls: val.c };
      case 'this':
        return this.thisValue(val.c, ctx);
      case 'param':
        return this.parameter(val, ctx);
      case 'typed':
        return this.injected(this.evaluate(val.type, ctx));
      case 'require':
        return this.module(ctx.file, val.spec);
      case 'requireExpr':
        return this.computedModule(val.arg, ctx);
      case 'alt':
        return alternatives(val.opts.map((option) => this.evaluate(option, ctx)));
      case 'bin':
        return this.binary(val.op, this.evaluate(val.l, ctx), this.evaluate(val.r, ctx));
      case 'unknown':
        return UNKNOWN_VALUE;
    }
  }

  // ── names ──────────────────────────────────────────────────────────────────

  private binding(index: number, ctx: EvalContext): Resolved {
    const binding = ctx.file.bindings[index];
    if (!binding) return UNKNOWN_VALUE;
    // Module-level values do not depend on any frame: evaluate them frameless so they are memoised once.
    const at = binding.moduleLevel ? { file: ctx.file } : ctx;
    const value = this.evaluate(binding.value, at);
    if (!binding.props || value.t !== 'obj') return value;
    // Properties written later extend the object (flow-insensitively: they count wherever it is used).
    const later = binding.props.map((prop) =>
      'spread' in prop ? { spread: this.evaluate(prop.spread, at) } : 'key' in prop ? { key: prop.key, val: prop.v, ctx: at, span: prop.span } : undefined,
    );
    return { ...value, entries: [...value.entries, ...later.filter((entry): entry is NonNullable<typeof entry> => !!entry)] };
  }

  private global(name: string): Resolved {
    const library = this.catalog.forGlobal(name);
    if (library) return { t: 'lib', library };
    if (GLOBALS.has(name)) return { t: 'global', name };
    return UNKNOWN_VALUE;
  }

  private parameter(val: Extract<Val, { k: 'param' }>, ctx: EvalContext): Resolved {
    for (let frame = ctx.frame; frame; frame = frame.parent) {
      if (frame.file === ctx.file && frame.fn === val.f) {
        const arg = frame.args[val.i];
        if (!arg) return val.dflt ? this.evaluate(val.dflt, ctx) : ABSENT;
        const value = arg.value ?? this.evaluate(arg.val, arg.ctx);
        return isAbsent(value) && val.dflt ? this.evaluate(val.dflt, ctx) : value;
      }
    }
    // No caller in view: a typed parameter of a framework type (Nest injection) is still known by its type.
    if (val.type) {
      const typed = this.injected(this.evaluate(val.type, { file: ctx.file }));
      if (typed.t !== 'unknown') return typed;
    }
    return { t: 'param', file: ctx.file, fn: val.f, index: val.i };
  }

  /**
   * A declaration typed with something a framework injects: a catalog export (`http: HttpService`), or one of the
   * project's own classes (Nest providers: `private readonly fraud: FraudClient`), which is then an instance of it.
   */
  private injected(type: Resolved): Resolved {
    if (type.t === 'class') return { t: 'instance', file: type.file, cls: type.cls };
    // `router: Router` where `Router` is also a factory (`express.Router()`): the annotation names what it returns.
    if (type.t === 'op' && (type.operation.does === 'returns' || type.operation.does === 'server')) {
      const typeName = type.operation.type;
      return type.library.injectable?.[typeName] ? { t: 'lib', library: type.library, type: type.library.injectable[typeName] } : UNKNOWN_VALUE;
    }
    if (type.t !== 'lib' || !type.type) return UNKNOWN_VALUE;
    const injectable = type.library.injectable?.[type.type];
    return injectable ? { t: 'lib', library: type.library, type: injectable, injected: injectable } : UNKNOWN_VALUE;
  }

  private thisValue(cls: number, ctx: EvalContext): Resolved {
    for (let frame = ctx.frame; frame; frame = frame.parent) if (frame.thisValue) return frame.thisValue;
    return { t: 'instance', file: ctx.file, cls };
  }

  // ── modules ────────────────────────────────────────────────────────────────

  module(from: FileFacts, specifier: string): Resolved {
    const library = this.catalog.forModule(specifier);
    if (library) return { t: 'lib', library };
    const resolved = this.resolver.resolve(from.path, specifier);
    if (resolved.kind === 'file') {
      const file = this.files.get(resolved.path);
      return file ? { t: 'module', file } : UNKNOWN_VALUE;
    }
    if (resolved.kind === 'package') return { t: 'pkg', name: resolved.name, path: resolved.subpath ? [resolved.subpath] : [] };
    return UNKNOWN_VALUE;
  }

  /**
   * `require(\`${__dirname}/modules/${name}\`)` or `require('./modules/' + name)`: the module, once every part of the
   * specifier is a known string. Anything else is unknown.
   */
  private computedModule(arg: Val, ctx: EvalContext): Resolved {
    const parts: Val[] = [];
    const flatten = (part: Val) => {
      if (part.k === 'tpl') part.parts.forEach(flatten);
      else if (part.k === 'bin' && part.op === '+') [part.l, part.r].forEach(flatten);
      else parts.push(part);
    };
    flatten(arg);
    let specifier = '';
    for (const part of parts) {
      // `__dirname` is the requiring module's folder, which a relative specifier starts from anyway.
      if (part.k === 'global' && part.name === '__dirname' && specifier === '') {
        specifier = '.';
        continue;
      }
      const value = this.evaluate(part, ctx);
      if (value.t !== 'lit' || (typeof value.v !== 'string' && typeof value.v !== 'number')) return UNKNOWN_VALUE;
      specifier += String(value.v);
    }
    if (specifier === '' || specifier === '.' || /\$\{|\/\//.test(specifier)) return UNKNOWN_VALUE;
    const module = this.module(ctx.file, specifier);
    if (module.t === 'module' && !this.quiet) {
      const known = this.computedImports.get(ctx.file.path) ?? new Set<string>();
      this.computedImports.set(ctx.file.path, known.add(module.file.path));
    }
    return module;
  }

  /** What a CommonJS module assigns to `module.exports` as a whole (`module.exports = handler`); unknown when it does not. */
  moduleExports(value: Extract<Resolved, { t: 'module' }>): Resolved {
    const whole = value.file.exports.find((entry) => entry.name === '=');
    return whole ? this.evaluate(whole.value, { file: value.file }) : UNKNOWN_VALUE;
  }

  private exported(file: FileFacts, name: string, seen = new Set<FileFacts>()): Resolved {
    if (seen.has(file)) return UNKNOWN_VALUE;
    seen.add(file);
    const ctx = { file };
    // Last assignment wins, as at run time (`module.exports.x = …` after `exports.x = …`).
    for (let i = file.exports.length - 1; i >= 0; i--) {
      if (file.exports[i].name === name) return this.evaluate(file.exports[i].value, ctx);
    }
    const whole = file.exports.find((entry) => entry.name === '=');
    if (whole) {
      const value = this.evaluate(whole.value, ctx);
      return name === 'default' ? value : this.member(value, name);
    }
    for (const specifier of file.reexportAll) {
      const target = this.module(file, specifier);
      if (target.t === 'module') {
        const found = this.exported(target.file, name, seen);
        if (found.t !== 'unknown' && !isAbsent(found)) return found;
      } else if (target.t !== 'unknown') {
        return this.member(target, name);
      }
    }
    return file.reexportAll.length > 0 ? UNKNOWN_VALUE : ABSENT;
  }

  // ── members ────────────────────────────────────────────────────────────────

  member(object: Resolved, key: string | null): Resolved {
    switch (object.t) {
      case 'obj':
        return key === null ? UNKNOWN_VALUE : this.property(object, key);
      case 'alt':
        return alternatives(object.options.map((option) => this.member(option, key)));
      case 'module':
        if (key === null) return UNKNOWN_VALUE;
        return this.exported(object.file, key);
      case 'lib':
        return key === null ? UNKNOWN_VALUE : this.libraryMember(object, key);
      case 'pkg':
        return key === null ? UNKNOWN_VALUE : { t: 'pkg', name: object.name, path: key === 'default' && object.path.length === 0 ? [] : [...object.path, key] };
      case 'global':
        return this.globalMember(object.name, key);
      case 'request':
        return key === null ? UNKNOWN_VALUE : { t: 'request-member', request: object.request, method: key };
      case 'policy':
        return key === null ? UNKNOWN_VALUE : { t: 'policy-member', policy: object.policy, method: key };
      case 'instance':
        return key === null ? UNKNOWN_VALUE : this.classMember(object.file, object.cls, key, false, object);
      case 'class':
        return key === null ? UNKNOWN_VALUE : this.classMember(object.file, object.cls, key, true, object);
      case 'fn':
        // `fn.bind(this)` is still the function.
        return key === 'bind' ? object : UNKNOWN_VALUE;
      case 'controller':
        return key === 'signal' ? { t: 'signal', bounded: this.abortedByTimer(object.file, object.callIndex) } : UNKNOWN_VALUE;
      default:
        return UNKNOWN_VALUE;
    }
  }

  /** An object literal's property: the last entry that sets it wins; an unknown spread after it may override it. */
  property(object: Extract<Resolved, { t: 'obj' }>, key: string): Resolved {
    for (let i = object.entries.length - 1; i >= 0; i--) {
      const entry = object.entries[i];
      if ('spread' in entry) {
        const fromSpread = this.member(entry.spread, key);
        if (entry.spread.t === 'obj' || entry.spread.t === 'alt') {
          if (!isAbsent(fromSpread)) return fromSpread;
          continue;
        }
        if (isAbsent(entry.spread)) continue;
        return UNKNOWN_VALUE;
      }
      if (entry.key === key) return this.evaluate(entry.val, entry.ctx);
    }
    return object.open ? UNKNOWN_VALUE : ABSENT;
  }

  /** Where a property of an object literal was written, for pointing at it in messages. */
  propertyEntry(object: Resolved, key: string): ObjectEntry | undefined {
    if (object.t !== 'obj') return undefined;
    for (let i = object.entries.length - 1; i >= 0; i--) {
      const entry = object.entries[i];
      if ('spread' in entry) {
        const inner = this.propertyEntry(entry.spread, key);
        if (inner) return inner;
      } else if (entry.key === key) {
        return entry;
      }
    }
    return undefined;
  }

  private libraryMember(object: Extract<Resolved, { t: 'lib' }>, key: string): Resolved {
    const type = this.catalog.type(object.library, object.type);
    if (!type) return UNKNOWN_VALUE;
    // `require('axios').default` and `import * as x` then `x.default` are the module again.
    if (key === 'default' && !object.type && !type.members?.default) return object;
    const own = (type.members && Object.hasOwn(type.members, key) ? type.members[key] : undefined) ?? type.memberPatterns?.find((entry) => compiled(entry.pattern).test(key))?.operation;
    const operation = own ?? (type.exceptMembers?.includes(key) || key in Object.prototype ? undefined : type.otherMembers);
    // Other exports of a known module (`TimeoutStrategy.Cooperative`) are kept by name, like any package's.
    if (!operation) return object.type ? UNKNOWN_VALUE : { t: 'pkg', name: object.library.modules[0] ?? object.library.id, path: [key] };
    if (operation.does === 'is') return { t: 'lib', library: object.library, type: operation.type, client: object.client, injected: object.injected };
    return { t: 'op', library: object.library, operation, name: key, owner: object };
  }

  private globalMember(name: string, key: string | null): Resolved {
    if (key === null) return UNKNOWN_VALUE;
    if (name === 'process' && key === 'env') return { t: 'global', name: 'process.env' };
    if (name === 'process.env') return { t: 'env', name: key };
    if (name === 'globalThis') return this.global(key);
    if (name === 'AbortSignal' && (key === 'timeout' || key === 'any')) return { t: 'global', name: `AbortSignal.${key}` };
    return UNKNOWN_VALUE;
  }

  private classMember(file: FileFacts, cls: number, key: string, isStatic: boolean, self: Resolved, depth = 0): Resolved {
    const fact = file.classes[cls];
    if (!fact || depth > 8) return UNKNOWN_VALUE;
    const table = isStatic ? fact.statics : fact.members;
    // Own properties only: `this.constructor` must not find Object.prototype.constructor.
    const val = Object.hasOwn(table, key) ? table[key] : undefined;
    if (val) {
      const frame: Frame = { file, fn: -1, args: [], thisValue: self };
      const ctx: EvalContext = self.t === 'instance' && self.frame ? { file, frame: { ...frame, parent: self.frame } } : { file, frame };
      return this.evaluate(val, ctx);
    }
    // Methods and properties of a base class.
    if (fact.extends) {
      const base = this.evaluate(fact.extends, { file });
      if (base.t === 'class') return this.classMember(base.file, base.cls, key, isStatic, self, depth + 1);
      if (base.t === 'lib' || base.t === 'pkg') return this.member(base, key);
    }
    return UNKNOWN_VALUE;
  }

  // ── calls ──────────────────────────────────────────────────────────────────

  private call(callIndex: number, ctx: EvalContext): Resolved {
    const fact = ctx.file.calls[callIndex];
    if (!fact) return UNKNOWN_VALUE;
    // `url.toString()` of a URL or a string is the same text.
    if (fact.callee.k === 'get' && fact.callee.p === 'toString' && fact.args.length === 0) {
      const object = this.evaluate(fact.callee.o, ctx);
      if (isStringValue(object)) return object;
    }
    // `[...list].sort(compare)`, `list.reverse()`: the same items in another order.
    if (fact.callee.k === 'get' && REORDERING.has(fact.callee.p ?? '') && !fact.isNew) {
      const list = this.evaluate(fact.callee.o, ctx);
      if (list.t === 'arr') return list;
    }
    if (fact.callee.k === 'get' && fact.callee.p === 'reduce' && !fact.isNew && fact.args.length === 2) {
      const folded = this.fold(fact.callee.o, fact.args[0], fact.args[1], ctx);
      if (folded) return folded;
    }
    const callee = this.evaluate(fact.callee, ctx);
    return this.apply(callee, fact.isNew, { file: ctx.file, callIndex }, ctx);
  }

  /**
   * `['config', 'log'].reduce((all, name) => ({ ...all, [name]: load(name) }), {})` over a literal array: the callback
   * applied to each item in turn. Undefined when the list or the callback is not known (the call is then judged as any).
   */
  private fold(list: Val, callback: Val, initial: Val, ctx: EvalContext): Resolved | undefined {
    const items = this.evaluate(list, ctx);
    if (items.t !== 'arr' || items.items.length > MAX_FOLDED_ITEMS) return undefined;
    const fn = this.evaluate(callback, ctx);
    if (fn.t !== 'fn') return undefined;
    let accumulator = this.evaluate(initial, ctx);
    for (const [index, item] of items.items.entries()) {
      const unknown: Val = { k: 'unknown' };
      accumulator = this.invoke(fn, [{ val: unknown, ctx, value: accumulator }, { val: unknown, ctx, value: item }, { val: unknown, ctx, value: { t: 'lit', v: index } }], undefined);
      if (accumulator.t === 'unknown') return UNKNOWN_VALUE;
    }
    return accumulator;
  }

  /** `chosen`: the policy called is one of several picked at run time (`service === 'tb' ? tbLimiter : rdLimiter`). */
  private apply(callee: Resolved, isNew: boolean, site: CallSite, ctx: EvalContext, chosen = false): Resolved {
    const fact = site.file.calls[site.callIndex];
    // A call site's own record keeps its arguments as written (frameless): what callers pass is judged separately.
    const args = () => fact.args.map((arg) => this.evaluate(arg, { file: ctx.file }));
    switch (callee.t) {
      case 'alt': {
        const policies = new Set(callee.options.flatMap((option) => (option.t === 'policy' || option.t === 'policy-member' ? [option.policy] : [])));
        const applied = callee.options.map((option) => this.apply(option, isNew, site, ctx, chosen || policies.size > 1));
        return alternatives(applied);
      }
      case 'lib': {
        const type = this.catalog.type(callee.library, callee.type);
        const operation = isNew ? type?.construct : type?.call;
        // The value itself is called (`fetch(url)`, `got(url)`, `axios(config)`): name the call as written.
        const name = fact.text.split('.').pop() ?? callee.library.id;
        return operation ? this.operate(callee.library, operation, name, callee, site, args(), ctx) : UNKNOWN_VALUE;
      }
      case 'op':
        return this.operate(callee.library, callee.operation, callee.name, callee.owner, site, args(), ctx);
      case 'request-member':
        // Builder-style chains return the same request: `superagent.get(u).set(h).timeout(5000)`.
        if (!this.quiet && this.registry.firstTime(site)) this.registry.chain(callee.request, callee.method, args());
        return { t: 'request', request: callee.request };
      case 'policy-member':
        if (this.quiet) return UNKNOWN_VALUE;
        return this.runPolicy(callee.policy, callee.method, site, args(), chosen, ctx.frame);
      case 'policy': {
        // p-limit: `limit(() => call())` runs the function under the limiter.
        const at = callee.policy.spec.callable;
        if (at === undefined || this.quiet) return UNKNOWN_VALUE;
        const all = args();
        return this.registry.run(callee.policy, site, all[at], all, chosen, ctx.frame);
      }
      case 'fn': {
        const frameArgs = fact.args.map((val) => ({ val, ctx }));
        if (!this.quiet) this.registry.invoked(callee, site, frameArgs);
        return this.invoke(callee, frameArgs, undefined, site);
      }
      case 'class':
        if (!isNew) return UNKNOWN_VALUE;
        return { t: 'instance', file: callee.file, cls: callee.cls, frame: this.constructorFrame(callee, fact.args.map((val) => ({ val, ctx }))) };
      case 'pkg':
        return { t: 'pkg', name: callee.name, path: callee.path, called: true };
      case 'module': {
        // `require('./loader')(names)`: a CommonJS module that exports a function (`module.exports = (names) => …`).
        const exported = this.moduleExports(callee);
        return exported.t === 'unknown' ? exported : this.apply(exported, isNew, site, ctx);
      }
      case 'global':
        return this.globalCall(callee.name, isNew, site, args);
      default:
        return UNKNOWN_VALUE;
    }
  }

  private operate(library: LibrarySpec, operation: Operation, name: string, owner: Resolved & { t: 'lib' }, site: CallSite, args: Resolved[], ctx?: EvalContext): Resolved {
    if (this.quiet) {
      // What it makes is not recorded: an instance of its type still has its members.
      if (operation.does === 'create') return { t: 'lib', library, type: operation.type };
      if (operation.does === 'returns' || operation.does === 'is') return { t: 'lib', library, type: operation.type, client: owner.client, injected: owner.injected };
      return UNKNOWN_VALUE;
    }
    switch (operation.does) {
      case 'request':
        return { t: 'request', request: this.registry.request(site, library, operation, name, args, owner) };
      case 'create': {
        const client = this.registry.client(site, library, operation, args, owner);
        return { t: 'lib', library, type: operation.type, client };
      }
      case 'returns':
        return { t: 'lib', library, type: operation.type, client: owner.client, injected: owner.injected };
      case 'is':
        return { t: 'lib', library, type: operation.type, client: owner.client };
      case 'policy': {
        // Made in the body of a factory function called directly (`createLimiter(opts)` → `new Bottleneck(…)`): each
        // call of the factory makes its own instance, with the options that call gives. A factory that keeps what it
        // made (a registry, a memo field) makes one policy for all its calls.
        const frame = ctx?.frame;
        const madeByFactory = frame?.site && frame.file === site.file && site.file.calls[site.callIndex].fn === frame.fn && madeFreshPerCall(site.file, site.callIndex);
        const instance = madeByFactory ? { site: frame.site!, args: site.file.calls[site.callIndex].args.map((arg) => this.evaluate(arg, ctx!)) } : undefined;
        return { t: 'policy', policy: this.registry.policy(site, library, operation, args, instance) };
      }
      case 'server':
      case 'serve':
      case 'handler-decorator':
      case 'intercept':
      case 'tracing':
      case 'global-client':
        return this.registry.note(site, library, operation, args, owner);
    }
  }

  private runPolicy(policy: PolicyRecord, method: string, site: CallSite, args: Resolved[], chosen = false, frame?: Frame): Resolved {
    const at = policy.spec.runs?.[method];
    if (at === undefined) {
      // Configuration calls return the policy itself (`breaker.fallback(fn)`, `.on('open', …)`).
      return { t: 'policy', policy };
    }
    const fn = at === 'wrapped' ? undefined : at === 'last' ? args[args.length - 1] : args[at];
    return this.registry.run(policy, site, fn, args, chosen, frame);
  }

  /** Evaluates what a user function returns for these arguments. */
  invoke(fn: Extract<Resolved, { t: 'fn' }>, args: Frame['args'], thisValue: Resolved | undefined, site?: CallSite): Resolved {
    const fact = fn.file.functions[fn.fn];
    if (!fact || fact.returns.length === 0) return UNKNOWN_VALUE;
    const key = `${fn.file.path}#${fn.fn}`;
    if (this.activeInvocations >= MAX_FRAMES || this.invoking.has(key)) {
      this.cutoffs++;
      return UNKNOWN_VALUE;
    }
    const frame: Frame = { file: fn.file, fn: fn.fn, args, thisValue, parent: fn.frame, ...(site && { site }) };
    this.activeInvocations++;
    this.invoking.add(key);
    try {
      return alternatives(fact.returns.map((value) => this.evaluate(value, { file: fn.file, frame })));
    } finally {
      this.activeInvocations--;
      this.invoking.delete(key);
    }
  }

  private constructorFrame(cls: Extract<Resolved, { t: 'class' }>, args: Frame['args']): Frame | undefined {
    const ctor = cls.file.classes[cls.cls]?.statics['constructor'];
    if (!ctor || ctor.k !== 'fn') return undefined;
    return { file: cls.file, fn: ctor.f, args };
  }

  private globalCall(name: string, isNew: boolean, site: CallSite, args: () => Resolved[]): Resolved {
    if (name === 'AbortSignal.timeout') {
      const ms = args()[0];
      return { t: 'signal', bounded: true, ms: ms.t === 'lit' && typeof ms.v === 'number' ? ms.v : undefined };
    }
    if (name === 'AbortSignal.any') {
      const list = args()[0];
      if (list.t !== 'arr') return { t: 'signal', bounded: undefined };
      const bounded = list.items.some((item) => item.t === 'signal' && item.bounded);
      return { t: 'signal', bounded: bounded ? true : undefined };
    }
    if (name === 'AbortController' && isNew) return { t: 'controller', file: site.file, callIndex: site.callIndex };
    // `new URL(path, base)`: the path resolved against the base; each alternative base gives its own URL.
    if (name === 'URL' && isNew) {
      const [path, base] = args();
      if (!path) return UNKNOWN_VALUE;
      if (!base || isAbsent(base) || startsWithScheme(path)) return path;
      return alternatives((base.t === 'alt' ? base.options : [base]).map((option) => this.resolveUrl(path, option)));
    }
    // `fetch(new Request(url, init))`: the request carries its init.
    if (name === 'Request' && isNew) return args()[1] ?? ABSENT;
    // `Number(process.env.TIMEOUT ?? 2500)`: a conversion keeps what it converts (a literal, an env var, alternatives).
    if (name === 'Number' || name === 'parseInt' || name === 'parseFloat' || name === 'String') {
      const value = args()[0];
      if (!value) return UNKNOWN_VALUE;
      const number = numberOf(value);
      if (name !== 'String' && number !== undefined) return { t: 'lit', v: number };
      return value.t === 'env' || value.t === 'alt' || value.t === 'lit' || value.t === 'str' ? value : UNKNOWN_VALUE;
    }
    return UNKNOWN_VALUE;
  }

  /**
   * Is this AbortController aborted from a timer (`setTimeout(() => controller.abort(), ms)`)? True when it is;
   * false when it is never aborted; undefined when it is aborted some other way we cannot judge.
   */
  private abortedByTimer(file: FileFacts, controllerCall: number): boolean | undefined {
    const isThisController = (value: Resolved) => value.t === 'controller' && value.file === file && value.callIndex === controllerCall;
    const { callbacks, handed } = this.timerCallbacks(file);
    // `setTimeout(controller.abort.bind(controller), ms)` or `setTimeout(() => controller.abort(), ms)`.
    if (handed.some((val) => isThisController(this.evaluate(val, { file })))) return true;
    let abortedElsewhere = false;
    for (const call of file.calls) {
      if (call.callee.k !== 'get' || call.callee.p !== 'abort') continue;
      if (!isThisController(this.evaluate(call.callee.o, { file }))) continue;
      for (let fn = call.fn; fn >= 0; fn = file.functions[fn].parent) if (callbacks.has(fn)) return true;
      abortedElsewhere = true;
    }
    return abortedElsewhere ? undefined : false;
  }

  private readonly timers = new WeakMap<FileFacts, { callbacks: Set<number>; handed: Val[] }>();

  /** The functions a file hands to `setTimeout`, and the objects whose `abort` it hands over directly. */
  private timerCallbacks(file: FileFacts): { callbacks: Set<number>; handed: Val[] } {
    let known = this.timers.get(file);
    if (known) return known;
    known = { callbacks: new Set<number>(), handed: [] };
    for (const call of file.calls) {
      const callee = this.evaluate(call.callee, { file });
      if (callee.t !== 'global' || callee.name !== 'setTimeout') continue;
      const callback = call.args[0];
      if (callback?.k === 'fn') known.callbacks.add(callback.f);
      // `controller.abort.bind(controller)` is a call of `bind` on `controller.abort`.
      const direct = callback?.k === 'call' ? file.calls[callback.c]?.callee : callback;
      const target = direct?.k === 'get' && direct.p === 'bind' ? direct.o : direct;
      if (target?.k === 'get' && target.p === 'abort') known.handed.push(target.o);
    }
    this.timers.set(file, known);
    return known;
  }

  // ── objects, strings, numbers ──────────────────────────────────────────────

  private object(val: Extract<Val, { k: 'obj' }>, ctx: EvalContext): Resolved {
    const entries: Array<ObjectEntry | { spread: Resolved }> = [];
    let open = false;
    for (const prop of val.props) {
      if ('dynamic' in prop) {
        // `{ [name]: value }` with `name` known where the object is made (an argument): an ordinary entry.
        const key = prop.keyExpr && prop.value && prop.span ? this.evaluate(prop.keyExpr, ctx) : undefined;
        if (key?.t === 'lit' && (typeof key.v === 'string' || typeof key.v === 'number')) entries.push({ key: String(key.v), val: prop.value!, ctx, span: prop.span! });
        else open = true;
      } else if ('spread' in prop) entries.push({ spread: this.evaluate(prop.spread, ctx) });
      else entries.push({ key: prop.key, val: prop.v, ctx, span: prop.span });
    }
    return { t: 'obj', entries, open, span: val.span, file: ctx.file };
  }

  /** An array literal; `...list` of a known list adds its items (of anything else, one unknown item). */
  private array(val: Extract<Val, { k: 'arr' }>, ctx: EvalContext): Resolved {
    if (!val.spreads) return { t: 'arr', items: val.items.map((item) => this.evaluate(item, ctx)) };
    const items: Resolved[] = [];
    val.items.forEach((item, index) => {
      const value = this.evaluate(item, ctx);
      if (!val.spreads!.includes(index)) items.push(value);
      else if (value.t === 'arr') items.push(...value.items);
      else items.push(UNKNOWN_VALUE);
    });
    return { t: 'arr', items };
  }

  /** `new URL(path, base)` for one base: a literal when both are, else the base and the path joined by one `/`. */
  private resolveUrl(path: Resolved, base: Resolved): Resolved {
    if (base.t === 'lit' && typeof base.v === 'string' && path.t === 'lit' && typeof path.v === 'string') {
      try {
        return { t: 'lit', v: new URL(path.v, base.v).toString() };
      } catch {
        return UNKNOWN_VALUE;
      }
    }
    const text = (value: Resolved) => (value.t === 'lit' && typeof value.v === 'string' ? value.v : value.t === 'str' ? value.text : undefined);
    const baseText = text(base);
    const pathText = text(path);
    const joined: Resolved[] = [
      baseText !== undefined ? { ...base, ...(base.t === 'lit' ? { v: baseText.replace(/\/+$/, '') } : { text: baseText.replace(/\/+$/, '') }) } as Resolved : base,
      { t: 'lit', v: '/' },
      pathText !== undefined ? ({ ...path, ...(path.t === 'lit' ? { v: pathText.replace(/^\/+/, '') } : { text: pathText.replace(/^\/+/, '') }) } as Resolved) : path,
    ];
    return this.concat(joined);
  }

  private concat(parts: Resolved[]): Resolved {
    let text = '';
    const envVars: string[] = [];
    for (const part of parts) {
      if (part.t === 'lit' && part.v !== undefined && part.v !== null) text += String(part.v);
      else if (part.t === 'str') {
        text += part.text;
        envVars.push(...part.envVars);
      } else if (part.t === 'env') {
        text += `\${${part.name}}`;
        envVars.push(part.name);
      } else if (part.t === 'alt') {
        const env = part.options.find((option) => option.t === 'env');
        // `${host || 'localhost'}`, `let host = 'localhost'` set elsewhere too: the one string written in the code.
        const written = part.options.filter((option) => option.t === 'lit' && typeof option.v === 'string' && option.v !== '');
        const others = part.options.filter((option) => !written.includes(option) && !isAbsent(option));
        if (env && env.t === 'env') {
          text += `\${${env.name}}`;
          envVars.push(env.name);
        } else if (written.length === 1 && others.every((option) => option.t === 'unknown' || option.t === 'param')) text += String((written[0] as { v: string }).v);
        else text += '${…}';
      } else text += '${…}';
    }
    return { t: 'str', text, envVars };
  }

  private binary(op: '+' | '-' | '*' | '/', left: Resolved, right: Resolved): Resolved {
    const l = numberOf(left);
    const r = numberOf(right);
    if (l !== undefined && r !== undefined) {
      const value = op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : l / r;
      return { t: 'lit', v: value };
    }
    if (op === '+' && (isStringLike(left) || isStringLike(right))) return this.concat([left, right]);
    return UNKNOWN_VALUE;
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────

/** `a.b.c` as its base `a` and the keys `['b', 'c']` (stopping at a computed key). */
export function memberPath(target: Val): { base: Val; keys: string[] } {
  const keys: string[] = [];
  let base = target;
  while (base.k === 'get' && base.p !== null) {
    keys.unshift(base.p);
    base = base.o;
  }
  return { base, keys };
}

export function isAbsent(value: Resolved): boolean {
  return value.t === 'lit' && (value.v === undefined || value.v === null);
}

export function numberOf(value: Resolved): number | undefined {
  if (value.t === 'lit' && typeof value.v === 'number') return value.v;
  if (value.t === 'lit' && typeof value.v === 'string' && /^\d+(\.\d+)?$/.test(value.v)) return Number(value.v);
  return undefined;
}

function isStringLike(value: Resolved): boolean {
  return (value.t === 'lit' && typeof value.v === 'string') || value.t === 'str' || value.t === 'env';
}

/** Combines alternatives, flattening nested ones and dropping duplicates; too many become unknown. */
/** Text, or alternatives of which some are text (what `new URL()` and template strings give). */
function isStringValue(value: Resolved): boolean {
  return (value.t === 'lit' && typeof value.v === 'string') || value.t === 'str' || value.t === 'env' || (value.t === 'alt' && value.options.some(isStringValue));
}

function startsWithScheme(value: Resolved): boolean {
  const text = value.t === 'lit' && typeof value.v === 'string' ? value.v : value.t === 'str' ? value.text : '';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export function alternatives(options: Resolved[]): Resolved {
  const flat: Resolved[] = [];
  for (const option of options) {
    for (const inner of option.t === 'alt' ? option.options : [option]) {
      if (!flat.some((existing) => sameValue(existing, inner))) flat.push(inner);
    }
  }
  if (flat.length === 1) return flat[0];
  if (flat.length === 0 || flat.length > MAX_ALTERNATIVES) return UNKNOWN_VALUE;
  return { t: 'alt', options: flat };
}

function sameValue(a: Resolved, b: Resolved): boolean {
  if (a === b) return true;
  if (a.t === 'lit' && b.t === 'lit') return a.v === b.v;
  if (a.t === 'unknown' && b.t === 'unknown') return true;
  if (a.t === 'lib' && b.t === 'lib') return a.library === b.library && a.type === b.type && a.client === b.client;
  if (a.t === 'request' && b.t === 'request') return a.request === b.request;
  return false;
}

export type { TypeSpec };

const patterns = new Map<string, RegExp>();
/** A catalog's member pattern, compiled once. */
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern)));
  return regex;
}
