// The link stage: evaluates every call site of every file once, across files, and builds the model the rules query:
// the clients created, the calls that leave the process, and how long each may wait.
import * as path from 'node:path';
import type { Catalog } from '../catalog';
import type { LibrarySpec, Operation } from '../catalog/types';
import type { WorkspaceLayout } from '../discover/workspace';
import type { FileFacts, Span, Val } from '../extract/facts';
import type { CallTarget, ClientEntity, Model, OutboundCall, PolicyEntity, TimeoutFix, TracingSetup, WrapperCall } from '../model/types';

type TracingCover = TracingSetup['covers'][number];
import type { SourceFileEntry, SourceLocation, WorkspaceLibrary } from '../types';
import { BrowserCode, isServerModule } from './browser';
import { parameterOwner } from './indirect-calls';
import { reachedOnlyFrom } from './reach';
import { Evaluator, isAbsent, numberOf, type CallSite, type CallSiteRegistry } from './evaluate';
import { importGraph } from './import-graph';
import { ModuleResolver } from './modules';
import { clientTarget, requestTarget, withService } from './targets';
import { CallGraph, filesOf, PolicyCoverage, type Coverage } from './policies';
import { InHouseBreakers } from './in-house-breakers';
import { DetachedCode } from './detached';
import { handedTo } from './handed-to';
import { FunctionReach, type OnlyRunsIn } from './function-reach';
import type { DeployEnvironment } from '../discover/environment';
import { crossServiceImports, databaseUses } from './databases';
import { RequestContext } from './requests';
import { AMBIGUOUS_INJECTION, TimeoutJudge } from './timeouts';
import type { ClientRecord, Frame, PolicyRecord, RequestRecord, Resolved } from './values';
import { readWorkspaceFile } from '../io/read';

export interface LinkInput {
  root: string;
  layout: WorkspaceLayout;
  files: SourceFileEntry[];
  facts: FileFacts[];
  catalog: Catalog;
  overlays?: Map<string, string>;
  /** Environment variables and compose hosts of each service (docker-compose, .env). */
  environment: DeployEnvironment;
  /** breakwater.json `databases`: database, host or environment variable → owning service. */
  databases: Record<string, string>;
  /** A resolver kept from the last run: resolutions hold while the workspace's files and configs are the same. */
  resolver?: ModuleResolver;
  /** Also list who calls which function (`Model.functionCalls`). */
  callGraph?: boolean;
  /** Test file → the module specifiers it imports (test files are not analysed): modules only tests reach are skipped. */
  testImports?: Map<string, string[]>;
}

/** Everything the registry learns while the evaluator walks the call sites. */
export class Registry implements CallSiteRegistry {
  readonly requests = new Map<string, RequestRecord>();
  readonly clients = new Map<string, ClientRecord>();
  readonly policies = new Map<string, PolicyRecord>();
  /** Functions run under policies (`policy.execute(fn)`, `new CircuitBreaker(fn)`, `limit(fn)`), by `file#fn`. */
  readonly covered = new Map<string, PolicyRecord[]>();
  /** Parameters that a wrapper hands to a policy (`guarded(fn) { return breaker.execute(fn) }`), by `file#fn`. */
  readonly coveredParameters = new Map<string, Array<{ index: number; policy: PolicyRecord; chosen?: boolean }>>();
  /**
   * `file#fn policyId` of functions run only through a policy picked among several at run time
   * (`(service === 'tb' ? tbLimiter : rdLimiter).schedule(fn)`): the pick may follow where `fn` calls, so it proves
   * no path from that policy to each of `fn`'s calls.
   */
  readonly coveredByChoice = new Set<string>();
  /**
   * `file#fn policyId` → how the function was handed to the policy: `undefined` for a function made outside any frame,
   * else the frame it was made in (`limiter.schedule(() => run(factory))` in one caller's frame of a wrapper that gets
   * both the limiter and `factory` from its callers): what it reads from parameters is that caller's.
   */
  readonly coverFrames = new Map<string, Array<Frame | undefined>>();
  /** Who calls each user function, with the arguments, by `file#fn`: for following options in from callers. */
  readonly invocations = new Map<string, Array<{ site: CallSite; args: Frame['args'] }>>();
  /** The calls that hand each policy a function to run as their first argument: what a quick fix can reuse. */
  readonly runners = new Map<PolicyRecord, Array<{ file: string; callee: string }>>();
  private readonly chainSites = new Set<string>();
  private readonly invocationSites = new Map<string, Map<string, number>>();
  evaluator!: Evaluator;

  constructor(private readonly catalog: Catalog) {}

