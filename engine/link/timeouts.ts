// How long a call or client may wait: call options, chained methods, the client's options and defaults, the module's
// defaults, an enclosing policy, and the library's own default, in that order. When a value that decides it cannot be
// resolved, the verdict is `unknown` and rules stay silent.
import type { TimeoutOption, TimeoutSpec } from '../catalog/types';
import type { FileFacts } from '../extract/facts';
import type { TimeoutVerdict } from '../model/types';
import type { Evaluator } from './evaluate';
import { isAbsent, memberPath, numberOf } from './evaluate';
import { isOptionsLike, locate, type Registry } from './link';
import type { PolicyCoverage } from './policies';
import type { ClientRecord, ObjectEntry, RequestRecord, Resolved } from './values';

type Status = 'bounded' | 'absent' | 'unknown';

interface OptionsCheck {
  status: Status;
  via?: 'options' | 'signal' | 'deadline';
  ms?: number;
  where?: ObjectEntry;
  /** Why an option that is there does not bound the call. */
  notes: string[];
  /** An option explicitly turns the timeout off (`timeout: 0`, `timeout: false`): the library default no longer applies. */
  disabled?: boolean;
  /** An option that bounds the call only if a listener for this event is attached (node:http `timeout`). */
  needsListener?: { event: string; ms?: number; where?: ObjectEntry };
}

/** Marks an injected service that more than one registration could configure. */
export const AMBIGUOUS_INJECTION = '$ambiguous';

export class TimeoutJudge {
  /** `axios.defaults.timeout = …` per library id and service (undefined service: a shared library sets it for all). */
  private readonly moduleDefaults = new Map<string, Array<{ service?: string; verdict: TimeoutVerdict }>>();
  private readonly clientDefaults = new Map<ClientRecord, TimeoutVerdict>();
  private readonly clientVerdicts = new Map<ClientRecord, TimeoutVerdict>();

  constructor(
    private readonly evaluator: Evaluator,
    private readonly registry: Registry,
    private readonly facts: FileFacts[],
    private readonly serviceOf: Map<string, string | undefined>,
    private readonly coverage: PolicyCoverage,
  ) {}

  /** Finds `<client or module>.defaults.timeout = value` assignments anywhere in the workspace. */
  collectDefaults(): void {
    for (const file of this.facts) {
      for (const assignment of file.assignments) {
        const { base, keys } = memberPath(assignment.target);
        let value = this.evaluator.evaluate(base, { file });
        for (let i = 0; i <= keys.length; i++) {
          if (value.t === 'lib' && value.library.timeout?.defaultsPath && sameKeys(keys.slice(i), value.library.timeout.defaultsPath)) {
            const assigned = this.evaluator.evaluate(assignment.value, { file });
            const ms = numberOf(assigned);
            const none = ms === 0;
            const verdict: TimeoutVerdict = assigned.t === 'unknown' || assigned.t === 'param'
              ? { status: 'unknown', source: value.client ? 'client-defaults' : 'module-defaults' }
              : { status: none ? 'unbounded' : 'bounded', source: value.client ? 'client-defaults' : 'module-defaults', ...(ms !== undefined && { ms }), location: locate(file, assignment.span) };
            if (value.client) {
              this.clientDefaults.set(value.client, verdict);
              this.registry.influences.push({ from: file.path, to: value.client.file.path });
            } else {
              const list = this.moduleDefaults.get(value.library.id) ?? [];
              list.push({ service: this.serviceOf.get(file.path), verdict });
              this.moduleDefaults.set(value.library.id, list);
            }
            break;
          }
          if (i < keys.length) value = this.evaluator.member(value, keys[i]);
        }
      }
    }
  }

  isInProcess(client: ClientRecord): boolean {
    const rule = client.library.inProcessWhen;
    if (!rule) return false;
    const value = this.lookup(this.clientOptions(client), rule.option);
    return value.t === 'lit' && typeof value.v === 'string' && rule.values.includes(value.v);
  }

