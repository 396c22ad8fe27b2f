// The model the rules query: services, the clients they create and the calls that leave the process.
// Built once per analysis by the link stage; plain data, every entity with its source location.
import type { Service, SourceFileEntry, SourceLocation, WorkspaceLibrary } from '../types';

/** `rpc`: request/response over a message transport (NestJS microservices `ClientProxy.send`). */
export type CallKind = 'http' | 'grpc' | 'rpc' | 'database' | 'cache' | 'broker';

/** How long a call or client may wait, and where that was decided. */
export interface TimeoutVerdict {
  /** `bounded`: something limits the wait; `unbounded`: nothing does; `unknown`: it depends on values Breakwater cannot see (stay silent). */
  status: 'bounded' | 'unbounded' | 'unknown';
  /** What bounds it (or, for `unbounded`, why not). */
  source: 'call-options' | 'client-options' | 'client-defaults' | 'module-defaults' | 'signal' | 'deadline' | 'chain' | 'policy' | 'library-default' | 'none';
  /** The limit in milliseconds, when it resolves to a number. */
  ms?: number;
  /** Where the bounding option was written. */
  location?: SourceLocation;
  /** A sentence for messages and hovers, e.g. "axios has no timeout by default (timeout: 0)". */
  detail?: string;
  /** For an unbounded verdict: how to bound it with this library, e.g. "set `timeout` (ms) in the config". */
  fix?: string;
  /** For a call whose options come from its callers: the calls of its function that pass no timeout. */
  callersWithout?: SourceLocation[];
}

/** What a call is aimed at, as far as it can be resolved. */
export interface CallTarget {
  /** A literal URL or URL template with unresolved parts as `${…}`. */
  url?: string;
  host?: string;
  /** Environment variables that make up the target. */
  envVars?: string[];
  /** The database name, when the client's options name it apart from a URL. */
  database?: string;
  /** The workspace service the host or environment variable names (`http://inventory:3000`, `INVENTORY_URL`). */
  service?: string;
}

/** Something created once and used for many calls: an axios instance, a got/ky extension, an agent, a DB pool, a gRPC client. */
export interface ClientEntity {
  id: string;
  /** Catalog id of the library, e.g. `axios`, `pg`. */
  library: string;
  /** Catalog type created, e.g. `AxiosInstance`, `Pool`. */
  type: string;
  kind: CallKind;
  role: 'client' | 'agent' | 'pool' | 'connection';
  /** The creating expression as written: `axios.create`, `new Pool`. */
  callee: string;
  /** Where this library's timeout belongs: on the client (pools, instances) or on each call (gRPC deadlines). */
  timeoutAt: 'client' | 'call';
  location: SourceLocation;
  file: string;
  service?: string;
  /** The names of the options it was created with (`timeout`, `headers`, `maxSockets`, …); undefined when they cannot be resolved. */
  optionNames?: string[];
  timeout: TimeoutVerdict;
  /** The calls made through it. */
  calls: string[];
  /** Where it points (baseURL, connection URL), when known. */
  target: CallTarget;
  /** Header names (lower case) it sends on every call (`headers` at creation, `defaults.headers…` assignments); undefined when unknown. */
  headers?: string[];
  /** The client it was made from (`got.extend` of another got instance). */
  extends?: string;
  /** A request interceptor or hook can change every call's headers (axios interceptors, got hooks, gRPC interceptors). */
  intercepted: boolean;
  /** How a quick fix adds the library's timeout here; absent where no safe edit is known. */
  timeoutFix?: TimeoutFix;
  /** Connection caps it was created with: per origin (`maxSockets`, undici `connections`) and in total (`maxTotalSockets`). NaN: set, value unknown. */
  capacity?: { perOrigin?: number; total?: number };
}

