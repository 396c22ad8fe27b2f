// missing-timeout: a call that leaves the process and can wait forever (or longer than the team tolerates).
// Reported where the fix goes: at the client when the timeout belongs on the client, else at the call.
import type { CallKind, ClientEntity, OutboundCall, TimeoutVerdict } from '../engine/model/types';
import type { RelatedLocation, SourceLocation } from '../engine/types';
import { ruleDocsUrl, type Rule, type RuleReport } from './types';

export interface MissingTimeoutOptions {
  /** Flag explicit timeouts longer than this many milliseconds; null accepts any explicit timeout. */
  maxTimeoutMs: number | null;
  /** The kinds of call to check. */
  kinds: CallKind[];
}

const ALL_KINDS: CallKind[] = ['http', 'grpc', 'rpc', 'database', 'cache', 'broker'];
/** Sources that bound a call by itself, whatever its client does. */
const OWN_SOURCES: Array<TimeoutVerdict['source']> = ['call-options', 'signal', 'deadline', 'chain', 'policy'];
const MAX_RELATED = 5;

export const missingTimeout: Rule<MissingTimeoutOptions> = {
  meta: {
    id: 'missing-timeout',
    description: 'Every call that leaves the process needs a timeout: a slow answer is the worst kind of failure.',
    docsUrl: ruleDocsUrl('missing-timeout'),
    defaultSeverity: 'warning',
    fixable: false,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxTimeoutMs: { type: ['integer', 'null'], minimum: 1 },
        kinds: { type: 'array', items: { enum: ALL_KINDS }, uniqueItems: true },
      },
    },
    defaultOptions: { maxTimeoutMs: null, kinds: ALL_KINDS },
  },

  check({ model, options }) {
    const reports: RuleReport[] = [];
    const clientsById = new Map(model.clients.map((client) => [client.id, client]));
    const callsById = new Map(model.calls.map((call) => [call.id, call]));
    const tooLong = new Set<string>();

    for (const client of model.clients) {
      if (!options.kinds.includes(client.kind) || client.timeoutAt !== 'client') continue;
      const calls = client.calls.map((id) => callsById.get(id)).filter((call): call is OutboundCall => !!call && call.awaitsReply);
      if (client.timeout.status === 'unbounded') {
        // Only a base for other clients (`got.extend(a).extend({ timeout })`): the clients made from it are judged.
        if (calls.length === 0 && model.clients.some((other) => other.extends === client.id)) continue;
        // Every call through it bounds itself: the client is fine as it is used.
        if (calls.length > 0 && calls.every((call) => call.timeout.status === 'bounded' && OWN_SOURCES.includes(call.timeout.source))) continue;
        reports.push({
          message: `${describeClient(client)} has no timeout: ${fixOf(client.timeout)}. Why: ${client.timeout.detail}, so every call through it can hang.`,
          location: client.location,
          service: client.service,
          related: relatedCalls(calls.filter((call) => call.timeout.status !== 'bounded')),
        });
      }
      checkMax(client.timeout, client.location, `${describeClient(client)}`, client.service);
    }

    for (const call of model.calls) {
      if (!options.kinds.includes(call.kind) || !call.awaitsReply) continue;
      const client = call.client ? clientsById.get(call.client) : undefined;
      if (call.timeout.status === 'unbounded') {
        // The client's own finding covers calls whose fix belongs on the client.
        if (client && client.timeoutAt === 'client' && client.timeout.status === 'unbounded') continue;
        reports.push({
          message: `\`${call.callee}()\` has no timeout${targetOf(call)}: ${fixOf(call.timeout)}. Why: ${call.timeout.detail}, so a slow ${kindOf(call)} can hang it.`,
          location: call.location,
          service: call.service,
          related: [
            ...(client ? [{ location: client.location, message: `${describeClient(client)} is created here` }] : []),
            ...(call.timeout.callersWithout ?? []).slice(0, MAX_RELATED).map((location) => ({ location, message: 'this call passes no timeout' })),
          ],
        });
      } else if (!client || call.timeout.source !== client.timeout.source || call.timeout.location !== client.timeout.location) {
        checkMax(call.timeout, call.location, `\`${call.callee}()\``, call.service);
      }
    }
    return reports;

    function checkMax(verdict: TimeoutVerdict, fallback: SourceLocation, subject: string, service: string | undefined): void {
      const max = options.maxTimeoutMs;
      if (max === null || verdict.status !== 'bounded' || verdict.ms === undefined || verdict.ms <= max) return;
      if (verdict.source === 'library-default') return;
      const location = verdict.location ?? fallback;
      const key = `${location.file}:${location.line}:${location.column}`;
      if (tooLong.has(key)) return;
      tooLong.add(key);
      reports.push({
        message: `The timeout of ${verdict.ms} ms for ${subject} is longer than the ${max} ms this project allows (maxTimeoutMs): lower it. Why: callers wait that long before they can fail over.`,
        location,
        service,
      });
    }
  },
};

function describeClient(client: ClientEntity): string {
  return `The ${client.role} created by \`${client.callee}()\``;
}

function fixOf(verdict: TimeoutVerdict): string {
  return verdict.fix ?? 'set a timeout';
}

/** ` for its call to api.stripe.com`: the target, when it is known. */
function targetOf(call: OutboundCall): string {
  const name = call.target.service ? `the ${call.target.service} service` : call.target.host ?? call.target.envVars?.[0];
  return name ? ` for its call to ${name}` : '';
}

function kindOf(call: OutboundCall): string {
  return call.kind === 'database' ? 'database' : call.kind === 'cache' ? 'cache' : call.kind === 'broker' ? 'broker' : 'downstream';
}

function relatedCalls(calls: OutboundCall[]): RelatedLocation[] {
  return calls.slice(0, MAX_RELATED).map((call) => ({ location: call.location, message: `\`${call.callee}()\` goes through this client` }));
}