  optionNames(options: Resolved | undefined): string[] | undefined {
    // `...(tls ? { tls: {} } : {})`: one of several known objects sets, at most, the names any of them sets.
    if (options?.t === 'alt') {
      const each = options.options.map((option) => (isAbsent(option) ? [] : this.optionNames(option)));
      return each.every((names) => names !== undefined) ? [...new Set(each.flat())].sort() : undefined;
    }
    if (!options || options.t !== 'obj' || options.open) return undefined;
    const names = new Set<string>();
    for (const entry of options.entries) {
      if ('spread' in entry) {
        const inner = this.optionNames(entry.spread);
        if (!inner) return undefined;
        inner.forEach((name) => names.add(name));
      } else names.add(entry.key);
    }
    return [...names].sort();
  }

  /**
   * The header names a request sets itself, lower case; undefined when they cannot be resolved. `$correlation` stands
   * for an option that carries a correlation ID by itself (amqplib `correlationId`).
   */
  headerNames(request: RequestRecord, args: Resolved[] = request.args): string[] | undefined {
    if (request.operation.forwardsHeaders) return ['$correlation'];
    if (request.operation.optionsArgs === 'objects') {
      // gRPC: metadata we cannot see into (a `Metadata` object, a variable) may carry anything.
      return args.slice(1).some((arg) => arg.t === 'pkg' || arg.t === 'unknown' || arg.t === 'param' || arg.t === 'lib') ? undefined : [];
    }
    // `.set('x-request-id', id)` (superagent) and `req.setHeader(…)` (node:http) set headers after the call.
    const chained = request.chain
      .filter((link) => (link.method === 'set' || link.method === 'setHeader') && link.args[0]?.t === 'lit' && typeof link.args[0].v === 'string')
      .map((link) => String((link.args[0] as { v: string }).v).toLowerCase());
    const options = this.requestOptions(request, args);
    if (!options) return chained;
    return this.headersOf(request, options, chained);
  }

  /** The header names of one options value; of alternatives (`init ?? undefined`), the names any of them sets. */
  private headersOf(request: RequestRecord, options: Resolved, chained: string[]): string[] | undefined {
    if (options.t === 'alt') {
      const each = options.options.map((option) => (isAbsent(option) ? chained : this.headersOf(request, option, chained)));
      return each.every((names) => names !== undefined) ? [...new Set(each.flat())].sort() : undefined;
    }
    if (options.t !== 'obj') return undefined;
    const names = new Set<string>(chained);
    for (const option of request.operation.correlationOptions ?? []) if (!isAbsent(this.evaluator.member(options, option))) names.add('$correlation');
    for (const path of request.operation.headerPaths ?? [['headers']]) {
      const found = this.headersAt(options, path);
      if (!found) return undefined;
      found.forEach((name) => names.add(name));
    }
    return [...names].sort();
  }

  /** Header names at a path; with `*`, those every element of the array has. */
  private headersAt(value: Resolved, path: string[]): string[] | undefined {
    if (path.length === 0) {
      if (isAbsent(value)) return [];
      return this.optionNames(value)?.map((name) => name.toLowerCase());
    }
    const [key, ...rest] = path;
    if (key === '*') {
      if (value.t !== 'arr') return undefined;
      const perItem = value.items.map((item) => this.headersAt(item, rest));
      if (perItem.some((names) => names === undefined)) return undefined;
      return perItem.length === 0 ? [] : perItem.reduce((common, names) => common!.filter((name) => names!.includes(name)))!;
    }
    if (isAbsent(value)) return [];
    return this.headersAt(this.evaluator.member(value, key), rest);
  }

  clientVerdict(client: ClientRecord): TimeoutVerdict {
    const known = this.clientVerdicts.get(client);
    if (known) return known;
    // Guards against a client that inherits from itself through a cycle.
    this.clientVerdicts.set(client, { status: 'unknown', source: 'none' });
    const verdict = this.computeClientVerdict(client);
    this.clientVerdicts.set(client, verdict);
    return verdict;
  }

