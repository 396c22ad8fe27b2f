// Circuit breakers and resilience policies. They make no calls of their own; they bound (and, for issue rules to
// come, guard) the calls run through them.
import type { LibrarySpec } from '../types';

export const opossum: LibrarySpec = {
  id: 'opossum',
  name: 'opossum',
  kind: 'http',
  modules: ['opossum'],
  module: {
    construct: {
      does: 'policy',
      policy: { role: 'create', kind: 'breaker', wrappedArg: 0, timeoutOption: { arg: 1, path: ['timeout'], default: 10_000, none: [false, 0] } },
    },
  },
  types: {},
  source: 'opossum lib/circuit.js (options.timeout default 10000; `false` disables it)',
};

export const cockatiel: LibrarySpec = {
  id: 'cockatiel',
  name: 'cockatiel',
  kind: 'http',
  modules: ['cockatiel'],
  module: {
    members: {
      timeout: { does: 'policy', policy: { role: 'create', kind: 'timeout', timeoutOption: { arg: 0 }, strategyArg: 1 } },
      circuitBreaker: { does: 'policy', policy: { role: 'create', kind: 'breaker' } },
      retry: { does: 'policy', policy: { role: 'create', kind: 'retry' } },
      bulkhead: { does: 'policy', policy: { role: 'create', kind: 'bulkhead' } },
      wrap: { does: 'policy', policy: { role: 'combine' } },
      // cockatiel 2: Policy.timeout(ms, strategy), Policy.wrap(...)
      Policy: { does: 'is', type: 'PolicyNamespace' },
    },
  },
  types: {
    PolicyNamespace: {
      members: {
        timeout: { does: 'policy', policy: { role: 'create', kind: 'timeout', timeoutOption: { arg: 0 }, strategyArg: 1 } },
        wrap: { does: 'policy', policy: { role: 'combine' } },
        handleAll: { does: 'is', type: 'PolicyNamespace' },
        bulkhead: { does: 'policy', policy: { role: 'create', kind: 'bulkhead' } },
      },
    },
  },
  source: 'cockatiel readme.md (timeout(duration, TimeoutStrategy): Cooperative only signals, Aggressive rejects)',
};