  request(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'request' }>, method: string, args: Resolved[], owner: Resolved & { t: 'lib' }): RequestRecord {
    const id = siteId(site);
    const existing = this.requests.get(id);
    if (existing) return existing;
    const record: RequestRecord = { id, library, operation, method, file: site.file, callIndex: site.callIndex, args, client: owner.client, injected: owner.client ? undefined : owner.injected, chain: [] };
    this.requests.set(id, record);
    return record;
  }

  client(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'create' }>, args: Resolved[], owner: Resolved & { t: 'lib' }): ClientRecord {
    const id = siteId(site);
    const existing = this.clients.get(id);
    if (existing) return existing;
    const record: ClientRecord = {
      id,
      library,
      operation,
      type: operation.type,
      role: operation.role,
      file: site.file,
      callIndex: site.callIndex,
      options: pickOptions(args, operation.optionsArgs),
      url: operation.urlArg !== undefined ? args[operation.urlArg] : undefined,
      parent: operation.inherits ? owner.client : undefined,
    };
    this.clients.set(id, record);
    return record;
  }

  policy(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'policy' }>, args: Resolved[], instance?: { site: CallSite; args: Resolved[] }): PolicyRecord {
    // One made by a factory is one instance per call of the factory (`scraper: createLimiter(…)`), with that call's options.
    if (instance) return this.policyInstance(site, library, operation, args, instance);
    return this.makePolicy(siteId(site), site, library, operation, args);
  }

  private makePolicy(id: string, site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'policy' }>, args: Resolved[]): PolicyRecord {
    const existing = this.policies.get(id);
    if (existing) return existing;
    const spec = operation.policy;
    const record: PolicyRecord = { id, library, spec, file: site.file, callIndex: site.callIndex, children: [], kinds: [] };
    if (spec.wrappedArg !== undefined) record.wrapped = args[spec.wrappedArg];
    record.timeoutMs = policyTimeout(spec, args, this.evaluator);
    record.timeoutIsDefault = record.timeoutMs !== undefined && record.timeoutMs === spec.timeoutOption?.default && isAbsent(optionValue(spec, args, this.evaluator));
    record.capacity = policyCapacity(spec, args, this.evaluator);
    record.kinds = spec.kind ? [spec.kind] : [];
    if (spec.role === 'combine') {
      // `wrap(retry, breaker, timeout)`: the combined policy does what any of its parts does.
      record.children = args.flatMap((arg) => (arg.t === 'policy' ? [arg.policy] : []));
      record.timeoutMs = record.children.map((child) => child.timeoutMs).find((ms) => ms !== undefined);
      record.capacity = record.children.map((child) => child.capacity).find((cap) => cap !== undefined);
      record.kinds = [...new Set(record.children.flatMap((child) => child.kinds))];
    }
    this.policies.set(id, record);
    if (record.wrapped?.t === 'fn') this.cover(record.wrapped, record, site);
    // A breaker factory (`makeBreaker(action) { return new CircuitBreaker(action) }`): what callers pass is covered.
    if (record.wrapped?.t === 'param') this.coverParameter(record.wrapped, record);
    return record;
  }

  /** The policy a factory's call makes (`createLimiter(…)` → its `new Bottleneck(…)`): located at the factory's call. */
  private policyInstance(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'policy' }>, args: Resolved[], instance: { site: CallSite; args: Resolved[] }): PolicyRecord {
    const madeBy = this.policy(site, library, operation, args);
    const id = `${siteId(instance.site)}>${site.callIndex}`;
    const existing = this.policies.get(id);
    if (existing) return existing;
    const own = this.makePolicy(id, instance.site, library, operation, instance.args);
    own.madeBy = madeBy;
    return own;
  }

  chain(request: RequestRecord, method: string, args: Resolved[]): void {
    request.chain.push({ method, args });
  }

  run(policy: PolicyRecord, site: CallSite, fn: Resolved | undefined, args: Resolved[], chosen = false, frame?: Frame): Resolved {
    if (fn?.t === 'fn') {
      if (fn === args[0]) this.ranBy(policy, site);
      // Written at a call evaluated in a caller's frame: what it reads from parameters is that caller's.
      this.cover(!fn.frame && frame?.file === fn.file ? { ...fn, frame } : fn, policy, site, chosen);
      return this.evaluator.invoke(fn, [], undefined);
    }
    // A wrapper that hands its own parameter to the policy: whatever its callers pass runs under it.
    if (fn?.t === 'param') {
      this.coverParameter(fn, policy, chosen);
      return { t: 'unknown' };
    }
    // `breaker.fire(url, config)` for a breaker that wraps the HTTP client itself: the fire is the call.
    const wrapped = policy.wrapped;
    if (wrapped?.t === 'op' && wrapped.operation.does === 'request') {
      const request = this.request(site, wrapped.library, wrapped.operation, wrapped.name, args, wrapped.owner);
      request.policy = policy;
      return { t: 'request', request };
    }
    if (wrapped?.t === 'lib') {
      const call = this.catalog.type(wrapped.library, wrapped.type)?.call;
      if (call?.does === 'request') {
        const request = this.request(site, wrapped.library, call, 'fire', args, wrapped);
        request.policy = policy;
        return { t: 'request', request };
      }
    }
    if (wrapped?.t === 'fn') {
      // `breaker.fire(x)` calls the wrapped function with x: record it like any call, for the call graph.
      this.invoked(wrapped, site, site.file.calls[site.callIndex].args.map((val) => ({ val, ctx: { file: site.file } })));
      // A breaker around `(fn) => fn()`: the functions fired through it run under it.
      this.calledParameters(wrapped).forEach((index) => {
        const arg = args[index];
        if (arg?.t === 'fn' && index === 0) this.ranBy(policy, site);
        if (arg?.t === 'fn') this.cover(arg, policy, site);
        else if (arg?.t === 'param') this.coverParameter(arg, policy);
      });
      return this.evaluator.invoke(wrapped, [], undefined);
    }
    return { t: 'unknown' };
  }

  invoked(fn: Extract<Resolved, { t: 'fn' }>, site: CallSite, args: Frame['args']): void {
    const key = `${fn.file.path}#${fn.fn}`;
    const list = this.invocations.get(key) ?? [];
    const bySite = this.invocationSites.get(key) ?? new Map<string, number>();
    const at = bySite.get(siteId(site));
    if (at === undefined) {
      bySite.set(siteId(site), list.length);
      list.push({ site, args });
    } else if (args.every((arg) => !arg.ctx.frame)) {
      // The site's own (frameless) arguments win over ones seen while following another call.
      list[at] = { site, args };
    }
    this.invocations.set(key, list);
    this.invocationSites.set(key, bySite);
  }

  /** The calls of a function from outside itself (a recursive call is no caller). */
  callersOf(file: FileFacts, fn: number): Array<{ site: CallSite; args: Frame['args'] }> {
    const callers = this.invocations.get(`${file.path}#${fn}`) ?? [];
    return callers.filter(({ site }) => {
      if (site.file !== file) return true;
      for (let outer = site.file.calls[site.callIndex].fn; outer >= 0; outer = site.file.functions[outer].parent) if (outer === fn) return false;
      return true;
    });
  }

  /** Inbound servers and the functions registered on them as per-request handlers (`file#fn`). */
  readonly servers: Array<{ site: CallSite; framework: string }> = [];
  readonly handlers = new Map<string, { framework: string; site: CallSite }>();
  /** Call sites of handler decorators (`@Get()`): a method decorated by one of them is a handler. */
  readonly handlerDecorators = new Map<string, string>();
  /** Request interceptors: on a client, or on a library's module-level instance (`axios.interceptors…`). */
  readonly interceptors: Array<{ site: CallSite; library: LibrarySpec; client?: ClientRecord }> = [];
  /** Process-wide default clients: undici's global dispatcher, used by fetch and undici calls without their own. */
  readonly globalClients: Array<{ site: CallSite; client: ClientRecord; libraries: string[] }> = [];
  /**
   * Calls that hand a function to something that runs it (a breaker, a server registering a handler): edges of the
   * call graph that are no invocation the evaluator followed.
   */
  readonly handedOver: Array<{ site: CallSite; fn: Extract<Resolved, { t: 'fn' }> }> = [];
  /** Code in one file that changes how code in another is judged (a client's interceptors, a Nest module's registration). */
  readonly influences: Array<{ from: string; to: string }> = [];
  /** Tracing set up in the process: does it register instrumentations that propagate context? */
  readonly tracing: Array<{ site: CallSite; covers: TracingCover[] }> = [];

  note(site: CallSite, library: LibrarySpec, operation: Extract<Operation, { does: 'server' | 'serve' | 'handler-decorator' | 'intercept' | 'tracing' | 'global-client' }>, args: Resolved[], owner: Resolved & { t: 'lib' }): Resolved {
    const id = siteId(site);
    switch (operation.does) {
      case 'global-client': {
        const client = args[0]?.t === 'lib' ? args[0].client : undefined;
        if (client) this.globalClients.push({ site, client, libraries: operation.for });
        return { t: 'unknown' };
      }
      case 'server':
        if (!this.servers.some((server) => siteId(server.site) === id)) this.servers.push({ site, framework: operation.framework });
        return { t: 'lib', library, type: operation.type };
      case 'serve': {
        const first = args[0];
        if (operation.whenFirstArg && !(first?.t === 'lit' && typeof first.v === 'string' && operation.whenFirstArg.includes(first.v))) return owner;
        const handlers = operation.handlers === 'functions' ? args : args.map((arg) => (arg.t === 'obj' ? this.evaluator.member(arg, (operation.handlers as { option: string }).option) : arg));
        for (const given of handlers) {
          // `app.post('/conduit', require('../api/conduit'))`: a module whose export is the handler.
          const handler = given.t === 'module' ? this.evaluator.moduleExports(given) : given;
          if (handler.t !== 'fn') continue;
          this.handlers.set(`${handler.file.path}#${handler.fn}`, { framework: operation.framework, site });
          this.handedOver.push({ site, fn: handler });
        }
        if (operation.framework === 'node:http' && !this.servers.some((server) => siteId(server.site) === id)) this.servers.push({ site, framework: operation.framework });
        return operation.returns ? { t: 'lib', library, type: operation.returns } : owner;
      }
      case 'handler-decorator':
        this.handlerDecorators.set(id, operation.framework);
        return { t: 'unknown' };
      case 'intercept':
        if (operation.whenFirstArg && args[0]?.t === 'lit' && !operation.whenFirstArg.includes(String(args[0].v))) return { t: 'unknown' };
        if (!this.interceptors.some((entry) => siteId(entry.site) === id)) this.interceptors.push({ site, library, client: owner.client });
        if (owner.client) this.influences.push({ from: site.file.path, to: owner.client.file.path });
        return { t: 'unknown' };
      case 'tracing': {
        if (operation.role === 'instrumentation') return { t: 'lib', library, type: `$instrumentation:${operation.covers ?? 'all'}` };
        const option = operation.instrumentationsOption;
        let list: Resolved | undefined = option ? args[option.arg] : undefined;
        for (const key of option?.path ?? []) list = list ? this.evaluator.member(list, key) : list;
        // `instrumentations: []` (or none) propagates nothing; an instrumentation we cannot see gets the benefit of the doubt.
        const items = !list || isAbsent(list) ? [] : list.t === 'arr' ? list.items.flatMap((item) => (item.t === 'arr' ? item.items : [item])) : [list];
        const covers = [...new Set(items.flatMap((item): TracingCover[] => {
          if (item.t === 'lib' && item.type?.startsWith('$instrumentation:')) return [item.type.slice('$instrumentation:'.length) as TracingCover];
          return item.t === 'lit' || item.t === 'obj' ? [] : ['all'];
        }))];
        if (!this.tracing.some((entry) => siteId(entry.site) === id)) this.tracing.push({ site, covers });
        return { t: 'lib', library, type: 'NodeSDK' };
      }
    }
  }

  /** Marks a chain call site as seen, so a chain evaluated twice is recorded once. */
  firstTime(site: CallSite): boolean {
    const id = siteId(site);
    if (this.chainSites.has(id)) return false;
    this.chainSites.add(id);
    return true;
  }

  /** Records a call that hands `policy` the function it runs as its first argument (`breaker.fire(() => …)`). */
  private ranBy(policy: PolicyRecord, site: CallSite): void {
    const list = this.runners.get(policy) ?? [];
    const callee = site.file.calls[site.callIndex].text;
    if (!list.some((entry) => entry.file === site.file.path && entry.callee === callee)) list.push({ file: site.file.path, callee });
    this.runners.set(policy, list);
  }

  private coverParameter(param: Extract<Resolved, { t: 'param' }>, policy: PolicyRecord, chosen = false): void {
    const key = `${param.file.path}#${param.fn}`;
    const list = this.coveredParameters.get(key) ?? [];
    const known = list.find((entry) => entry.index === param.index && entry.policy === policy);
    if (!known) list.push({ index: param.index, policy, ...(chosen && { chosen }) });
    else if (!chosen) delete known.chosen;
    this.coveredParameters.set(key, list);
  }

  /** The parameters a function calls (`(fn) => fn()` calls its parameter 0). */
  private calledParameters(fn: Extract<Resolved, { t: 'fn' }>): number[] {
    const { file } = fn;
    const params = file.functions[fn.fn]?.params ?? [];
    const called = new Set<number>();
    for (const call of file.calls) {
      if (call.fn !== fn.fn || call.callee.k !== 'ref') continue;
      const index = params.indexOf(call.callee.b);
      if (index >= 0) called.add(index);
    }
    return [...called];
  }

  /**
   * The frames a call inside `fn` runs in, one per way it is called: each caller's arguments, and where a caller is
   * itself a wrapper passing its own parameters on (`getJson(url, init) → get(url, init)`), each of its callers' in
   * turn. `site` is the outermost call. Undefined when nobody outside calls it.
   */
  framesFor(file: FileFacts, fn: number, depth = 0): Array<{ frame: Frame; site: CallSite }> | undefined {
    const wrapper = this.wrapperOf(file, fn);
    if (!wrapper || wrapper.callers.length > MAX_WRAPPER_CALLERS) return undefined;
    const frames: Array<{ frame: Frame; site: CallSite }> = [];
    for (const caller of wrapper.callers) {
      const callerFn = caller.site.file.calls[caller.site.callIndex].fn;
      const outer = depth < 3 && callerFn >= 0 && caller.args.some((arg) => this.usesParameters(arg.val, caller.site.file)) ? this.framesFor(caller.site.file, callerFn, depth + 1) : undefined;
      if (outer && outer.length > 0) {
        for (const { frame: outerFrame, site } of outer) {
          frames.push({ frame: { file, fn: wrapper.fn, args: caller.args.map((arg) => ({ val: arg.val, ctx: { file: arg.ctx.file, frame: outerFrame } })) }, site });
        }
      } else {
        frames.push({ frame: { file, fn: wrapper.fn, args: caller.args }, site: caller.site });
      }
      if (frames.length > MAX_WRAPPER_CALLERS) return undefined;
    }
    return frames;
  }

  /** Does a value written in `file` read a parameter (directly, or a variable holding one)? */
  private usesParameters(val: Val, file: FileFacts, depth = 0): boolean {
    if (depth > 6) return false;
    switch (val.k) {
      case 'param':
        return true;
      case 'ref': {
        const binding = file.bindings[val.b];
        return !!binding && !binding.moduleLevel && (binding.kind === 'param' || this.usesParameters(binding.value, file, depth + 1));
      }
      case 'obj':
        return val.props.some((prop) => ('spread' in prop && this.usesParameters(prop.spread, file, depth + 1)) || ('v' in prop && this.usesParameters(prop.v, file, depth + 1)));
      case 'get':
        return this.usesParameters(val.o, file, depth + 1);
      case 'alt':
        return val.opts.some((option) => this.usesParameters(option, file, depth + 1));
      default:
        return false;
    }
  }

  /**
   * The function whose callers say what a call inside it works with: the innermost enclosing function that is called
   * from outside itself (`rpc(url) { return retry.execute(() => fetch(url)) }` → `rpc`, not the arrow).
   */
  wrapperOf(file: FileFacts, fn: number): { fn: number; callers: Array<{ site: CallSite; args: Frame['args'] }> } | undefined {
    for (let current = fn; current >= 0; current = file.functions[current].parent) {
      const callers = this.callersOf(file, current);
      if (callers.length > 0) return { fn: current, callers };
    }
    return undefined;
  }

  cover(fn: Extract<Resolved, { t: 'fn' }>, policy: PolicyRecord, site: CallSite, chosen = false): void {
    this.handedOver.push({ site, fn });
    const key = `${fn.file.path}#${fn.fn}`;
    const list = this.covered.get(key) ?? [];
    const pair = `${key} ${policy.id}`;
    const frames = this.coverFrames.get(pair) ?? [];
    if (!frames.includes(fn.frame)) this.coverFrames.set(pair, [...frames, fn.frame]);
    if (!list.includes(policy)) {
      list.push(policy);
      if (chosen) this.coveredByChoice.add(pair);
    } else if (!chosen) this.coveredByChoice.delete(pair);
    this.covered.set(key, list);
  }

  /**
   * Policies handed in through parameters (`register(app, { LIMITERS })` … `LIMITERS.play.schedule(() => …)`): a call
   * that hands a function to something read from a parameter is evaluated again in each caller's frame, where the
   * parameter is known; when that is a policy, the function runs under it.
   */
  runInjectedPolicies(files: FileFacts[]): void {
    // Only what could run a policy: calling the value itself (`limit(fn)`), or a method some policy runs work with.
    const runMethods = policyRunMethods(this.catalog);
    for (const file of files) {
      for (let index = 0; index < file.calls.length; index++) {
        const call = file.calls[index];
        if (call.fn < 0 || !call.args.some((arg) => arg.k === 'fn')) continue;
        if (!(call.callee.k === 'ref' || (call.callee.k === 'get' && call.callee.p !== null && runMethods.has(call.callee.p))) || !this.usesParameters(call.callee, file)) continue;
        if (isPolicyValue(this.evaluator.evaluate(call.callee, { file }))) continue; // run already, frameless
        // The frames of the function whose parameter it reads: code nested in it (a route handler, an IIFE) reads it too.
        for (const { frame } of this.framesFor(file, parameterOwner(call.callee, file) ?? call.fn) ?? []) {
          if (isPolicyValue(this.evaluator.evaluate(call.callee, { file, frame }))) this.evaluator.evaluate({ k: 'call', c: index }, { file, frame });
        }
      }
    }
  }

  /**
   * After every call site was seen: the functions that callers hand to policy-running wrappers are covered too,
   * through wrappers of wrappers (a few rounds; each round can only add).
   */
  coverWrapperArguments(): void {
    for (let round = 0; round < 4; round++) {
      let added = false;
      for (const [key, entries] of [...this.coveredParameters]) {
        for (const caller of this.invocations.get(key) ?? []) {
          for (const { index, policy, chosen } of entries) {
            const arg = caller.args[index];
            if (!arg) continue;
            const value = this.evaluator.evaluate(arg.val, arg.ctx);
            if (value.t === 'fn' && index === 0) this.ranBy(policy, caller.site);
            if (value.t === 'fn' && !(this.covered.get(`${value.file.path}#${value.fn}`) ?? []).includes(policy)) {
              this.cover(value, policy, caller.site, chosen);
              added = true;
            } else if (value.t === 'param') {
              const outer = `${value.file.path}#${value.fn}`;
              const list = this.coveredParameters.get(outer) ?? [];
              if (!list.some((entry) => entry.index === value.index && entry.policy === policy)) {
                list.push({ index: value.index, policy, ...(chosen && { chosen }) });
                this.coveredParameters.set(outer, list);
                added = true;
              }
            }
          }
        }
      }
      if (!added) return;
    }
  }
}