export interface OutboundCall {
  id: string;
  library: string;
  kind: CallKind;
  /** The method as written, e.g. `get`, `query`, `fetch`. */
  method: string;
  /** The called expression as written: `axios.get`, `this.http.get`, `fetch`. */
  callee: string;
  location: SourceLocation;
  file: string;
  service?: string;
  target: CallTarget;
  /** The client it goes through; undefined for module-level calls (`axios.get`, `fetch`). */
  client?: string;
  /** Header names set on the call itself (lower case; for broker messages, the message headers); undefined when they cannot be resolved. */
  headers?: string[];
  /** Made while handling an inbound request: in a handler, or in code only handlers reach. */
  inRequestHandler: boolean;
  timeout: TimeoutVerdict;
  /** False for fire-and-forget calls (a broker `emit`), which wait for no answer. */
  awaitsReply: boolean;
  /** The call's result is thrown away where it is made (`void send()`, a statement of its own): no caller waits on it. */
  detached?: true;
  /** Only developers' tools reach the function it is written in (a CLI's commands call it, nothing else does). */
  fromToolsOnly?: true;
  /** The URL's origin comes from the incoming request (`${body.endpointUrl}/v1/models`): the caller picks where it goes. */
  originFromRequest?: true;
  /**
   * A package published for others makes the call at whatever address its user hands it (`retry.fetch(url)`), and no
   * code in the workspace hands it one: the destination is the package user's, not one downstream of this workspace.
   */
  addressFromPackageUsers?: true;
  /** The name of the function the call is written in, when it has one. */
  enclosingFunction?: string;
  /** The policies (breakers, timeouts, limiters) it always runs under. `perCall`: the policy is created anew for each call. */
  policies: Array<{ id: string; perCall: boolean }>;
  /** Kinds of policy it always runs under, possibly a different one for each of its callers (each its own breaker). */
  alwaysUnder: Array<'breaker' | 'timeout' | 'retry' | 'bulkhead'>;
  /** How a quick fix adds the library's timeout to this call; absent where no safe edit is known. */
  timeoutFix?: TimeoutFix;
  /** The HTTP agent or dispatcher it goes through, when one is set (a ClientEntity with role `agent`). */
  agent?: string;
  /** The called names that the function this call is written in is handed to, innermost first (`withBreaker(() => …)`). */
  passedTo: string[];
  /**
   * For a call inside a generic wrapper (`rpc(url, init)` → `fetch(url, init)`), whose target comes from the
   * wrapper's callers: each call of the wrapper, with the target, policies and context it has there.
   */
  via?: WrapperCall[];
  /** A helper its own options take their headers from (`headers: correlationHeaders()`, or spread into them), for a quick fix to reuse. */
  headerHelper?: HeaderHelper;
  /** The incoming request parameter of the handler the call is written in (`req`), for a quick fix that passes its header on. */
  incomingRequest?: { name: string; framework: string; location: SourceLocation };
}

/** An expression that gives headers, as written (`correlationHeaders()`), and how its root name is bound at module level. */
export interface HeaderHelper {
  text: string;
  /** The module-level name it starts with (`correlationHeaders`). */
  name: string;
  /** When that name is imported: the specifier and the imported name (`default`, or a name). */
  from?: string;
  imported?: string;
}

export interface WrapperCall {
  location: SourceLocation;
  /** The wrapper as called: `rpc`, `this.http.call`. */
  callee: string;
  service?: string;
  target: CallTarget;
  policies: Array<{ id: string; perCall: boolean }>;
  alwaysUnder: Array<'breaker' | 'timeout' | 'retry' | 'bulkhead'>;
  passedTo: string[];
  headers?: string[];
  inRequestHandler: boolean;
  /** Nobody waits for its result (`void rpc()`, a statement of its own). */
  detached?: true;
  /** Only developers' tools reach the function this call of the wrapper is written in. */
  fromToolsOnly?: true;
}

/**
 * Where the timeout option goes: the first of `arguments` that is an object literal gets `key: value` added (`{ms}` in
 * `value` stands for the milliseconds); if none is, the options object is added as argument `arguments[0]` when that is
 * the next argument. `last`: the last argument (`new Redis(url, options)`).
 */
export interface TimeoutFix {
  arguments: number[] | 'last';
  key: string;
  value: string;
}

/** An inbound server or router: where requests arrive and a correlation ID should start. */
export interface InboundServer {
  framework: string;
  location: SourceLocation;
  service?: string;
  /** For a server created in a shared library: the services that import it, in whose processes it then runs. */
  services?: string[];
}

/** Tracing set up in a service: registered instrumentations propagate `traceparent` on outbound calls. */
export interface TracingSetup {
  location: SourceLocation;
  service?: string;
  /** For a setup in a shared library: the services that import it, where it then runs. */
  services?: string[];
  /** The outbound clients whose calls it instruments: `http` (node:http and the clients built on it), `undici` (fetch), `grpc`, or `all`. Empty for `instrumentations: []`. */
  covers: Array<'http' | 'undici' | 'grpc' | 'all'>;
}

