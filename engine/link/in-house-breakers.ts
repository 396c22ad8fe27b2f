// In-house circuit breakers: code that asks a breaker of its own before it calls out (`if (!rdCircuit.canRequest(key))
// return null`, `const circuit = getProviderCircuitState(name); if (circuit.status === 'open') …`) fails fast like an
// opossum breaker does. Such a breaker is known by its name (an object or function named for a circuit or a breaker)
// and by being asked, not run: the catalog's breakers are run (`breaker.fire(…)`) and judged as policies.
import type { CallFact, FileFacts } from '../extract/facts';
import { handedTo } from './handed-to';

/** A callee named for a circuit breaker: `rdCircuit.canRequest`, `this.breaker.isOpen`, `getProviderCircuitState`. */
const BREAKER_NAME = /circuit|breaker/i;
/** Short-circuit evaluation is no breaker. */
const NOT_A_BREAKER = /short-?circuit/i;
/** Methods that run code through a catalog breaker or set it up: the catalog judges those (a breaker made per call is still reported). */
const RUN_OR_SETUP = new Set(['fire', 'execute', 'call', 'wrap', 'on', 'once', 'use', 'fallback', 'open', 'close', 'shutdown', 'enable', 'disable']);

export class InHouseBreakers {
  /** `file#fn` of the functions that ask an in-house breaker in their own body. */
  private readonly asking = new Set<string>();
  /** Names of those functions, for the functions handed to them (`guardedCall(name, () => fetch(…))`). */
  private readonly askingNames = new Set<string>();

  constructor(facts: readonly FileFacts[]) {
    for (const file of facts) {
      for (const call of file.calls) {
        if (call.fn < 0 || !asksABreaker(call)) continue;
        this.asking.add(`${file.path}#${call.fn}`);
        const name = file.functions[call.fn].name;
        if (name) this.askingNames.add(name);
      }
    }
  }

  /** Does function `fn` of `file` ask an in-house breaker, or is it handed to a function that does? */
  guards(file: FileFacts, fn: number): boolean {
    if (this.asking.has(`${file.path}#${fn}`)) return true;
    return this.askingNames.size > 0 && (handedTo(file).get(fn) ?? []).some((callee) => this.askingNames.has(lastName(callee)));
  }
}

function asksABreaker(call: CallFact): boolean {
  return !call.isNew && BREAKER_NAME.test(call.text) && !NOT_A_BREAKER.test(call.text) && !RUN_OR_SETUP.has(lastName(call.text));
}

function lastName(callee: string): string {
  return callee.split('.').pop() ?? callee;
}