export function buildModel(input: LinkInput): Model {
  const filesByPath = new Map(input.facts.map((facts) => [facts.path, facts]));
  const serviceOf = new Map(input.files.map((entry) => [entry.path, entry.service]));
  const resolver = input.resolver ?? new ModuleResolver(input.root, input.layout, new Set(filesByPath.keys()), input.overlays);
  const registry = new Registry(input.catalog);
  const evaluator = new Evaluator(filesByPath, resolver, input.catalog, registry);
  registry.evaluator = evaluator;

  // Every call site, once, outside any frame. Calls inside functions are evaluated too: their own options are known
  // even when the function's parameters are not.
  for (const facts of input.facts) {
    for (let index = 0; index < facts.calls.length; index++) evaluator.callResult(facts, index);
  }

  registry.runInjectedPolicies(input.facts);
  registry.coverWrapperArguments();
  for (const record of registry.requests.values()) record.dispatcher = agentOf(record, evaluator);
  const serviceNames = input.layout.services.map((service) => service.name);
  const coverage = new PolicyCoverage(registry, new InHouseBreakers(input.facts));
  const detached = new DetachedCode();
  const judge = new TimeoutJudge(evaluator, registry, input.facts, serviceOf, coverage);
  judge.collectDefaults();
  linkInjectedClients(registry, serviceOf);

  const calledFrom = new CallGraph(registry);
  const requestContext = new RequestContext(registry, evaluator, input.facts, serviceOf, calledFrom, resolver, input.root, input.layout);
  const clients: ClientEntity[] = [];
  const clientIds = new Map<ClientRecord, string>();
  const imports = importGraph(input.facts, resolver);
  // Modules loaded by a computed `require(…)` are imports too, as far as evaluation resolved them.
  for (const [from, targets] of evaluator.computedImports) imports.set(from, [...new Set([...(imports.get(from) ?? []), ...targets])].sort());
  const browserCode = new BrowserCode(input.facts, input.files, imports);
  // A `#!` script that starts no server is run from a shell: a developer's tool (an express `bin/www` is a server).
  const serverFiles = new Set(registry.servers.map((server) => server.site.file.path));
  const shellScripts = new Set(input.facts.filter((file) => file.shebang && !serverFiles.has(file.path)).map((file) => file.path));
  const files = withToolOnlyCode(input.files, imports, browserCode, shellScripts);
  const withTests = withTestImports(imports, input.testImports, resolver);
  const eligible = takesKindOfImporters(files, browserCode);
  const neverRuns = new Set([...testOnlyFiles(withTests, new Set(input.testImports?.keys()), eligible), ...neverLoadedFiles(files, withTests, input.layout.libraries, eligible)]);
  const published = publishedLibraries(input.layout.libraries);
  const publishedFiles = new Set(files.filter((entry) => entry.library !== undefined && published.has(entry.library)).map((entry) => entry.path));
  const reach = new FunctionReach(registry, (file, callIndex) => browserCode.isBrowserCall(file, callIndex), new Set(files.filter((entry) => entry.runs === 'tool').map((entry) => entry.path)), neverRuns);
  for (const record of registry.clients.values()) {
    if (judge.isInProcess(record) || runsOnNoServer(reach.ofCall(record.file, record.callIndex))) continue;
    const id = `client:${record.id}`;
    clientIds.set(record, id);
    const optionNames = judge.optionNames(record.options);
    const capacity = connectionCaps(record, evaluator);
    const options = judge.clientOptions(record);
    const headers = requestContext.clientHeaders(record, options, (value) => judge.optionNames(value)?.map((name) => name.toLowerCase()));
    clients.push({
      id,
      library: record.library.id,
      type: record.type,
      kind: record.library.kind,
      role: record.role,
      callee: calleeText(record.file, record.callIndex),
      timeoutAt: record.library.timeout?.fixAt ?? 'client',
      location: locate(record.file, record.file.calls[record.callIndex].span),
      file: record.file.path,
      service: serviceOf.get(record.file.path),
      ...(optionNames && { optionNames }),
      timeout: judge.clientVerdict(record),
      calls: [],
      target: withService(clientTarget(record, evaluator), serviceNames),
      ...(capacity && { capacity }),
      ...(headers && { headers }),
      ...timeoutFixFor(record.library, record.operation.optionsArgs),
      intercepted: requestContext.isIntercepted(record, options),
      ...(record.parent && { extends: `client:${record.parent.id}` }),
    });
  }

  const policies = new Map<PolicyRecord, PolicyEntity>();
  // A factory's own policy call stands for every instance its calls make: the instances are judged, not it.
  const factoryMade = new Set([...registry.policies.values()].flatMap((record) => (record.madeBy ? [record.madeBy] : [])));
  for (const record of registry.policies.values()) {
    const fact = record.file.calls[record.callIndex];
    const made = record.madeBy ? record.madeBy.file.calls[record.madeBy.callIndex] : fact;
    policies.set(record, {
      id: `policy:${record.id}`,
      library: record.library.id,
      kinds: record.kinds,
      callee: made.isNew ? `new ${made.text}` : made.text,
      location: locate(record.file, fact.span),
      file: record.file.path,
      service: serviceOf.get(record.file.path),
      ...(record.timeoutMs !== undefined && { timeoutMs: record.timeoutMs }),
      ...(record.capacity !== undefined && { capacity: record.capacity }),
      singleInstance: !factoryMade.has(record) && calledFrom.singleInstance(record),
      calls: [],
      runners: registry.runners.get(record) ?? [],
    });
  }

  const calls: OutboundCall[] = [];
  const clientsById = new Map(clients.map((client) => [client.id, client]));
  const policiesReaching = new Map<string, PolicyRecord[]>();
  for (const policy of policies.keys()) {
    for (const file of filesOf(calledFrom.reachedFunctions(policy))) {
      const list = policiesReaching.get(file) ?? [];
      list.push(policy);
      policiesReaching.set(file, list);
    }
  }
  for (const record of registry.requests.values()) {
    if (!record.library.timeout || runsOnNoServer(reach.ofCall(record.file, record.callIndex))) continue;
    if (record.client && !clientIds.has(record.client)) continue; // an in-process database
    const fact = record.file.calls[record.callIndex];
    const id = `call:${record.id}`;
    const clientId = record.client ? clientIds.get(record.client) : undefined;
    const target = withService(requestTarget(record, evaluator), serviceNames);
    // A call whose target or headers come from its function's parameters is judged at each call of that function.
    const headers = judge.headerNames(record);
    const generic = !(target.service || target.host) || headers === undefined;
    const wrapped = generic ? wrapperCalls(record, { target, headers }, { evaluator, registry, coverage, calledFrom, policies, serviceOf, serviceNames, judge, requestContext, detached, reach }) : undefined;
    const via = wrapped?.calls;
    const viaSites = wrapped?.sites;
    const agentId = record.dispatcher ? clientIds.get(record.dispatcher) : undefined;
    const enclosing = fact.fn >= 0 ? record.file.functions[fact.fn]?.name : undefined;
    calls.push({
      id,
      library: record.library.id,
      kind: record.operation.kind ?? record.library.kind,
      method: record.method,
      callee: fact.text,
      location: locate(record.file, fact.span),
      file: record.file.path,
      service: serviceOf.get(record.file.path),
      target,
      ...(clientId && { client: clientId }),
      headers,
      inRequestHandler: requestContext.inRequestHandler(record.file, record.callIndex),
      timeout: judge.requestVerdict(record),
      awaitsReply: !record.operation.fireAndForget,
      ...(detached.call(record.file, record.callIndex) && { detached: true as const }),
      ...(reach.ofCall(record.file, record.callIndex) === 'tool' && { fromToolsOnly: true as const }),
      ...(originFromIncomingRequest(record, requestContext) && { originFromRequest: true as const }),
      ...(!via && publishedFiles.has(record.file.path) && addressFromPackageUsers(record, target, registry, evaluator) && { addressFromPackageUsers: true as const }),
      ...(enclosing && { enclosingFunction: enclosing }),
      ...describeCoverage(coverage.forRequest(record), policies, calledFrom, requestContext),
      ...(agentId && { agent: agentId }),
      ...(record.operation.optionsArgs !== 'objects' && timeoutFixFor(record.library, record.operation.optionsArgs)),
      passedTo: passedTo(record.file, fact.fn),
      ...(via && { via }),
      ...headerHelperOf(record),
      ...incomingRequestOf(record, registry),
    });
    // What each policy reaches on some path: the call itself, or the wrapper calls made under it. Only the policies
    // that reach the call's file or a wrapper call's file can (checking every policy made this quadratic).
    const candidates = new Set([record.file.path, ...(viaSites ?? []).map((site) => site.file.path)].flatMap((file) => policiesReaching.get(file) ?? []));
    if (record.policy) candidates.add(record.policy);
    for (const policy of candidates) {
      const entity = policies.get(policy);
      if (!entity) continue;
      const reached = calledFrom.reachedFunctions(policy);
      // For a wrapper, which of its callers run under the policy decides which downstreams it reaches.
      const reachedVia = (via ?? []).flatMap((_, index) => (CallGraph.inside(viaSites![index].file, viaSites![index].callIndex, reached) ? [index] : []));
      if (record.policy === policy || (reachedVia.length === 0 && CallGraph.inside(record.file, record.callIndex, reached))) entity.calls.push({ call: id });
      else reachedVia.forEach((index) => entity.calls.push({ call: id, via: index }));
    }
    if (clientId) clientsById.get(clientId)?.calls.push(id);
  }

  return {
    root: input.root,
    services: input.layout.services,
    libraries: input.layout.libraries,
    files,
    clients: sortByLocation(clients),
    calls: sortByLocation(calls),
    policies: sortByLocation([...policies.values()]),
    databaseUses: databaseUses({ clients, environment: input.environment, serviceNames, declared: input.databases }),
    crossServiceImports: crossServiceImports({ facts: input.facts, serviceOf, resolver, clients, calls }),
    serviceDependencies: serviceDependencies(input.root, input.layout),
    servers: sortByLocation(requestContext.servers()),
    tracing: sortByLocation(requestContext.tracing()),
    serviceSummaries: requestContext.summaries(),
    // Only per-project inputs ask for it, so an editor's re-analysis does not pay for it.
    ...(input.callGraph && { functionCalls: functionCalls(registry, filesByPath) }),
    influences: registry.influences,
    loadedByName: [...evaluator.computedImports].flatMap(([from, targets]) => [...targets].sort().map((to) => ({ from, to }))).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  };
}

