// shared-connection-pool: the bulkhead rule. One limiter, or one agent with a total socket cap, shared by calls to
// several downstreams lets a single slow dependency take every slot and stall calls to all the others.
import picomatch from 'picomatch';
import type { ClientEntity, OutboundCall } from '../engine/model/types';
import { downstreamCalls, downstreamName, type DownstreamCall } from './downstream-calls';
import type { RelatedLocation } from '../engine/types';
import { ruleDocsUrl, type Rule, type RuleReport } from './types';

export interface SharedConnectionPoolOptions {
  /** How many different downstreams may share one pool before it is reported (2: any sharing). */
  minDownstreams: number;
  /** Also report one database pool used both while handling requests and by batch or report jobs. */
  separateBatchPools: boolean;
  /** Where batch and report jobs live (globs on workspace paths), for `separateBatchPools`. */
  batchPaths: string[];
}

const BATCH_PATHS = ['**/jobs/**', '**/job/**', '**/cron/**', '**/batch/**', '**/scripts/**', '**/workers/**', '**/reports/**'];

const MAX_RELATED = 8;

export const sharedConnectionPool: Rule<SharedConnectionPoolOptions> = {
  meta: {
    id: 'shared-connection-pool',
    description: 'Each downstream needs its own pool or limiter (a bulkhead), so one slow dependency cannot exhaust the capacity the others need.',
    docsUrl: ruleDocsUrl('shared-connection-pool'),
    defaultSeverity: 'warning',
    fixable: false,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minDownstreams: { type: 'integer', minimum: 2 },
        separateBatchPools: { type: 'boolean' },
        batchPaths: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    defaultOptions: { minDownstreams: 2, separateBatchPools: false, batchPaths: BATCH_PATHS },
  },

  check({ model, options }) {
    const reports: RuleReport[] = [];
    const callsById = new Map(model.calls.map((call) => [call.id, call]));

    // Concurrency limiters (p-limit, p-queue, bottleneck, async.queue, cockatiel bulkhead, opossum `capacity`).
    for (const policy of model.policies) {
      // A limiter without a concurrency cap (a p-queue with only `intervalCap`, a Bottleneck with only `minTime`) holds
      // no slot while a call is slow; one made per caller by a factory is not shared.
      if (policy.capacity === undefined || !policy.singleInstance) continue;
      const calls = policy.calls.flatMap(({ call: id, via }) => {
        const call = callsById.get(id);
        if (!call) return [];
        const all = downstreamCalls(call);
        return via === undefined ? all : [all[via]];
      });
      // A limiter in a shared library is one instance per process: each service's calls share only their own.
      const groups = largestGroup(calls, (call) => downstreamName(call.target));
      if (groups.size < options.minDownstreams) continue;
      const cap = policy.capacity !== undefined && Number.isFinite(policy.capacity) ? `, a cap of ${policy.capacity}` : '';
      reports.push({
        message: `One limiter (\`${policy.callee}()\`${cap}) is shared by calls to ${groups.size} downstreams (${names(groups)}): give each downstream its own limiter. Why: one slow downstream can take every slot and stall the calls to the others.`,
        location: policy.location,
        service: policy.service,
        related: relatedCalls(groups),
      });
    }

    // Agents with a total socket cap. `maxSockets` and undici's `connections` are per origin: no sharing there.
    for (const agent of model.clients) {
      // `maxTotalSockets: Infinity` is Node's default; a cap we cannot read proves nothing.
      if (agent.role !== 'agent' || agent.capacity?.total === undefined || !Number.isFinite(agent.capacity.total)) continue;
      const calls = model.calls.filter((call) => call.agent === agent.id).flatMap(downstreamCalls);
      const groups = largestGroup(calls, (call) => call.target.host);
      if (groups.size < options.minDownstreams) continue;
      const total = Number.isFinite(agent.capacity.total) ? ` of ${agent.capacity.total} sockets` : '';
      reports.push({
        message: `The agent created by \`${agent.callee}()\` caps sockets in total (maxTotalSockets${total}) and is shared by calls to ${groups.size} hosts (${names(groups)}): give each downstream its own agent, or cap per origin with maxSockets only. Why: one slow host can hold every socket.`,
        location: agent.location,
        service: agent.service,
        related: relatedCalls(groups),
      });
    }
    if (options.separateBatchPools) reports.push(...batchSharing(model.clients, model.calls, options.batchPaths));
    return reports;
  },
};

/** One database pool that request handlers and long batch jobs both draw from: a report can starve the requests. */
function batchSharing(clients: ClientEntity[], calls: OutboundCall[], batchPaths: string[]): RuleReport[] {
  const isBatch = picomatch(batchPaths);
  const reports: RuleReport[] = [];
  const callsByClient = new Map<string, OutboundCall[]>();
  for (const call of calls) {
    if (!call.client) continue;
    const list = callsByClient.get(call.client) ?? [];
    list.push(call);
    callsByClient.set(call.client, list);
  }
  for (const pool of clients) {
    if (pool.kind !== 'database' || pool.role !== 'pool') continue;
    const through = callsByClient.get(pool.id) ?? [];
    const fromHandlers = through.filter((call) => call.inRequestHandler);
    const fromJobs = through.filter((call) => !call.inRequestHandler && isBatch(call.location.file));
    if (fromHandlers.length === 0 || fromJobs.length === 0) continue;
    reports.push({
      message: `The pool created by \`${pool.callee}()\` serves both request handlers and batch jobs: give the jobs a pool of their own. Why: a long job can hold every connection while requests wait.`,
      location: pool.location,
      service: pool.service,
      related: [...fromHandlers.slice(0, 3), ...fromJobs.slice(0, 3)].map((call) => ({
        location: call.location,
        message: call.inRequestHandler ? `\`${call.callee}()\` runs while handling a request` : `\`${call.callee}()\` runs in a batch job`,
      })),
    });
  }
  return reports;
}

/** Groups calls by the downstream they reach; calls whose target is unknown are left out (they prove nothing). */
function byDownstream(calls: DownstreamCall[], key: (call: DownstreamCall) => string | undefined): Map<string, DownstreamCall[]> {
  const groups = new Map<string, DownstreamCall[]>();
  for (const call of calls) {
    const downstream = key(call);
    if (!downstream) continue;
    groups.set(downstream, [...(groups.get(downstream) ?? []), call]);
  }
  return groups;
}

/** The downstreams that share the pool within one process (service): the service with the most of them. */
function largestGroup(calls: DownstreamCall[], key: (call: DownstreamCall) => string | undefined): Map<string, DownstreamCall[]> {
  const byService = new Map<string | undefined, DownstreamCall[]>();
  for (const call of calls) byService.set(call.service, [...(byService.get(call.service) ?? []), call]);
  let largest = new Map<string, DownstreamCall[]>();
  for (const serviceCalls of byService.values()) {
    const groups = byDownstream(serviceCalls, key);
    if (groups.size > largest.size) largest = groups;
  }
  return largest;
}

function relatedCalls(groups: Map<string, DownstreamCall[]>): RelatedLocation[] {
  return [...groups.entries()]
    .flatMap(([downstream, calls]) => calls.map((call) => ({ location: call.location, message: `\`${call.callee}()\` to ${downstream} shares it` })))
    .slice(0, MAX_RELATED);
}

/** The downstreams' names for a message: the first three, then how many more (the calls are related locations). */
function names(groups: Map<string, unknown>): string {
  const all = [...groups.keys()];
  return all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}
