// missing-correlation-id: a request that crosses services can only be followed when every hop carries the same ID.
// Reports outbound calls made while handling a request that do not pass the ID on, servers that never read or create
// one, and broker messages sent without it.
import type { CallKind, ClientEntity, Model, OutboundCall } from '../engine/model/types';
import { isInternalHost } from '../engine/link/targets';
import { downstreamCalls, type DownstreamCall, toolFiles } from './downstream-calls';
import { ruleDocsUrl, type Rule, type RuleReport } from './types';

export interface MissingCorrelationIdOptions {
  /** Header names that carry the correlation ID (any one of them counts), case-insensitive. */
  headers: string[];
  /** The kinds of outbound call that must pass the ID on. */
  kinds: CallKind[];
  /** Also report inbound servers that never read or create an ID, and broker messages sent without one. */
  checkServers: boolean;
  /** Packages whose use means the service reads or creates correlation IDs (request-ID middleware). */
  correlationModules: string[];
  /** Also require the ID on calls to third-party APIs (hosts outside the cluster), not only on calls to our own services. */
  thirdParty: boolean;
}

const DEFAULT_HEADERS = ['x-request-id', 'x-correlation-id', 'traceparent'];
const DEFAULT_MODULES = ['express-request-id', 'express-correlation-id', 'correlation-id', 'cls-rtracer', 'koa-requestid', 'nestjs-cls', '@opentelemetry/api'];
/** An option that is itself a correlation ID (amqplib `correlationId`); see TimeoutJudge.headerNames. */
const CORRELATION_OPTION = '$correlation';

export const missingCorrelationId: Rule<MissingCorrelationIdOptions> = {
  meta: {
    id: 'missing-correlation-id',
    description: 'Every request and every hop carries a correlation ID, so a failure can be followed across services.',
    docsUrl: ruleDocsUrl('missing-correlation-id'),
    defaultSeverity: 'warning',
    fixable: false,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        headers: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        kinds: { type: 'array', items: { enum: ['http', 'grpc', 'rpc'] }, uniqueItems: true },
        checkServers: { type: 'boolean' },
        correlationModules: { type: 'array', items: { type: 'string', minLength: 1 } },
        thirdParty: { type: 'boolean' },
      },
    },
    defaultOptions: { headers: DEFAULT_HEADERS, kinds: ['http', 'grpc'], checkServers: true, correlationModules: DEFAULT_MODULES, thirdParty: false },
  },

  check({ model, options }) {
    const names = options.headers.map((name) => name.toLowerCase());
    const clients = new Map(model.clients.map((client) => [client.id, client]));
    const reports: RuleReport[] = [];
    const tools = toolFiles(model);

    for (const outbound of model.calls) {
      const isMessage = outbound.kind === 'broker';
      if (isMessage ? !options.checkServers : !options.kinds.includes(outbound.kind)) continue;
      const client = outbound.client ? clients.get(outbound.client) : undefined;
      for (const call of downstreamCalls(outbound)) {
        if (!call.inRequestHandler || tools.has(call.location.file) || call.fromToolsOnly) continue;
        if (!isMessage && !options.thirdParty && !isInternal(call)) continue;
        if (propagates(call, outbound, client, model, names)) continue;
        reports.push(
          isMessage
            ? {
                message: `\`${call.callee}()\` publishes a message without a correlation ID (${options.headers.join(', ')}) in its headers: put the current ID there. Why: the consumer's work cannot be tied back to the request that caused it.`,
                location: call.location,
                service: call.service,
              }
            : {
                message: `\`${call.callee}()\` is made while handling a request but does not pass on its correlation ID (${options.headers.join(', ')}): send it in the call's headers. Why: a failure downstream cannot be followed back to this request; the client's default headers, an interceptor or OpenTelemetry's HTTP instrumentation pass it on too.`,
                location: call.location,
                service: call.service,
                ...(client && { related: [{ location: client.location, message: 'the client it goes through is created here' }] }),
              },
        );
      }
    }

    if (options.checkServers) {
      const reported = new Set<string>();
      for (const server of [...model.servers].sort((a, b) => serverRank(a) - serverRank(b))) {
        // Fastify creates a request id (`request.id`) for every request by itself.
        if (server.framework === 'fastify' || tools.has(server.location.file)) continue;
        // A server made in a shared library runs in each service that imports it: judged for them, reported once there.
        const services = server.service === undefined ? server.services ?? [] : [server.service];
        if (services.length === 0 || services.every((service) => reported.has(service))) continue;
        if (services.some((service) => servesCorrelation(model, service, names, options.correlationModules))) continue;
        services.forEach((service) => reported.add(service));
        reports.push({
          message: `This ${server.framework} server never reads or creates a correlation ID (${options.headers.join(', ')}): add a middleware that reads it, or creates one when there is none. Why: its logs and outbound calls cannot be tied to the caller's.`,
          location: server.location,
          service: server.service,
        });
      }
    }
    return reports;
  },
};

