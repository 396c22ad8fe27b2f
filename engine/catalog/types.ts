// The shape of a catalog entry: how a client library is recognised, which of its calls leave the process, and how it
// takes a timeout. Libraries are data; the link stage interprets them and rules never name a library.
import type { CallKind } from '../model/types';

/** An option that limits the wait, at a path inside an options object (`['timeout']`, `['timeout', 'request']`). */
export interface TimeoutOption {
  path: string[];
  /** `request`: bounds the whole call. `connect`: bounds only connecting (noted in messages, does not satisfy the rule). */
  bounds: 'request' | 'connect';
  /** How a number is read. Default `ms`. */
  unit?: 'ms' | 's';
  /** Values that mean "no timeout" (axios `timeout: 0`, ky `timeout: false`). */
  none?: Array<number | boolean | null>;
  /** Only count the option when its value is of this type (got 11's `timeout: 5000` vs got 12's `timeout: {…}`). */
  only?: 'number' | 'object';
  /** The option only emits an event; it bounds the wait only when a listener for that event is attached (node:http). */
  needsListener?: string;
}

/** A string option (a connection URL) that bounds the call when it contains a parameter, e.g. `?socketTimeoutMS=5000`. */
export interface TimeoutInUrl {
  /** The option holding the URL; `['$url']` is the URL argument of the call that creates the client. */
  option: string[];
  pattern: string;
  bounds: 'request' | 'connect';
}

/** A method called on the value a request returns, that bounds it: superagent `.timeout(ms)`, rxjs `.pipe(timeout(ms))`. */
export interface TimeoutChain {
  method: string;
  /** `any`: calling the method bounds the request. `listener`: `.on(event, fn)` attaches a listener for `event`. `callback`: bounds when a callback argument is passed (node:http `setTimeout(ms, cb)`). `operator`: an argument is a call of one of `operators`. */
  when: 'any' | 'listener' | 'callback' | 'operator';
  event?: string;
  operators?: Array<{ module: string[]; name: string }>;
}

export interface TimeoutSpec {
  options: TimeoutOption[];
  /** Option names that take an AbortSignal (`signal`); any signal counts: one made by AbortSignal.timeout, a timer, or passed in. */
  signalOptions?: string[];
  /** Option names of a gRPC-style deadline. */
  deadlineOptions?: string[];
  urlParameters?: TimeoutInUrl[];
  chains?: TimeoutChain[];
  /** Assigning to `<client>.<path>` sets the client's (or the module's) default timeout: axios `defaults.timeout`. */
  defaultsPath?: string[];
  /** What happens when nothing is set. */
  default: { bounded: boolean; ms?: number; detail: string };
  /** Where the fix for an unbounded call goes: at the client it was created with, or at each call. */
  fixAt: 'client' | 'call';
  /** How to bound it, for messages: "set `timeout` (ms) in the config". */
  fix: string;
  /** The option a quick fix adds to the options object (`{ms}` stands for the milliseconds): `timeout: {ms}`. */
  insert?: { key: string; value: string };
  /** The URL is the only place a timeout can be set (Prisma): when it cannot be resolved, neither can the verdict. */
  onlyInUrl?: boolean;
  /** Client options whose presence makes the verdict unknowable (interceptors may set a deadline). */
  unknowableOptions?: string[];
}

/** What using a value of some type does. */
export type Operation =
  /** Makes an outbound call. */
  | {
      does: 'request';
      /** Arguments that may be the options object; the first that is an object is used. `'objects'`: every object argument after the first (gRPC). */
      optionsArgs: number[] | 'objects';
      /** Argument holding the URL or target, when it is a string. */
      urlArg?: number;
      /** Option holding the URL when it is passed in the options object. */
      urlOption?: string;
      /** Overrides the library's kind for this call (e.g. `emit` is a broker call). */
      kind?: CallKind;
      /** The call does not wait for an answer (broker `emit`/`publish`): missing-timeout ignores it. */
      fireAndForget?: boolean;
      /** Where in the options the headers are; `*` steps into every element of an array (kafkajs `messages`). Default `[['headers']]`. */
      headerPaths?: string[][];
      /** Options that carry a correlation ID by themselves (amqplib `correlationId`). */
      correlationOptions?: string[];
      /** A proxy: the incoming request's headers, correlation ID included, go out with the call. */
      forwardsHeaders?: boolean;
    }
  /** Creates a client (instance, agent, pool, connection) whose own calls go through it. */
  | {
      does: 'create';
      type: string;
      role: 'client' | 'agent' | 'pool' | 'connection';
      /** Arguments that may be the options object; the first object wins. `'last-object'` for `new Redis(port, host, options)`. */
      optionsArgs: number[] | 'last-object';
      urlArg?: number;
      /** The new client starts from the options of the client it was made from (got.extend, ky.extend). */
      inherits?: boolean;
      /** Options that cap its connections, per origin and in total (http.Agent `maxSockets`, `maxTotalSockets`). */
      capacity?: { perOrigin?: string[]; total?: string[] };
    }
  /** Returns a value of another type that still belongs to the same client (mongo `db()` then `collection()`). */
  | { does: 'returns'; type: string }
  /** The member is a value of another type (axios's default export is itself an instance). */
  | { does: 'is'; type: string }
  /** A resilience policy or circuit breaker. */
  | { does: 'policy'; policy: PolicySpec }
  /** Registers request handlers on an inbound server (`app.get(path, ...handlers)`, `http.createServer(handler)`). */
  | {
      does: 'serve';
      framework: string;
      /** Which arguments are handlers: every function argument, or the option holding one (`route({ handler })`). */
      handlers: 'functions' | { option: string };
      /** The type of what the call returns (`express.Router()` is itself a router). */
      returns?: string;
      /** Only when the first argument is one of these (Fastify's per-request hooks, not `onReady`/`onClose`). */
      whenFirstArg?: string[];
    }
  /** Creates an inbound server or router (`express()`, `fastify()`, `new Koa()`). */
  | { does: 'server'; framework: string; type: string }
  /** A decorator that makes a class method a request or message handler (Nest `@Get()`, `@MessagePattern()`). */
  | { does: 'handler-decorator'; framework: string }
  /** Adds a request interceptor or hook to a client (axios `interceptors.request.use(fn)`): it may set headers. */
  | {
      does: 'intercept';
      /** Only when the first argument is one of these events (`pool.on('connect', …)` may set a timeout; `on('error')` cannot). An event we cannot read counts. */
      whenFirstArg?: string[];
    }
  /** Makes a client the process-wide default for these libraries (undici `setGlobalDispatcher(agent)` for fetch). */
  | { does: 'global-client'; for: string[] }
  /** Sets up tracing that propagates context on outbound calls (OpenTelemetry). */
  | { does: 'tracing'; role: 'sdk' | 'register' | 'instrumentation'; instrumentationsOption?: { arg: number; path: string[] }; covers?: 'http' | 'undici' | 'grpc' | 'all' };