  private computeClientVerdict(client: ClientRecord): TimeoutVerdict {
    const spec = client.library.timeout;
    if (!spec) return { status: 'unknown', source: 'none' };
    const options = this.clientOptions(client);
    let check = this.checkOptions(options, spec);
    if (check.status === 'unknown') check = this.clientOptionsFromCallers(client, spec) ?? check;
    if (check.status === 'bounded') return this.boundedBy(check, 'client-options');
    const fromUrl = this.urlTimeout(client, options, spec);
    if (fromUrl) return fromUrl;
    let unknown = check.status === 'unknown';
    if (spec.onlyInUrl && !this.hasLiteralUrl(client, options, spec)) unknown = true;
    const fromDefaults = this.clientDefaults.get(client);
    if (fromDefaults?.status === 'bounded') return fromDefaults;
    if (fromDefaults?.status === 'unknown') unknown = true;
    if (client.parent) {
      const inherited = this.clientVerdict(client.parent);
      if (inherited.status === 'bounded') return { ...inherited, detail: `inherited from the client it extends${inherited.detail ? `: ${inherited.detail}` : ''}` };
      if (inherited.status === 'unknown') unknown = true;
    } else {
      const moduleDefault = this.moduleDefault(client.library.id, this.serviceOf.get(client.file.path));
      if (moduleDefault?.status === 'bounded') return moduleDefault;
      if (moduleDefault?.status === 'unknown') unknown = true;
    }
    if (spec.default.bounded && !check.disabled) return { status: 'bounded', source: 'library-default', ms: spec.default.ms, detail: spec.default.detail };
    // An interceptor may set the timeout on every request: we cannot see inside it.
    if (unknown || this.registry.interceptors.some((entry) => entry.client === client)) return { status: 'unknown', source: 'none' };
    return { status: 'unbounded', source: 'none', detail: explain(spec, check), fix: spec.fix };
  }

  /** A client made by a factory from its parameter (`makeClient(cfg) { return axios.create(cfg) }`): judge what callers pass. */
  private clientOptionsFromCallers(client: ClientRecord, spec: TimeoutSpec): OptionsCheck | undefined {
    const fact = client.file.calls[client.callIndex];
    const frames = this.registry.framesFor(client.file, fact.fn);
    if (!frames || frames.length === 0) return undefined;
    const checks = frames.map(({ frame }) => {
      const args = fact.args.map((arg) => this.evaluator.evaluate(arg, { file: client.file, frame }));
      const which = client.operation.optionsArgs;
      const options = which === 'last-object' ? [...args].reverse().find(isOptionsLike) : which.map((index) => args[index]).find((arg) => arg && isOptionsLike(arg));
      return this.checkOptions(options, spec);
    });
    // One caller that makes it without a timeout is enough.
    return checks.find((check) => check.status === 'absent') ?? combineChecks(checks, 'all');
  }

