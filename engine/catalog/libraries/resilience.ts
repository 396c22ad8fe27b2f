// Circuit breakers, resilience policies and concurrency limiters. They make no calls of their own: they bound, guard
// or limit the calls run through them.
import type { LibrarySpec, Operation } from '../types';

const cockatielRuns = { runs: { execute: 0 } };

export const opossum: LibrarySpec = {
  id: 'opossum',
  name: 'opossum',
  kind: 'http',
  modules: ['opossum'],
  module: {
    construct: {
      does: 'policy',
      policy: {
        role: 'create',
        kind: 'breaker',
        wrappedArg: 0,
        timeoutOption: { arg: 1, path: ['timeout'], default: 10_000, none: [false, 0] },
        capacity: { arg: 1, path: ['capacity'] },
        runs: { fire: 'wrapped', call: 'wrapped' },
      },
    },
  },
  types: {},
  source: 'opossum lib/circuit.js (options.timeout default 10000, `false` disables it; capacity default Number.MAX_SAFE_INTEGER)',
};

const cockatielTimeout: Operation = { does: 'policy', policy: { role: 'create', kind: 'timeout', timeoutOption: { arg: 0 }, strategyArg: 1, ...cockatielRuns } };
const cockatielBreaker: Operation = { does: 'policy', policy: { role: 'create', kind: 'breaker', ...cockatielRuns } };
const cockatielRetry: Operation = { does: 'policy', policy: { role: 'create', kind: 'retry', ...cockatielRuns } };
const cockatielBulkhead: Operation = { does: 'policy', policy: { role: 'create', kind: 'bulkhead', capacity: { arg: 0 }, ...cockatielRuns } };
const cockatielWrap: Operation = { does: 'policy', policy: { role: 'combine', ...cockatielRuns } };

export const cockatiel: LibrarySpec = {
  id: 'cockatiel',
  name: 'cockatiel',
  kind: 'http',
  modules: ['cockatiel'],
  module: {
    members: {
      timeout: cockatielTimeout,
      circuitBreaker: cockatielBreaker,
      retry: cockatielRetry,
      bulkhead: cockatielBulkhead,
      wrap: cockatielWrap,
      // cockatiel 2: Policy.timeout(ms, strategy), Policy.wrap(...), Policy.handleAll().circuitBreaker(...)
      Policy: { does: 'is', type: 'PolicyBuilder' },
      handleAll: { does: 'is', type: 'PolicyBuilder' },
      handleType: { does: 'returns', type: 'PolicyBuilder' },
      handleWhen: { does: 'returns', type: 'PolicyBuilder' },
    },
  },
  types: {
    PolicyBuilder: {
      // cockatiel 2's `Policy.handleAll()` is called; cockatiel 3's `handleAll` is a value. Both give the builder.
      call: { does: 'returns', type: 'PolicyBuilder' },
      members: {
        timeout: cockatielTimeout,
        wrap: cockatielWrap,
        circuitBreaker: cockatielBreaker,
        retry: cockatielRetry,
        bulkhead: cockatielBulkhead,
        handleAll: { does: 'is', type: 'PolicyBuilder' },
        handleType: { does: 'returns', type: 'PolicyBuilder' },
        handleWhen: { does: 'returns', type: 'PolicyBuilder' },
      },
    },
  },
  source: 'cockatiel src/Policy.ts (timeout(duration, strategy): Cooperative only signals, Aggressive rejects; bulkhead(limit))',
};

export const pLimit: LibrarySpec = {
  id: 'p-limit',
  name: 'p-limit',
  kind: 'http',
  modules: ['p-limit'],
  module: { call: { does: 'policy', policy: { role: 'create', kind: 'bulkhead', capacity: { arg: 0 }, callable: 0 } } },
  source: 'p-limit readme (pLimit(concurrency) returns limit(fn, ...args))',
};

export const pQueue: LibrarySpec = {
  id: 'p-queue',
  name: 'p-queue',
  kind: 'http',
  modules: ['p-queue'],
  module: { construct: { does: 'policy', policy: { role: 'create', kind: 'bulkhead', capacity: { arg: 0, path: ['concurrency'] }, runs: { add: 0 } } } },
  source: 'p-queue readme (new PQueue({ concurrency }), queue.add(fn))',
};

export const bottleneck: LibrarySpec = {
  id: 'bottleneck',
  name: 'bottleneck',
  kind: 'http',
  modules: ['bottleneck'],
  module: { construct: { does: 'policy', policy: { role: 'create', kind: 'bulkhead', capacity: { arg: 0, path: ['maxConcurrent'] }, runs: { schedule: 'last', wrap: 0 } } } },
  source: 'bottleneck README (new Bottleneck({ maxConcurrent }), limiter.schedule([options,] fn), limiter.wrap(fn))',
};

export const asyncQueue: LibrarySpec = {
  id: 'async',
  name: 'async (queue)',
  kind: 'http',
  modules: ['async'],
  module: { members: { queue: { does: 'policy', policy: { role: 'create', kind: 'bulkhead', wrappedArg: 0, capacity: { arg: 1 } } } } },
  source: 'async docs (queue(worker, concurrency))',
};