function functionCalls(registry: Registry, filesByPath: Map<string, FileFacts>): NonNullable<Model['functionCalls']> {
  /** `file#fn` of the top-level function that holds function `fn` of `file` (or `file#-1`, module level). */
  const topLevel = (file: FileFacts | undefined, path: string, fn: number): string => {
    let outer = fn;
    while (file && outer >= 0 && (file.functions[outer]?.parent ?? -1) >= 0) outer = file.functions[outer].parent;
    return `${path}#${outer}`;
  };
  const callerOf = (site: CallSite) => topLevel(site.file, site.file.path, site.file.calls[site.callIndex].fn);
  const edges = new Map<string, { caller: string; callee: string }>();
  const add = (caller: string, callee: string) => {
    if (caller !== callee) edges.set(`${caller} ${callee}`, { caller, callee });
  };
  for (const { site, fn } of registry.handedOver) add(callerOf(site), topLevel(fn.file, fn.file.path, fn.fn));
  for (const [key, callers] of registry.invocations) {
    const split = key.lastIndexOf('#');
    const calleePath = key.slice(0, split);
    const callee = topLevel(filesByPath.get(calleePath), calleePath, Number(key.slice(split + 1)));
    for (const { site } of callers) add(callerOf(site), callee);
  }
  return [...edges.values()];
}