function propagates(call: DownstreamCall, outbound: OutboundCall, client: ClientEntity | undefined, model: Model, names: string[]): boolean {
  if (tracingPropagates(model, call.service, instrumentedAs(outbound))) return true;
  const headers = call.headers;
  if (headers === undefined) return true; // cannot tell: stay silent
  if (headers.some((name) => name === CORRELATION_OPTION || names.includes(name))) return true;
  if (client) {
    if (client.intercepted || client.headers === undefined) return true;
    if (client.headers.some((name) => names.includes(name))) return true;
  }
  // A module-level interceptor (`axios.interceptors.request.use`) acts on the default instance only, not on clients.
  const summary = call.service ? model.serviceSummaries[call.service] : undefined;
  return !client && !!summary?.interceptedLibraries.includes(outbound.library);
}

/** Which OpenTelemetry instrumentation sees a call: fetch and undici go through undici, gRPC through grpc-js, the rest through node:http. */
function instrumentedAs(call: OutboundCall): 'http' | 'undici' | 'grpc' {
  if (call.library === 'fetch' || call.library === 'undici') return 'undici';
  if (call.kind === 'grpc') return 'grpc';
  return 'http';
}

/**
 * A call to one of our own services: the target names a workspace service, or a host that only resolves inside the
 * cluster (`fraud`, `orders:3000`, `*.svc.cluster.local`). Targets we cannot resolve are not judged.
 */
function isInternal(call: DownstreamCall): boolean {
  if (call.target.service) return true;
  return !!call.target.host && isInternalHost(call.target.host);
}

/** OpenTelemetry instrumentation registered in the service (or in shared code outside any service) propagates `traceparent`. */
function tracingPropagates(model: Model, service: string | undefined, kind?: 'http' | 'undici' | 'grpc'): boolean {
  return model.tracing.some(
    (setup) =>
      (setup.service === service || (setup.service === undefined && service !== undefined && !!setup.services?.includes(service))) &&
      (kind ? setup.covers.includes('all') || setup.covers.includes(kind) : setup.covers.length > 0),
  );
}

function servesCorrelation(model: Model, service: string | undefined, names: string[], modules: string[]): boolean {
  if (tracingPropagates(model, service)) return true;
  const summary = service ? model.serviceSummaries[service] : undefined;
  if (!summary) return true;
  if (summary.headerNames.some((name) => names.includes(name))) return true;
  return summary.imports.some((specifier) => modules.some((module) => specifier === module || specifier.startsWith(`${module}/`)));
}

/**
 * A service's server is reported once, where its middleware goes: a framework's app before a bare node:http server
 * (which often only wraps that app), and the entry module (`src/main.ts`, `server.ts`, `index.ts`) before any other
 * file that also creates one (a schema generator that sorts first).
 */
function serverRank(server: Model['servers'][number]): number {
  const file = server.location.file;
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '');
  const entry = ['main', 'server', 'index', 'app'].indexOf(name);
  return (server.framework === 'node:http' ? 10 : 0) + (entry < 0 ? 4 : entry);
}