  requestVerdict(request: RequestRecord): TimeoutVerdict {
    const spec = request.library.timeout;
    if (!spec) return { status: 'unknown', source: 'none' };
    if (request.operation.fireAndForget) return { status: 'bounded', source: 'none', detail: 'the call waits for no answer' };
    const coverage = this.coverage.forRequest(request);
    const policy = coverage.policies.find((candidate) => candidate.timeoutMs !== undefined);
    if (policy && policy.timeoutMs !== undefined) {
      // A library's own default (opossum's 10 s) is no timeout the project chose: maxTimeoutMs does not judge it.
      const ms = Number.isFinite(policy.timeoutMs) && !policy.timeoutIsDefault ? policy.timeoutMs : undefined;
      return { status: 'bounded', source: 'policy', ...(ms !== undefined && { ms }), location: locate(policy.file, policy.file.calls[policy.callIndex].span), detail: `bounded by the ${policy.library.name} ${policy.spec.kind ?? 'policy'} it runs in` };
    }
    // Each caller runs it under a timeout of its own.
    if (coverage.kinds.includes('timeout')) return { status: 'bounded', source: 'policy', detail: 'bounded by the policies its callers run it in' };

    let check = this.callOptionsCheck(request, spec, request.args);
    // `function get(url) { return fetch(url) }`: its only argument is the URL, so no caller can pass a timeout.
    if (check.status === 'unknown' && !this.hasOptionsArgument(request)) check = { status: 'absent', notes: [] };
    let fromCallers: TimeoutVerdict | undefined;
    if (check.status === 'unknown') {
      fromCallers = this.verdictFromCallers(request, spec);
      if (fromCallers?.status === 'bounded') return fromCallers;
      if (fromCallers?.status === 'unbounded') check = { status: 'absent', notes: [] };
    }
    if (check.status === 'bounded') return this.boundedBy(check, check.via === 'signal' ? 'signal' : check.via === 'deadline' ? 'deadline' : 'call-options');

    const chain = this.chainCheck(request, spec, check);
    if (chain) return chain;

    let unknown = check.status === 'unknown';
    // A dispatcher or agent with explicit timeouts (`request(url, { dispatcher })`, `setGlobalDispatcher(agent)`).
    const service = this.serviceOf.get(request.file.path);
    const dispatchers = [
      ...(request.dispatcher ? [request.dispatcher] : []),
      ...(request.client ? [] : this.registry.globalClients.filter((entry) => entry.libraries.includes(request.library.id) && this.serviceOf.get(entry.site.file.path) === service).map((entry) => entry.client)),
    ];
    for (const dispatcher of dispatchers) {
      const verdict = this.clientVerdict(dispatcher);
      if (verdict.status === 'bounded') return { ...verdict, detail: 'set on the dispatcher it goes through' };
    }
    if (request.client) {
      const client = this.clientVerdict(request.client);
      if (client.status === 'bounded') return client;
      if (client.status === 'unknown') unknown = true;
      if (spec.unknowableOptions && this.hasAnyOption(this.clientOptions(request.client), spec.unknowableOptions)) unknown = true;
    } else {
      // Without a registered HttpModule, Nest's HttpService is the default axios instance: axios's defaults apply.
      const moduleDefault = this.moduleDefault(request.injected ? 'axios' : request.library.id, this.serviceOf.get(request.file.path));
      if (moduleDefault?.status === 'bounded') return moduleDefault;
      if (moduleDefault?.status === 'unknown') unknown = true;
      if (request.injected === AMBIGUOUS_INJECTION) unknown = true;
      const service = this.serviceOf.get(request.file.path);
      if (this.registry.interceptors.some((entry) => !entry.client && entry.library === request.library && this.serviceOf.get(entry.site.file.path) === service)) unknown = true;
    }
    if (spec.default.bounded && !check.disabled) return { status: 'bounded', source: 'library-default', ms: spec.default.ms, detail: spec.default.detail };
    if (unknown) return { status: 'unknown', source: 'none' };
    return { status: 'unbounded', source: 'none', detail: fromCallers?.detail ?? explain(spec, check), fix: spec.fix, ...(fromCallers?.callersWithout && { callersWithout: fromCallers.callersWithout }) };
  }

  // ── options ────────────────────────────────────────────────────────────────

  /** The options a client was created with; Nest's `registerAsync({ useFactory })` gives them from the factory. */
  clientOptions(client: ClientRecord): Resolved | undefined {
    const options = client.options;
    if (options?.t === 'obj') {
      const factory = this.evaluator.member(options, 'useFactory');
      if (factory.t === 'fn') return this.evaluator.invoke(factory, [], undefined);
      if (!isAbsent(factory)) return { t: 'unknown' };
      // `useClass` / `useExisting`: the options come from a class's method we do not follow.
      if (['useClass', 'useExisting'].some((key) => !isAbsent(this.evaluator.member(options, key)))) return { t: 'unknown' };
    }
    return options;
  }

  /** Is there an argument where the options may be, other than the URL? */
  private hasOptionsArgument(request: RequestRecord): boolean {
    const which = request.operation.optionsArgs;
    if (which === 'objects') return true;
    const written = request.file.calls[request.callIndex].args.length;
    return which.some((index) => index !== request.operation.urlArg && index < written);
  }