export interface PolicySpec {
  /** `create`: makes a policy, breaker or limiter. `combine`: wraps several policies into one (cockatiel `wrap`). */
  role: 'create' | 'combine';
  kind?: 'breaker' | 'timeout' | 'retry' | 'bulkhead';
  /** The argument that is the wrapped function (opossum `new CircuitBreaker(fn)`, async `queue(worker)`). */
  wrappedArg?: number;
  /** Where the timeout is: an options argument (`{ timeout }`) or a positional number (cockatiel `timeout(ms, …)`). */
  timeoutOption?: { arg: number; path?: string[]; default?: number; none?: Array<number | boolean | null> };
  /** Cockatiel: the timeout only bounds the call when the strategy is Aggressive; a Cooperative one just signals. */
  strategyArg?: number;
  /** A concurrency cap shared by everything run through it: an argument (`pLimit(16)`) or an option (`{ concurrency }`). */
  capacity?: { arg: number; path?: string[] };
  /** Methods of the policy that run work: the index of the function argument, `last`, or `wrapped` (the wrapped function runs). */
  runs?: Record<string, number | 'last' | 'wrapped'>;
  /** Calling the policy itself runs the function at this argument (p-limit's `limit(fn)`). */
  callable?: number;
}

export interface TypeSpec {
  /** Calling the value itself (`axios(config)`, `got(url)`, `fetch(url)`). */
  call?: Operation;
  /** `new Value(…)`. */
  construct?: Operation;
  members?: Record<string, Operation>;
  /** Every other member (gRPC client methods are the service's RPC names). */
  otherMembers?: Operation;
  /** Members that are not outbound calls even though `otherMembers` says so. */
  exceptMembers?: string[];
  /** Members by the shape of their name, where a module exports many (AWS SDK v3's `S3Client`, `SQSClient`, …): a regular expression and what they do. */
  memberPatterns?: Array<{ pattern: string; operation: Operation }>;
}

export interface LibrarySpec {
  /** Catalog id, shown in messages and the model: `axios`, `pg`, `fetch`. */
  id: string;
  /** How users name it: `axios`, `node-postgres (pg)`. */
  name: string;
  kind: CallKind;
  /** Import specifiers that load it. */
  modules: string[];
  /** Prefixes of import specifiers that load it too (`@aws-sdk/client-`: every AWS SDK v3 client package). */
  modulePrefixes?: string[];
  /** Global names that are this library (`fetch`). */
  globals?: string[];
  /** What `import x from` / `require()` gives (the default export of a CommonJS module is the module). */
  module: TypeSpec;
  types?: Record<string, TypeSpec>;
  /** Options (of a call or of the client) that name the HTTP agent or dispatcher it goes through. */
  agentOptions?: string[][];
  /** Types that a class property or constructor parameter annotated with this export has (Nest `HttpService`). */
  injectable?: Record<string, string>;
  /** Undefined for libraries that make no outbound calls of their own (breakers and policies). */
  timeout?: TimeoutSpec;
  /** An option that, when it resolves to one of these values, means the client never leaves the process (TypeORM `type: 'sqlite'`). */
  inProcessWhen?: { option: string[]; values: string[] };
  /** The host a vendor SDK calls when nothing else names one (`api.stripe.com`): what messages name as its target. */
  defaultHost?: string;
  /** Where the facts above were checked. */
  source: string;
}