/** The `dependencies` of each service's package.json. */
function serviceDependencies(root: string, layout: WorkspaceLayout): Record<string, string[]> {
  const dependencies: Record<string, string[]> = {};
  for (const service of layout.services) {
    try {
      const manifest = JSON.parse(readWorkspaceFile(path.join(root, service.root, 'package.json'), { root }) ?? '{}') as { dependencies?: Record<string, string> };
      dependencies[service.name] = Object.keys(manifest.dependencies ?? {}).sort();
    } catch {
      dependencies[service.name] = [];
    }
  }
  return dependencies;
}

/**
 * The helper a call's own options take their headers from, as written: `headers: correlationHeaders()` (a call
 * without arguments) or `headers: defaultHeaders`, also spread (`headers: { ...correlationHeaders(), accept }`), when
 * its name is bound at module level (so any code of the file can use it).
 */
function headerHelperOf(record: RequestRecord): Pick<OutboundCall, 'headerHelper'> {
  const { file } = record;
  const fact = file.calls[record.callIndex];
  const indexes = Array.isArray(record.operation.optionsArgs) ? record.operation.optionsArgs : [];
  const options = indexes.map((index) => fact.args[index]).find((arg) => arg?.k === 'obj');
  if (options?.k !== 'obj') return {};
  const headers = options.props.find((prop): prop is Extract<typeof prop, { key: string }> => 'key' in prop && prop.key === 'headers')?.v;
  const spread = headers?.k === 'obj' ? headers.props.filter((prop): prop is Extract<typeof prop, { spread: Val }> => 'spread' in prop).map((prop) => prop.spread) : [];
  for (const value of headers ? [headers, ...spread] : []) {
    const root = value.k === 'call' && file.calls[value.c].args.length === 0 ? rootBinding(file, file.calls[value.c].callee) : value.k === 'ref' ? rootBinding(file, value) : undefined;
    if (root === undefined) continue;
    const binding = file.bindings[root];
    const text = value.k === 'call' ? `${file.calls[value.c].text}()` : binding.name;
    return { headerHelper: { text, name: binding.name, ...(binding.from !== undefined && { from: binding.from, imported: binding.imported }) } };
  }
  return {};
}

/** The module-level binding a name or member chain starts with (`correlation.headers` → `correlation`). */
function rootBinding(file: FileFacts, value: Val): number | undefined {
  let current = value;
  while (current.k === 'get') current = current.o;
  return current.k === 'ref' && file.bindings[current.b]?.moduleLevel ? current.b : undefined;
}

/** The handler (registered with a framework) that a call is written in, and the name of its request parameter. */
/**
 * Does the URL's origin come from the incoming request (`fetch(\`${body.endpointUrl}/v1/models\`)` with `body` from
 * `await request.json()`)? Then the caller of this service picks the destination: a probe of a user-supplied
 * endpoint, with no one downstream to put a breaker in front of. Only the origin counts (the start of a template or
 * `+`): a path parameter (`${USERS_URL}/users/${req.params.id}`) names no destination. Values pass through string
 * methods and validators (`Schema.parse(body)`, `JSON.parse(text)`), not through other calls.
 */
