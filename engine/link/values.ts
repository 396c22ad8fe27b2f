// What a symbolic value (Val) turns out to be once imports, exports, function calls and the catalog are followed.
import type { FileFacts, Span, Val } from '../extract/facts';
import type { LibrarySpec, Operation, PolicySpec } from '../catalog/types';

/** Where a value is evaluated: the file, and the call frames that give parameters their arguments. */
export interface EvalContext {
  file: FileFacts;
  frame?: Frame;
}

export interface Frame {
  file: FileFacts;
  fn: number;
  /** The arguments, each with the context it must be evaluated in, or already evaluated (`value`: an accumulator of `reduce`). */
  args: Array<{ val: Val; ctx: EvalContext; value?: Resolved }>;
  thisValue?: Resolved;
  /** The frame the function was created in (closures). */
  parent?: Frame;
  /** The call that invoked the function (`createLimiter(…)`), when it was called directly. */
  site?: { file: FileFacts; callIndex: number };
}

export interface ObjectEntry {
  key: string;
  val: Val;
  ctx: EvalContext;
  span: Span;
}

/** A client created at one call site (axios.create, new Pool, got.extend, …). */
export interface ClientRecord {
  id: string;
  library: LibrarySpec;
  operation: Extract<Operation, { does: 'create' }>;
  type: string;
  role: 'client' | 'agent' | 'pool' | 'connection';
  file: FileFacts;
  callIndex: number;
  options?: Resolved;
  url?: Resolved;
  /** got.extend / ky.extend: the client this one was made from. */
  parent?: ClientRecord;
}

/** An outbound call made at one call site. */
export interface RequestRecord {
  id: string;
  library: LibrarySpec;
  operation: Extract<Operation, { does: 'request' }>;
  method: string;
  file: FileFacts;
  callIndex: number;
  args: Resolved[];
  client?: ClientRecord;
  /** Set for calls through an injected framework service (Nest `HttpService`): linked to a client later. */
  injected?: string;
  /** Methods called on what the request returned: `.timeout(5000)`, `.on('timeout', …)`, `.pipe(timeout(…))`. */
  chain: Array<{ method: string; args: Resolved[] }>;
  /** The agent or dispatcher named in its options (`{ dispatcher }`, `{ httpAgent }`), set by the link stage. */
  dispatcher?: ClientRecord;
  /** A circuit breaker that runs this call directly (`breaker.fire(url)` for a breaker wrapping axios). */
  policy?: PolicyRecord;
}

export interface PolicyRecord {
  id: string;
  library: LibrarySpec;
  spec: PolicySpec;
  /**
   * Where the policy is made: the library call (`pLimit(4)`), or, for one made by a factory function, the call of the
   * factory that made this instance (`createLimiter(…)`: each call of the factory makes its own).
   */
  file: FileFacts;
  callIndex: number;
  /** For an instance made by a factory: the library call inside the factory, whose own record stands for all of them. */
  madeBy?: PolicyRecord;
  /** Milliseconds the policy bounds a call to; undefined when it has no timeout; NaN when it has one of unknown length. */
  timeoutMs?: number;
  /** The timeout is the library's default (opossum's 10 s), not one the project wrote. */
  timeoutIsDefault?: boolean;
  /** The concurrency cap it shares among what runs through it; NaN when set but unknown. */
  capacity?: number;
  /** What it does: a combined policy does what each of its parts does. */
  kinds: Array<'breaker' | 'timeout' | 'retry' | 'bulkhead'>;
  /** For combined policies (`wrap(a, b)`). */
  children: PolicyRecord[];
  /** What a breaker wraps (opossum: `new CircuitBreaker(fn)`). */
  wrapped?: Resolved;
}

export type Resolved =
  | { t: 'lit'; v: string | number | boolean | null | undefined }
  /** A string built from parts, some unknown (`${…}`) or from the environment. */
  | { t: 'str'; text: string; envVars: string[] }
  | { t: 'obj'; entries: Array<ObjectEntry | { spread: Resolved }>; open: boolean; span: Span; file: FileFacts }
  | { t: 'arr'; items: Resolved[] }
  /** A value of a catalog library's type (the module itself when `type` is undefined), maybe belonging to a client. */
  | { t: 'lib'; library: LibrarySpec; type?: string; client?: ClientRecord; injected?: string }
  /** A member of a library value that does something when called. */
  | { t: 'op'; library: LibrarySpec; operation: Operation; name: string; owner: Resolved & { t: 'lib' } }
  /** The result of an outbound call, for chained methods. */
  | { t: 'request'; request: RequestRecord }
  | { t: 'request-member'; request: RequestRecord; method: string }
  | { t: 'policy'; policy: PolicyRecord }
  | { t: 'policy-member'; policy: PolicyRecord; method: string }
  /** A package outside the catalog (`rxjs`), with the path into it, for matching operators. */
  | { t: 'pkg'; name: string; path: string[]; called?: boolean }
  | { t: 'fn'; file: FileFacts; fn: number; frame?: Frame }
  | { t: 'class'; file: FileFacts; cls: number }
  | { t: 'instance'; file: FileFacts; cls: number; frame?: Frame }
  | { t: 'module'; file: FileFacts }
  | { t: 'global'; name: string }
  | { t: 'env'; name: string }
  | { t: 'signal'; bounded: boolean | undefined; ms?: number }
  | { t: 'controller'; file: FileFacts; callIndex: number }
  | { t: 'alt'; options: Resolved[] }
  /** A parameter whose argument is not known here (a caller's value). */
  | { t: 'param'; file: FileFacts; fn: number; index: number }
  | { t: 'unknown' };

export const UNKNOWN_VALUE: Resolved = { t: 'unknown' };
export const ABSENT: Resolved = { t: 'lit', v: undefined };