  requestOptions(request: RequestRecord, args: Resolved[]): Resolved | undefined {
    const which = request.operation.optionsArgs;
    if (which === 'objects') return undefined;
    for (const index of which) if (args[index] && isOptionsLike(args[index])) return args[index];
    return undefined;
  }

  private callOptionsCheck(request: RequestRecord, spec: TimeoutSpec, args: Resolved[]): OptionsCheck {
    if (request.operation.optionsArgs === 'objects') {
      // gRPC: `(request, metadata?, options?, callback?)`; the options are any object after the request.
      // `new grpc.Metadata()` and other library objects are not call options.
      const checks = args.slice(1).filter((arg) => isOptionsLike(arg) && arg.t !== 'lib' && arg.t !== 'pkg').map((arg) => this.checkOptions(arg, spec));
      return combineChecks(checks.length > 0 ? checks : [{ status: 'absent', notes: [] }], 'any');
    }
    return this.checkOptions(this.requestOptions(request, args), spec);
  }

  /**
   * When a call's options come from its function's parameters, judge them as each caller passes them (through
   * wrappers of wrappers). One caller that passes no timeout is enough to make the call unbounded.
   */
  private verdictFromCallers(request: RequestRecord, spec: TimeoutSpec): TimeoutVerdict | undefined {
    const fact = request.file.calls[request.callIndex];
    const frames = this.registry.framesFor(request.file, fact.fn);
    if (!frames || frames.length === 0) return undefined;
    const checks = frames.map(({ frame, site }) => {
      const args = fact.args.map((arg) => this.evaluator.evaluate(arg, { file: request.file, frame }));
      return { site, check: this.callOptionsCheck(request, spec, args) };
    });
    const unbounded = checks.filter(({ check }) => check.status === 'absent');
    if (unbounded.length > 0) {
      const callersWithout = unbounded.map(({ site }) => locate(site.file, site.file.calls[site.callIndex].span));
      const count = callersWithout.length === 1 ? 'one of them passes' : `${callersWithout.length} of them pass`;
      return { status: 'unbounded', source: 'none', detail: `${spec.default.detail}; its options come from its callers, and ${count} none`, callersWithout };
    }
    if (checks.some(({ check }) => check.status === 'unknown')) return undefined;
    return this.boundedBy(checks[0].check, 'call-options');
  }

  checkOptions(options: Resolved | undefined, spec: TimeoutSpec): OptionsCheck {
    if (!options || isAbsent(options)) return { status: 'absent', notes: [] };
    if (options.t === 'alt') return combineChecks(options.options.map((option) => this.checkOptions(option, spec)), 'all');
    if (options.t !== 'obj') return { status: 'unknown', notes: [] };
    const notes: string[] = [];
    let sawUnknown = false;
    if (spec.unknowableOptions && this.hasAnyOption(options, spec.unknowableOptions)) return { status: 'unknown', notes };
    let needsListener: OptionsCheck['needsListener'];
    let disabled = false;
    for (const option of spec.options) {
      const value = this.lookup(options, option.path);
      if (isAbsent(value)) continue;
      if (value.t === 'unknown' || value.t === 'param') {
        if (!option.only && option.bounds === 'request') sawUnknown = true;
        continue;
      }
      if (option.none?.includes(value.t === 'lit' ? (value.v as number | boolean | null) : NaN)) {
        notes.push(`\`${option.path.join('.')}: ${String((value as { v: unknown }).v)}\` turns the timeout off`);
        disabled = true;
        continue;
      }
      if (option.only === 'number' && numberOf(value) === undefined && value.t !== 'env' && value.t !== 'alt') continue;
      if (option.only === 'object' && value.t !== 'obj') continue;
      const ms = msOf(value, option);
      const where = this.entryAt(options, option.path);
      if (option.bounds === 'connect') {
        notes.push(`\`${option.path.join('.')}\` bounds only connecting`);
        continue;
      }
      if (option.needsListener) {
        needsListener = { event: option.needsListener, ms, where };
        continue;
      }
      return { status: 'bounded', via: 'options', ms, where, notes };
    }
    for (const name of spec.signalOptions ?? []) {
      const value = this.evaluator.member(options, name);
      if (isAbsent(value)) continue;
      // A signal that may or may not come out of an unknown spread decides nothing; one written here does.
      if (value.t === 'unknown' && !this.evaluator.propertyEntry(options, name)) {
        sawUnknown = true;
        continue;
      }
      if (value.t === 'signal' && value.bounded === false) {
        notes.push(`the \`${name}\` passed is never aborted by a timer`);
        continue;
      }
      if (value.t === 'signal' && value.bounded === undefined) {
        sawUnknown = true;
        continue;
      }
      // AbortSignal.timeout, a timed controller, or a signal handed in by a caller or a policy: all count.
      return { status: 'bounded', via: 'signal', ms: value.t === 'signal' ? value.ms : undefined, where: this.entryAt(options, [name]), notes };
    }
    for (const name of spec.deadlineOptions ?? []) {
      const value = this.evaluator.member(options, name);
      if (isAbsent(value)) continue;
      return { status: 'bounded', via: 'deadline', where: this.entryAt(options, [name]), notes };
    }
    if (options.open || sawUnknown || this.hasUnknownSpread(options)) return { status: 'unknown', notes, needsListener, disabled };
    return { status: 'absent', notes, needsListener, disabled };
  }