function originFromIncomingRequest(record: RequestRecord, requestContext: RequestContext): boolean {
  const { file } = record;
  const urlArg = record.operation.urlArg;
  if (urlArg === undefined) return false;
  let requestParam: number | undefined;
  for (let fn = file.calls[record.callIndex].fn; fn >= 0 && requestParam === undefined; fn = file.functions[fn].parent) {
    if (requestContext.isHandler(file, fn)) requestParam = file.functions[fn].params[0];
  }
  if (requestParam === undefined || requestParam < 0) return false;
  const seen = new Set<number>();
  const fromRequest = (val: Val, depth: number): boolean => {
    if (depth > 12) return false;
    switch (val.k) {
      case 'ref': {
        if (val.b === requestParam) return true;
        if (seen.has(val.b)) return false;
        seen.add(val.b);
        const binding = file.bindings[val.b];
        return binding !== undefined && binding.kind !== 'param' && fromRequest(binding.value, depth + 1);
      }
      case 'get':
        // Only what the client sent: `req.body`, `req.query`, not `req.app` or `request.server` (the server's own).
        if (val.o.k === 'ref' && val.o.b === requestParam) return REQUEST_DATA.has(val.p ?? '');
        return fromRequest(val.o, depth + 1);
      case 'tpl': {
        const origin = val.parts.find((part) => !(part.k === 'lit' && part.v === ''));
        return origin !== undefined && fromRequest(origin, depth + 1);
      }
      case 'bin':
        return fromRequest(val.l, depth + 1);
      case 'alt': {
        // `let input; … input = Schema.parse(body)`: the declared-empty start and unknowns name no other origin.
        const known = val.opts.filter((option) => option.k !== 'unknown' && !(option.k === 'lit' && option.v === undefined));
        return known.length > 0 && known.every((option) => fromRequest(option, depth + 1));
      }
      case 'call': {
        const call = file.calls[val.c];
        if (!call || call.callee.k !== 'get') return false;
        if (VALIDATORS.has(call.callee.p ?? '')) return call.args.length > 0 && fromRequest(call.args[0], depth + 1);
        if (call.callee.o.k === 'ref' && call.callee.o.b === requestParam) return REQUEST_DATA.has(call.callee.p ?? '');
        return fromRequest(call.callee.o, depth + 1);
      }
      default:
        return false;
    }
  };
  return fromRequest(file.calls[record.callIndex].args[urlArg] ?? { k: 'unknown' }, 0);
}

/** What a request carries from its client (`req.body`, `await request.json()`, `ctx.request`, `req.get('host')`). */
const REQUEST_DATA = new Set(['body', 'query', 'params', 'headers', 'header', 'get', 'json', 'formData', 'text', 'url', 'nextUrl', 'searchParams', 'cookies', 'request']);

/** Calls that hand back the data they check: schema validators and JSON parsing. */
const VALIDATORS = new Set(['parse', 'safeParse', 'parseAsync', 'validate', 'validateSync', 'cast']);

function incomingRequestOf(record: RequestRecord, registry: Registry): Pick<OutboundCall, 'incomingRequest'> {
  const { file } = record;
  for (let fn = file.calls[record.callIndex].fn; fn >= 0; fn = file.functions[fn].parent) {
    const handler = registry.handlers.get(`${file.path}#${fn}`);
    if (!handler) continue;
    const param = file.functions[fn].params[0];
    const binding = param !== undefined && param >= 0 ? file.bindings[param] : undefined;
    if (!binding) return {};
    return { incomingRequest: { name: binding.name, framework: handler.framework, location: locate(file, file.functions[fn].span) } };
  }
  return {};
}

/** Nest's `HttpService` is injected: it carries the options of the `HttpModule.register()` in the same service. */
function linkInjectedClients(registry: Registry, serviceOf: Map<string, string | undefined>): void {
  for (const request of registry.requests.values()) {
    if (!request.injected || request.client) continue;
    const service = serviceOf.get(request.file.path);
    const registrations = [...registry.clients.values()].filter((client) => client.library === request.library && client.type === request.injected);
    // In a shared library, the service is whichever imports it: only a single registration in the workspace decides.
    const candidates = service === undefined ? registrations : registrations.filter((client) => serviceOf.get(client.file.path) === service);
    if (service === undefined) for (const client of registrations) registry.influences.push({ from: client.file.path, to: request.file.path });
    if (candidates.length === 1) request.client = candidates[0];
    else if (candidates.length > 1 && service !== undefined) request.client = candidates.find((client) => client.file === request.file) ?? candidates[0];
    else if (candidates.length > 1) request.injected = AMBIGUOUS_INJECTION;
  }
}

/** The model's view of what a call runs under: each policy (created per call or not), and the kinds it is always under. */
function describeCoverage(covered: Coverage, policies: Map<PolicyRecord, PolicyEntity>, calledFrom: CallGraph, requestContext: RequestContext): Pick<OutboundCall, 'policies' | 'alwaysUnder'> {
  return {
    policies: covered.policies.map((policy) => ({
      id: policies.get(policy)!.id,
      perCall: calledFrom.createdPerCall(policy, requestContext.inRequestHandler(policy.file, policy.callIndex)),
    })),
    alwaysUnder: covered.kinds,
  };
}

interface WrapperContext {
  evaluator: Evaluator;
  registry: Registry;
  coverage: PolicyCoverage;
  calledFrom: CallGraph;
  policies: Map<PolicyRecord, PolicyEntity>;
  serviceOf: Map<string, string | undefined>;
  serviceNames: string[];
  judge: TimeoutJudge;
  requestContext: RequestContext;
  detached: DetachedCode;
  reach: FunctionReach;
}

const MAX_WRAPPER_CALLERS = 24;

/**
 * The calls of the generic wrapper a request is written in, each with the target its arguments give. Where a call of
 * the wrapper is itself inside a wrapper that passes its own parameters on (`getUpstreamJson({ url })` calling
 * `fetchJson({ url })`), and so names no target, the calls of that outer wrapper stand in for it, with the targets they
 * give. The policies of both calls count, and the inner call's site is kept for what runs under a limiter.
 */