/** What a service's code mentions, for rules that look for a header or a middleware anywhere in it. */
export interface ServiceSummary {
  /** Header-like string literals in its files, lower case. */
  headerNames: string[];
  /** Every module specifier its files import. */
  imports: string[];
  /** Module-level request interceptors it installs, by library id (`axios.interceptors.request.use`). */
  interceptedLibraries: string[];
}

/** A circuit breaker, resilience policy or concurrency limiter, created once and shared by the calls run through it. */
export interface PolicyEntity {
  id: string;
  library: string;
  /** What it does; a combined policy (cockatiel `wrap(…)`) does what each of its parts does. */
  kinds: Array<'breaker' | 'timeout' | 'retry' | 'bulkhead'>;
  /** The creating expression as written: `new CircuitBreaker`, `pLimit`. */
  callee: string;
  location: SourceLocation;
  file: string;
  service?: string;
  timeoutMs?: number;
  /** The concurrency cap shared by everything run through it; NaN when set but not resolvable. */
  capacity?: number;
  /** Created once per process (at module level, or by a function called once): one instance that its calls share. */
  singleInstance: boolean;
  /** The calls that run under it on at least one path; `via` indexes the wrapper call (OutboundCall.via) that does. */
  calls: Array<{ call: string; via?: number }>;
  /** Calls that hand it a function to run as their first argument (`breaker.fire`, `policy.execute`, `withBreaker`), as written, by file: what a quick fix can reuse. */
  runners: Array<{ file: string; callee: string }>;
}

export interface Model {
  root: string;
  services: Service[];
  libraries: WorkspaceLibrary[];
  files: SourceFileEntry[];
  clients: ClientEntity[];
  calls: OutboundCall[];
  policies: PolicyEntity[];
  servers: InboundServer[];
  tracing: TracingSetup[];
  /** By service name. */
  serviceSummaries: Record<string, ServiceSummary>;
  /**
   * Who calls which function, by top-level function (`file#index`; `file#-1` for code at module level), nested
   * functions counted as the one they are written in; a call that hands a function to a breaker or registers it as a
   * handler counts as calling it. Says which code several services' findings go through. Only when `analyse()` was
   * asked for it (`callGraph`).
   */
  functionCalls?: Array<{ caller: string; callee: string }>;
  /**
   * Code in file `from` that changes how code in file `to` is judged, with no import or call between them: an
   * interceptor or `defaults` assignment on a client made in `to`, a Nest `HttpModule.register()` that an injected
   * `HttpService` in a shared library takes its options from.
   */
  influences: Array<{ from: string; to: string }>;
  /** Modules file `from` loads by a computed specifier (`require(\`${__dirname}/modules/${name}\`)`), as evaluation resolved them: imports too. */
  loadedByName: Array<{ from: string; to: string }>;
  /** Every database or cache client, with the database it reaches and the service that owns that database. */
  databaseUses: DatabaseUse[];
  /** Imports from a module of one service into a module of another. */
  crossServiceImports: CrossServiceImport[];
  /** The packages each service's package.json lists in `dependencies`, by service name: which breaker library a quick fix may use. */
  serviceDependencies: Record<string, string[]>;
}

export interface DatabaseUse {
  /** The ClientEntity that connects. */
  client: string;
  library: string;
  location: SourceLocation;
  service?: string;
  /** What identifies the database, from the code or from the service's environment (docker-compose, .env). */
  host?: string;
  database?: string;
  envVars?: string[];
  /** The service that owns the database, when it can be told; and how it was told. */
  owner?: string;
  ownerReason?: string;
  /** What identifies the database (`host:port/database`, or its first environment variable): uses with one key share it. */
  key?: string;
  /**
   * The owner comes from this use itself (breakwater.json, its environment variable, host or database name). When not,
   * the uses with the same key decide it together, so code elsewhere that names the database can change it.
   */
  ownerIsOwn?: boolean;
}

export interface CrossServiceImport {
  /** The importing file and its service. */
  file: string;
  service: string;
  /** The imported file and the service it belongs to. */
  target: string;
  targetService: string;
  specifier: string;
  location: SourceLocation;
  /**
   * How the specifier resolved, as dependency-cruiser reports it (`local`, `aliased-tsconfig-paths`,
   * `aliased-workspace`, …); empty unless the analysis was asked to describe imports (`describeImports`).
   */
  dependencyTypes: string[];
  /** Where, in the other service, the imported code opens or uses a database, if it does. */
  database?: { location: SourceLocation; library: string };
}
