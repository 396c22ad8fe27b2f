// unguarded-downstream-call: a synchronous call to another service or API with nothing that fails fast when that
// dependency is down or slow. Without a circuit breaker every caller keeps waiting and retrying into a dependency
// that is already failing, and the failure cascades.
import picomatch from 'picomatch';
import type { CallKind, CallTarget } from '../engine/model/types';
import { downstreamCalls, downstreamName, toolFiles } from './downstream-calls';
import { ruleDocsUrl, type Rule, type RuleReport } from './types';

export interface UnguardedDownstreamCallOptions {
  /** The kinds of synchronous call to check. */
  kinds: CallKind[];
  /** Hosts or URLs (globs) that need no breaker, e.g. a local sidecar. */
  ignoreTargets: string[];
  /** Names of in-house functions that run their callback through a circuit breaker (`withBreaker(() => …)`). */
  breakerFunctions: string[];
  /** Client libraries (catalog id or module name) that apply a breaker themselves. */
  guardedClients: string[];
}

const SYNC_KINDS: CallKind[] = ['http', 'grpc', 'rpc'];
/** The conventional health and readiness endpoints: `/health`, `/healthz`, `/readyz`, `/livez`, `/ready`. */
const HEALTH_PATH = /\/(health|healthz|healthcheck|health-check|readyz|livez|readiness|liveness|ready|live)\/?(\?.*)?$/i;

export const unguardedDownstreamCall: Rule<UnguardedDownstreamCallOptions> = {
  meta: {
    id: 'unguarded-downstream-call',
    description: 'Synchronous calls to other services need a circuit breaker, so callers fail fast and the failure does not cascade.',
    docsUrl: ruleDocsUrl('unguarded-downstream-call'),
    defaultSeverity: 'warning',
    fixable: false,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kinds: { type: 'array', items: { enum: SYNC_KINDS }, uniqueItems: true },
        ignoreTargets: { type: 'array', items: { type: 'string', minLength: 1 } },
        breakerFunctions: { type: 'array', items: { type: 'string', minLength: 1 } },
        guardedClients: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    defaultOptions: { kinds: SYNC_KINDS, ignoreTargets: ['localhost', '127.0.0.1', '[::1]'], breakerFunctions: [], guardedClients: [] },
  },

  check({ model, options }) {
    const reports: RuleReport[] = [];
    const ignored = picomatch(options.ignoreTargets, { nocase: true });
    const policies = new Map(model.policies.map((policy) => [policy.id, policy]));
    const clients = new Map(model.clients.map((client) => [client.id, client]));
    const tools = toolFiles(model);

    for (const outbound of model.calls) {
      if (!options.kinds.includes(outbound.kind) || !outbound.awaitsReply) continue;
      if (options.guardedClients.includes(outbound.library)) continue;
      // A wrapper whose callers all reach the one downstream it names itself (`apiGet(path)` over `API_URL`) gets its
      // breaker inside, once: judge the call it makes, not each of its callers.
      const oneDownstream = outbound.via?.every((via) => downstreamName(via.target) === downstreamName(outbound.target));
      // A client class's own request helper (`this.fetchJson(url)`, called only by the class's methods) gets its
      // breaker inside, once, too: the class is the client, whatever paths its methods ask for.
      const ownHelper = outbound.via?.every((via) => via.location.file === outbound.location.file && via.callee.startsWith('this.'));
      for (const call of downstreamCalls(oneDownstream || ownHelper ? { ...outbound, via: undefined } : outbound)) {
        // Nobody waits for it (`void report()`): a slow downstream stalls no caller, so there is nothing to cascade.
        if (tools.has(call.location.file) || call.fromToolsOnly || call.detached) continue;
        if (isIgnoredTarget(call.target, ignored)) continue;
        // The caller of this service picks the destination (a URL from the request body): no one downstream to guard.
        if (call.call.originFromRequest && !call.call.via) continue;
        // A published package's helper calls whatever address its users hand it: their code holds the downstream.
        if (call.call.addressFromPackageUsers) continue;
        // A health probe reports whether the dependency is up; a breaker in front of it would hide the state it reports.
        if (call.target.url !== undefined && HEALTH_PATH.test(call.target.url)) continue;
        if (call.target.service && call.target.service === call.service) continue; // a service calling itself
        if (call.passedTo.some((name) => options.breakerFunctions.includes(lastName(name)))) continue;

        const breakers = call.policies.filter((entry) => policies.get(entry.id)?.kinds.includes('breaker'));
        if (breakers.some((entry) => !entry.perCall)) continue;
        // Each of its callers runs it through a breaker of its own.
        if (breakers.length === 0 && call.alwaysUnder.includes('breaker')) continue;
        if (breakers.length > 0) {
          const breaker = policies.get(breakers[0].id)!;
          reports.push({
            message: `The circuit breaker around \`${call.callee}()\` is created anew for every call: create it once per downstream (at module level or in a constructor) and reuse it. Why: a new breaker never sees enough failures to open.`,
            location: breaker.location,
            service: breaker.service,
            related: [{ location: call.location, message: `\`${call.callee}()\` runs through it` }],
          });
          continue;
        }
        const client = outbound.client ? clients.get(outbound.client) : undefined;
        const related = [
          ...(call.call.location !== call.location ? [{ location: outbound.location, message: `the wrapper makes the call here` }] : []),
          ...(client ? [{ location: client.location, message: 'the client it goes through is created here' }] : []),
        ];
        reports.push({
          message: `\`${call.callee}()\` calls ${describeTarget(call.target)} with no circuit breaker: run it through a breaker (opossum, cockatiel) created once for that downstream. Why: when it is down or slow, every caller keeps waiting and retrying into it, and the failure cascades.`,
          location: call.location,
          service: call.service,
          ...(related.length > 0 && { related }),
        });
      }
    }
    return reports;
  },
};

function isIgnoredTarget(target: CallTarget, ignored: (text: string) => boolean): boolean {
  return [target.host, target.url].some((text) => text !== undefined && ignored(text));
}

function describeTarget(target: CallTarget): string {
  if (target.service) return `the ${target.service} service`;
  if (target.host) return target.host;
  if (target.envVars?.length) return `the downstream at ${target.envVars[0]}`;
  if (target.url) return `\`${target.url.length > 60 ? `${target.url.slice(0, 59)}…` : target.url}\``;
  return 'an address known only at run time';
}

function lastName(callee: string): string {
  return callee.split('.').pop() ?? callee;
}