  private chainCheck(request: RequestRecord, spec: TimeoutSpec, check: OptionsCheck): TimeoutVerdict | undefined {
    const location = locate(request.file, request.file.calls[request.callIndex].span);
    let listener = false;
    for (const link of request.chain) {
      for (const rule of spec.chains ?? []) {
        if (rule.method !== link.method) continue;
        if (rule.when === 'any') return { status: 'bounded', source: 'chain', ms: numberOf(link.args[0] ?? { t: 'unknown' }), location, detail: `.${link.method}() on the request` };
        if (rule.when === 'callback' && link.args.some((arg) => arg.t === 'fn')) return { status: 'bounded', source: 'chain', ms: numberOf(link.args[0] ?? { t: 'unknown' }), location, detail: `.${link.method}() with a handler` };
        // `req.setTimeout(ms)` alone only emits 'timeout', like the option: it counts with a listener.
        if (rule.when === 'callback') check.needsListener ??= { event: 'timeout', ms: numberOf(link.args[0] ?? { t: 'unknown' }) };
        if (rule.when === 'listener' && link.args[0]?.t === 'lit' && link.args[0].v === rule.event) listener = true;
        if (rule.when === 'operator' && link.args.some((arg) => isOperator(arg, rule.operators ?? []))) return { status: 'bounded', source: 'chain', location, detail: `.${link.method}(${rule.operators?.[0]?.name}(…))` };
      }
    }
    if (check.needsListener && listener) {
      return { status: 'bounded', source: 'call-options', ms: check.needsListener.ms, location: check.needsListener.where ? locate(check.needsListener.where.ctx.file, check.needsListener.where.span) : location };
    }
    if (check.needsListener) check.notes.push(`\`timeout\` only emits '${check.needsListener.event}'; nothing aborts the request unless a '${check.needsListener.event}' listener destroys it`);
    return undefined;
  }

  private moduleDefault(libraryId: string, service: string | undefined): TimeoutVerdict | undefined {
    const list = this.moduleDefaults.get(libraryId);
    if (!list) return undefined;
    const own = list.find((entry) => entry.service === service || entry.service === undefined);
    if (own) return own.verdict;
    // Code in a shared library runs in whichever service imports it: a default one of them sets decides nothing.
    return service === undefined ? { status: 'unknown', source: 'module-defaults' } : undefined;
  }