function wrapperCalls(record: RequestRecord, own: Pick<WrapperCall, 'target' | 'headers'>, context: WrapperContext): { calls: WrapperCall[]; sites: CallSite[] } | undefined {
  const fact = record.file.calls[record.callIndex];
  const wrapper = context.registry.wrapperOf(record.file, fact.fn);
  if (!wrapper || wrapper.callers.length > MAX_WRAPPER_CALLERS) return undefined;
  const entry = (site: CallSite, frame: Frame, inner?: CallSite): WrapperCall => {
    const args = fact.args.map((arg) => context.evaluator.evaluate(arg, { file: record.file, frame }));
    const callerFact = site.file.calls[site.callIndex];
    const coverage = describeCoverage(context.coverage.forFunctionChain(site.file, callerFact.fn), context.policies, context.calledFrom, context.requestContext);
    const innerFact = inner ? inner.file.calls[inner.callIndex] : undefined;
    const innerCoverage = inner && innerFact ? describeCoverage(context.coverage.forFunctionChain(inner.file, innerFact.fn), context.policies, context.calledFrom, context.requestContext) : undefined;
    return {
      location: locate(site.file, callerFact.span),
      callee: callerFact.text,
      service: context.serviceOf.get(site.file.path),
      target: withService(requestTarget(record, context.evaluator, args), context.serviceNames),
      policies: [...coverage.policies, ...(innerCoverage?.policies ?? [])],
      alwaysUnder: [...new Set([...coverage.alwaysUnder, ...(innerCoverage?.alwaysUnder ?? [])])],
      passedTo: [...passedTo(site.file, callerFact.fn), ...(inner && innerFact ? passedTo(inner.file, innerFact.fn) : [])],
      headers: context.judge.headerNames(record, args),
      inRequestHandler: context.requestContext.inRequestHandler(site.file, site.callIndex) || (!!inner && context.requestContext.inRequestHandler(inner.file, inner.callIndex)),
      ...((context.detached.call(site.file, site.callIndex) || (!!inner && context.detached.call(inner.file, inner.callIndex))) && { detached: true as const }),
      ...((context.reach.ofCall(site.file, site.callIndex) === 'tool' || (!!inner && context.reach.ofCall(inner.file, inner.callIndex) === 'tool')) && { fromToolsOnly: true as const }),
    };
  };
  const direct: WrapperCall[] = [];
  const expanded: WrapperCall[] = [];
  const expandedSites: CallSite[] = [];
  for (const { site, args: frameArgs } of wrapper.callers) {
    const call = entry(site, { file: record.file, fn: wrapper.fn, args: frameArgs });
    direct.push(call);
    const siteFn = site.file.calls[site.callIndex].fn;
    const outer = !named(call.target) && siteFn >= 0 ? context.registry.wrapperOf(site.file, siteFn) : undefined;
    if (!outer || outer.callers.length === 0 || outer.callers.length > MAX_WRAPPER_CALLERS) {
      expanded.push(call);
      expandedSites.push(site);
      continue;
    }
    // One wrapper up: the arguments written at this call read the outer wrapper's parameters, as each of its callers passes them.
    const outerCalls = outer.callers.map((caller) => {
      const outerFrame: Frame = { file: site.file, fn: outer.fn, args: caller.args };
      const frame: Frame = { file: record.file, fn: wrapper.fn, args: frameArgs.map((arg) => ({ val: arg.val, ctx: { file: arg.ctx.file, frame: outerFrame } })) };
      return entry(caller.site, frame, site);
    });
    // The outer wrapper's callers name no downstream and set no other headers (`send(packet)` always posts to
    // `http://${HOST}:5959`): they add nothing, and the call here is the place.
    const adds = (other: WrapperCall) =>
      JSON.stringify(other.headers) !== JSON.stringify(call.headers) || (named(other.target) && JSON.stringify(other.target) !== JSON.stringify(call.target));
    if (!outerCalls.some(adds)) {
      expanded.push(call);
      expandedSites.push(site);
      continue;
    }
    for (const outerCall of outerCalls) {
      expanded.push(outerCall);
      expandedSites.push(site);
    }
  }
  // Too many calls one level up: the wrapper's own calls, as they are.
  const useExpanded = expanded.length <= MAX_WRAPPER_CALLERS * 2;
  const calls = useExpanded ? expanded : direct;
  const sites = useExpanded ? expandedSites : wrapper.callers.map((caller) => caller.site);
  // Only a wrapper whose callers say more than the call itself does (not `sendEmail(to)`).
  const [ownTarget, ownHeaders] = [JSON.stringify(own.target), JSON.stringify(own.headers)];
  const informative = calls.some((call) => JSON.stringify(call.target) !== ownTarget || JSON.stringify(call.headers) !== ownHeaders);
  return informative ? { calls, sites } : undefined;
}

/**
 * Code that only developers' tools import (a library of adapters that only `scripts/` use) runs as a tool too: the
 * breaker and correlation rules leave it alone, as they do the scripts. Browser code counts neither way.
 */
function withToolOnlyCode(given: SourceFileEntry[], imports: Map<string, string[]>, browserCode: BrowserCode, shellScripts: Set<string>): SourceFileEntry[] {
  const entries = given.map((entry) => (entry.runs === undefined && shellScripts.has(entry.path) ? { ...entry, runs: 'tool' as const } : entry));
  const tools = new Set(entries.filter((entry) => entry.runs === 'tool').map((entry) => entry.path));
  if (tools.size === 0) return entries;
  const toolOnly = reachedOnlyFrom(tools, imports, takesKindOfImporters(entries, browserCode), (file) => browserCode.isBrowserFile(file));
  return toolOnly.size === 0 ? entries : entries.map((entry) => (toolOnly.has(entry.path) ? { ...entry, runs: 'tool' as const } : entry));
}

/**
 * Files that may take the kind of the code that imports them: server-side files of no kind yet, less the modules a
 * framework loads by path (which may have no importer at all).
 */
function takesKindOfImporters(entries: SourceFileEntry[], browserCode: BrowserCode): (file: string) => boolean {
  const plain = new Set(entries.filter((entry) => entry.runs === undefined).map((entry) => entry.path));
  return (file) => plain.has(file) && !browserCode.isBrowserFile(file) && !isServerModule(file) && !SERVER_ENTRY.test(file);
}

/** The import graph with test files' imports added (tests are not analysed, so `imports` lacks them). */
function withTestImports(imports: Map<string, string[]>, testImports: Map<string, string[]> | undefined, resolver: ModuleResolver): Map<string, string[]> {
  if (!testImports || testImports.size === 0) return imports;
  const graph = new Map(imports);
  for (const [test, specifiers] of testImports) {
    const targets = new Set<string>();
    for (const specifier of specifiers) {
      const resolved = resolver.resolve(test, specifier);
      if (resolved.kind === 'file') targets.add(resolved.path);
    }
    graph.set(test, [...targets]);
  }
  return graph;
}

/** A test double by its name: `stripe_mock_service.ts`, `fake-mailer.ts`, `payments.stub.ts`. */
const TEST_DOUBLE = /(^|[._-])(mock|mocks|fake|fakes|stub|stubs)([._-]|$)/i;

/**
 * Test doubles only test files import (a mock service the specs use), and what only they import: skipped like the
 * tests themselves. Being imported only by tests is not enough on its own: a module a framework loads by path (a
 * task, a route) is imported by nothing else either, and may be tested.
 */
function testOnlyFiles(graph: Map<string, string[]>, tests: Set<string>, eligible: (file: string) => boolean): Set<string> {
  if (tests.size === 0) return new Set();
  const reachedByTests = reachedOnlyFrom(tests, graph, eligible);
  const doubles = new Set([...reachedByTests].filter((file) => TEST_DOUBLE.test(path.posix.basename(file))));
  if (doubles.size === 0) return doubles;
  const onlyThroughDoubles = reachedOnlyFrom(doubles, graph, (file) => reachedByTests.has(file), (file) => tests.has(file));
  return new Set([...doubles, ...onlyThroughDoubles]);
}

/**
 * Modules of a library only this workspace consumes (WorkspaceLibrary.workspaceOnlyEntries) that no file imports, not
 * even a test, and what only they import: nothing loads them, so they never run. A published package is left out, as
 * anyone may import any module of it; so are its entry modules and what a framework loads by path.
 */
function neverLoadedFiles(entries: SourceFileEntry[], graph: Map<string, string[]>, libraries: WorkspaceLibrary[], eligible: (file: string) => boolean): Set<string> {
  const entriesOf = new Map(libraries.filter((library) => library.workspaceOnlyEntries).map((library) => [library.name, new Set(library.workspaceOnlyEntries)]));
  if (entriesOf.size === 0) return new Set();
  const imported = new Set([...graph.values()].flat());
  const seeds = new Set(
    entries
      .filter((entry) => {
        const libraryEntries = entry.library === undefined ? undefined : entriesOf.get(entry.library);
        return libraryEntries && eligible(entry.path) && !imported.has(entry.path) && !libraryEntries.has(entry.path.replace(/\.[cm]?[jt]sx?$/, ''));
      })
      .map((entry) => entry.path),
  );
  if (seeds.size === 0) return seeds;
  return new Set([...seeds, ...reachedOnlyFrom(seeds, graph, eligible)]);
}

/** Beside the server modules browser detection knows: route folders and route modules a framework loads by path, and entry modules. */
const SERVER_ENTRY = /(^|\/)(app\/routes|routes)\/|(^|\/)route\.[cm]?[jt]sx?$|(^|\/)(main|server)\.[cm]?[jt]s$/;

/**
 * The address is a parameter of the function the request is written in, and no code of the workspace calls that
 * function with one: it has no callers, or only callers that pass their own parameters on, a few wrappers up.
 */
function addressFromPackageUsers(record: RequestRecord, target: CallTarget, registry: Registry, evaluator: Evaluator): boolean {
  const address = record.operation.urlArg === undefined ? undefined : record.args[record.operation.urlArg];
  if (named(target) || target.url || address?.t !== 'param') return false;
  return onlyOutsideCallersChoose(address, registry, evaluator, new Set());
}