  private urlTimeout(client: ClientRecord, options: Resolved | undefined, spec: TimeoutSpec): TimeoutVerdict | undefined {
    for (const rule of spec.urlParameters ?? []) {
      if (rule.bounds !== 'request') continue;
      const value = rule.option[0] === '$url' ? client.url : options ? this.lookup(options, rule.option) : undefined;
      const text = value?.t === 'lit' && typeof value.v === 'string' ? value.v : value?.t === 'str' ? value.text : undefined;
      if (text && new RegExp(rule.pattern).test(text)) return { status: 'bounded', source: 'client-options', location: locate(client.file, client.file.calls[client.callIndex].span), detail: 'set in the connection URL' };
    }
    return undefined;
  }

  private hasLiteralUrl(client: ClientRecord, options: Resolved | undefined, spec: TimeoutSpec): boolean {
    return (spec.urlParameters ?? []).some((rule) => {
      const value = rule.option[0] === '$url' ? client.url : options ? this.lookup(options, rule.option) : undefined;
      return value?.t === 'lit' && typeof value.v === 'string';
    });
  }

  private lookup(options: Resolved | undefined, path: string[]): Resolved {
    let value: Resolved = options ?? { t: 'lit', v: undefined };
    for (const key of path) {
      if (isAbsent(value)) return value;
      value = this.evaluator.member(value, key);
    }
    return value;
  }

  private entryAt(options: Resolved, path: string[]): ObjectEntry | undefined {
    let current: Resolved = options;
    let entry: ObjectEntry | undefined;
    for (const key of path) {
      entry = this.evaluator.propertyEntry(current, key);
      if (!entry) return undefined;
      current = this.evaluator.evaluate(entry.val, entry.ctx);
    }
    return entry;
  }

  /** Is any of these options (dotted paths: `pool.afterCreate`) set? */
  private hasAnyOption(options: Resolved | undefined, names: string[]): boolean {
    return !!options && options.t === 'obj' && names.some((name) => !isAbsent(this.lookup(options, name.split('.'))));
  }

  private hasUnknownSpread(options: Extract<Resolved, { t: 'obj' }>): boolean {
    const known = (value: Resolved): boolean => value.t === 'obj' || isAbsent(value) || (value.t === 'alt' && value.options.every(known));
    return options.entries.some((entry) => 'spread' in entry && !known(entry.spread));
  }

  private boundedBy(check: OptionsCheck, source: TimeoutVerdict['source']): TimeoutVerdict {
    const where = check.where;
    const detail = check.via === 'signal' ? 'an AbortSignal' : check.via === 'deadline' ? 'a deadline' : undefined;
    return {
      status: 'bounded',
      source,
      ...(check.ms !== undefined && Number.isFinite(check.ms) && { ms: check.ms }),
      ...(where && { location: locate(where.ctx.file, where.span) }),
      ...(detail && { detail }),
    };
  }
}

function combineChecks(checks: OptionsCheck[], mode: 'all' | 'any'): OptionsCheck {
  const notes = checks.flatMap((check) => check.notes);
  if (mode === 'any') {
    const bounded = checks.find((check) => check.status === 'bounded');
    if (bounded) return bounded;
    if (checks.some((check) => check.status === 'unknown')) return { status: 'unknown', notes };
    return { status: 'absent', notes };
  }
  if (checks.some((check) => check.status === 'unknown')) return { status: 'unknown', notes };
  if (checks.every((check) => check.status === 'bounded')) return checks[0];
  return { status: 'absent', notes, needsListener: checks.find((check) => check.needsListener)?.needsListener, disabled: checks.some((check) => check.disabled) };
}

function msOf(value: Resolved, option: TimeoutOption): number | undefined {
  const number = numberOf(value);
  if (number === undefined) return undefined;
  return option.unit === 's' ? number * 1000 : number;
}

function isOperator(value: Resolved, operators: Array<{ module: string[]; name: string }>): boolean {
  if (value.t !== 'pkg' || !value.called) return false;
  return operators.some((operator) => operator.module.includes(value.name) && value.path[value.path.length - 1] === operator.name);
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** The sentence a message uses: the library's default, plus what the options that are there do not do. */
function explain(spec: TimeoutSpec, check: OptionsCheck): string {
  return [spec.default.detail, ...check.notes].join('; ');
}