const MAX_PARAMETER_HOPS = 4;

function onlyOutsideCallersChoose(param: Extract<Resolved, { t: 'param' }>, registry: Registry, evaluator: Evaluator, seen: Set<string>): boolean {
  const key = `${param.file.path}#${param.fn}`;
  if (seen.has(key)) return true; // a recursive call passes on what it was given
  if (seen.size >= MAX_PARAMETER_HOPS) return false;
  seen.add(key);
  const callers = registry.callersOf(param.file, param.fn);
  if (callers.length > MAX_WRAPPER_CALLERS) return false;
  return callers.every(({ args }) => {
    const arg = args[param.index];
    const value = arg ? (arg.value ?? evaluator.evaluate(arg.val, arg.ctx)) : undefined;
    return value?.t === 'param' && onlyOutsideCallersChoose(value, registry, evaluator, seen);
  });
}

/** Libraries published for others: not only this workspace consumes them (WorkspaceLibrary.workspaceOnlyEntries). */
function publishedLibraries(libraries: WorkspaceLibrary[]): Set<string> {
  return new Set(libraries.filter((library) => !library.workspaceOnlyEntries).map((library) => library.name));
}

/** A target that names where the call goes: a service, a host or an environment variable. */
function named(target: CallTarget): boolean {
  return !!(target.service || target.host || target.envVars?.length);
}

/** The agent (http.Agent, undici dispatcher) a request goes through: from its own options, else its client's. */
function agentOf(request: RequestRecord, evaluator: Evaluator): ClientRecord | undefined {
  const paths = request.library.agentOptions;
  if (!paths) return undefined;
  const sources = [...request.args.filter((arg) => arg.t === 'obj'), ...(request.client?.options ? [request.client.options] : [])];
  for (const options of sources) {
    for (const path of paths) {
      let value: Resolved = options;
      for (const key of path) value = evaluator.member(value, key);
      if (value.t === 'lib' && value.client?.role === 'agent') return value.client;
    }
  }
  return undefined;
}

function connectionCaps(client: ClientRecord, evaluator: Evaluator): ClientEntity['capacity'] {
  const spec = client.operation.capacity;
  if (!spec || !client.options) return undefined;
  const read = (path: string[] | undefined) => {
    if (!path) return undefined;
    let value: Resolved = client.options!;
    for (const key of path) value = evaluator.member(value, key);
    if (isAbsent(value)) return undefined;
    return numberOf(value) ?? Number.NaN;
  };
  const perOrigin = read(spec.perOrigin);
  const total = read(spec.total);
  if (perOrigin === undefined && total === undefined) return undefined;
  return { ...(perOrigin !== undefined && { perOrigin }), ...(total !== undefined && { total }) };
}

/** The names of the calls that each function enclosing `fn` is handed to as an argument, innermost first. */
function passedTo(file: FileFacts, fn: number): string[] {
  const handed = handedTo(file);
  const names: string[] = [];
  for (let current = fn; current >= 0; current = file.functions[current].parent) names.push(...(handed.get(current) ?? []));
  return names;
}

/** The catalog's quick-fix edit for a library, placed at the operation's options argument. */
function timeoutFixFor(library: LibrarySpec, optionsArgs: number[] | 'last-object'): { timeoutFix?: TimeoutFix } {
  const insert = library.timeout?.insert;
  if (!insert) return {};
  return { timeoutFix: { arguments: optionsArgs === 'last-object' ? 'last' : optionsArgs, ...insert } };
}

function pickOptions(args: Resolved[], which: number[] | 'last-object'): Resolved | undefined {
  if (which === 'last-object') {
    for (let i = args.length - 1; i >= 0; i--) if (isOptionsLike(args[i])) return args[i];
    return undefined;
  }
  for (const index of which) if (args[index] && isOptionsLike(args[index])) return args[index];
  return undefined;
}

/** Could this argument be an options object? Strings, numbers and functions cannot. */
export function isOptionsLike(value: Resolved): boolean {
  return !(value.t === 'lit' || value.t === 'str' || value.t === 'env' || value.t === 'fn' || value.t === 'arr' || value.t === 'request');
}

function policyCapacity(spec: Extract<Operation, { does: 'policy' }>['policy'], args: Resolved[], evaluator: Evaluator): number | undefined {
  if (!spec.capacity) return undefined;
  let value: Resolved | undefined = args[spec.capacity.arg];
  for (const key of spec.capacity.path ?? []) value = value ? evaluator.member(value, key) : value;
  if (!value || (value.t === 'lit' && value.v === undefined)) return undefined;
  return value.t === 'lit' && typeof value.v === 'number' ? value.v : Number.NaN;
}

function optionValue(spec: Extract<Operation, { does: 'policy' }>['policy'], args: Resolved[], evaluator: Evaluator): Resolved {
  const option = spec.timeoutOption;
  let value: Resolved = (option && args[option.arg]) || { t: 'lit', v: undefined };
  for (const key of option?.path ?? []) value = isAbsent(value) ? value : evaluator.member(value, key);
  return value;
}

function policyTimeout(spec: Extract<Operation, { does: 'policy' }>['policy'], args: Resolved[], evaluator: Evaluator): number | undefined {
  if (spec.role === 'combine') return undefined;
  const option = spec.timeoutOption;
  if (!option) return undefined;
  let value = args[option.arg];
  for (const key of option.path ?? []) value = value ? evaluator.member(value, key) : value;
  // A cockatiel Cooperative timeout only signals; the call must take the signal (which the call's own check sees).
  if (spec.strategyArg !== undefined) {
    const strategy = args[spec.strategyArg];
    const strategyName = strategy?.t === 'pkg' ? strategy.path[strategy.path.length - 1] : undefined;
    const fromObject = strategy?.t === 'obj' ? evaluator.member(strategy, 'strategy') : undefined;
    const objectName = fromObject?.t === 'pkg' ? fromObject.path[fromObject.path.length - 1] : undefined;
    if (strategyName === 'Cooperative' || objectName === 'Cooperative') return undefined;
  }
  if (!value || (value.t === 'lit' && value.v === undefined)) return option.default;
  if (value.t === 'lit' && option.none?.includes(value.v as number | boolean | null)) return undefined;
  if (value.t === 'lit' && typeof value.v === 'number') return value.v;
  return Number.NaN;
}

function calleeText(file: FileFacts, callIndex: number): string {
  const fact = file.calls[callIndex];
  return fact.isNew ? `new ${fact.text}` : fact.text;
}


const runMethodsOf = new WeakMap<Catalog, Set<string>>();

/** The methods any catalog policy runs work through (`schedule`, `execute`, `add`, `fire`). */
function policyRunMethods(catalog: Catalog): Set<string> {
  let names = runMethodsOf.get(catalog);
  if (names) return names;
  names = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 8) return;
    const record = value as { does?: string; policy?: { runs?: Record<string, unknown> } };
    if (record.does === 'policy') for (const name of Object.keys(record.policy?.runs ?? {})) names!.add(name);
    for (const child of Object.values(value)) visit(child, depth + 1);
  };
  for (const library of catalog.libraries) visit(library, 0);
  runMethodsOf.set(catalog, names);
  return names;
}

/** A policy, one of its methods, or alternatives among which one is. */
function isPolicyValue(value: Resolved): boolean {
  return value.t === 'policy' || value.t === 'policy-member' || (value.t === 'alt' && value.options.some(isPolicyValue));
}

export function siteId(site: CallSite): string {
  return `${site.file.path}#${site.callIndex}`;
}

export function locate(file: FileFacts, span: Span): SourceLocation {
  return { file: file.path, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

function sortByLocation<T extends { location: SourceLocation }>(items: T[]): T[] {
  return items.sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : a.location.line - b.location.line || a.location.column - b.location.column));
}


/** Code that runs in a browser, or never runs: its calls leave no server process. */
function runsOnNoServer(only: OnlyRunsIn | undefined): boolean {
  return only === 'browser' || only === 'nowhere';
}
