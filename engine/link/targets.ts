// What a call or client points at: a URL, a host, the environment variables that name it.
import type { CallTarget } from '../model/types';
import type { Evaluator } from './evaluate';
import type { ClientRecord, RequestRecord, Resolved } from './values';

const BASE_URL_OPTIONS = ['baseURL', 'prefixUrl', 'prefixURL', 'url', 'connectionString', 'uri', 'origin', 'datasourceUrl', 'target'];
// knex `connection`, Prisma `datasources.db`, Nest microservice transports `options: { host }`.
const NESTED_OPTIONS = [['connection'], ['datasources', 'db'], ['datasources', 'db', 'url'], ['options']];

/** Where a request goes; `args` as evaluated for one caller of a wrapper, else as written. */
export function requestTarget(request: RequestRecord, evaluator: Evaluator, args: Resolved[] = request.args): CallTarget {
  const { operation } = request;
  let value: Resolved | undefined = operation.urlArg !== undefined ? args[operation.urlArg] : undefined;
  if ((!value || !isStringy(value)) && operation.urlOption) {
    const options = args.find((arg) => arg.t === 'obj');
    if (options) value = evaluator.member(options, operation.urlOption);
  }
  const own = value && isStringy(value) ? describe(value) : {};
  if (own.url && /^[a-z]+:\/\//i.test(own.url)) return own;
  const base = request.client ? clientTarget(request.client, evaluator) : {};
  if (!own.url) return base.url || base.host || base.envVars || !request.library.defaultHost ? base : { ...base, host: request.library.defaultHost };
  // A path on a client whose base URL comes from the environment: the client's variables still name the target.
  if (!base.url) return { ...base, ...own, ...(base.envVars || own.envVars ? { envVars: unique([...(base.envVars ?? []), ...(own.envVars ?? [])]) } : {}) };
  const envVars = unique([...(base.envVars ?? []), ...(own.envVars ?? [])]);
  return withHost({ url: joinUrl(base.url, own.url), ...(envVars && { envVars }) });
}

export function clientTarget(client: ClientRecord, evaluator: Evaluator): CallTarget {
  if (client.url && isStringy(client.url)) return describe(client.url);
  const options = client.options;
  if (options && options.t === 'obj') {
    const fromOptions = optionsTarget(options, evaluator, 0);
    if (fromOptions) return fromOptions;
  }
  return client.parent ? clientTarget(client.parent, evaluator) : {};
}

/** Where connection options point: a URL option, or `host` and `database` given apart (`{ host: 'orders-db', database: 'orders' }`). */
function optionsTarget(options: Resolved, evaluator: Evaluator, depth: number): CallTarget | undefined {
  for (const name of BASE_URL_OPTIONS) {
    const value = evaluator.member(options, name);
    if (isStringy(value)) return describe(value);
  }
  const host = evaluator.member(options, 'host');
  const database = ['database', 'dbName', 'db'].map((name) => evaluator.member(options, name)).find((value) => value.t === 'lit' && typeof value.v === 'string');
  if ((host.t === 'lit' && typeof host.v === 'string') || host.t === 'env' || database) {
    const target: CallTarget = host.t === 'lit' && typeof host.v === 'string' ? { host: host.v } : host.t === 'env' ? { envVars: [host.name] } : {};
    if (database && database.t === 'lit') target.database = String(database.v);
    return target;
  }
  // knex `connection: { … }`, Prisma `datasources: { db: { url } }`.
  if (depth < 2) {
    for (const path of NESTED_OPTIONS) {
      let value: Resolved = options;
      for (const key of path) value = evaluator.member(value, key);
      if (isStringy(value)) return describe(value);
      if (value.t === 'obj') {
        const inner = optionsTarget(value, evaluator, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/**
 * Names the workspace service a target points at, from its host (`inventory`, `inventory-service`,
 * `inventory.shop.svc.cluster.local`) or its environment variables (`INVENTORY_URL`, `INVENTORY_SERVICE_URL`).
 */
export function withService(target: CallTarget, serviceNames: string[]): CallTarget {
  const services = prepared(serviceNames);
  // Only a host that resolves inside the cluster names a service: `api.stripe.com` is not our `api` service.
  const internal = target.host && isInternalHost(target.host);
  const label = internal ? normalise(target.host!.split('.')[0]).replace(/-(service|svc|api|server|grpc|db|database|postgres|postgresql|pg|mongo|mongodb|mysql|mariadb|redis|cache)$/, '') : undefined;
  const fromHost = label !== undefined ? services.find((service) => service.normalised === label)?.name : undefined;
  const fromEnv = (target.envVars ?? []).map(normalise).flatMap((env) => services.filter((service) => env.startsWith(service.prefix)).map((service) => service.name))[0];
  const service = fromHost || fromEnv;
  return service ? { ...target, service } : target;
}

const normalise = (text: string) => text.toLowerCase().replace(/_/g, '-');
const preparedNames = new WeakMap<string[], Array<{ name: string; normalised: string; prefix: string }>>();

/** Service names longest first (`orders-api` before `orders`), normalised once per list rather than once per call. */
function prepared(serviceNames: string[]): Array<{ name: string; normalised: string; prefix: string }> {
  let services = preparedNames.get(serviceNames);
  if (!services) {
    services = [...serviceNames].sort((a, b) => b.length - a.length).map((name) => ({ name, normalised: normalise(name), prefix: `${normalise(name)}-` }));
    preparedNames.set(serviceNames, services);
  }
  return services;
}

/** A host that only resolves inside a cluster or a compose network: no dot, or a cluster-internal domain. */
export function isInternalHost(host: string): boolean {
  return !host.includes('.') || /\.(svc|svc\.cluster\.local|cluster\.local|internal|local)$/.test(host);
}

function isStringy(value: Resolved): boolean {
  return (value.t === 'lit' && typeof value.v === 'string') || value.t === 'str' || value.t === 'env' || (value.t === 'alt' && value.options.some(isStringy));
}

function describe(value: Resolved): CallTarget {
  if (value.t === 'lit' && typeof value.v === 'string') return withHost({ url: value.v });
  if (value.t === 'str') return withHost({ url: value.text, ...(value.envVars.length > 0 && { envVars: value.envVars }) });
  if (value.t === 'env') return { envVars: [value.name] };
  if (value.t === 'alt') {
    const env = value.options.filter((option): option is Extract<Resolved, { t: 'env' }> => option.t === 'env').map((option) => option.name);
    // A default among unknowns (`config?.baseUrl ?? 'https://…'`): the literal; else the one host the built URLs name
    // (`new URL(path, config?.baseUrl ?? DEFAULT)`), when they name only one; else the one string option
    // (`url = opts.url || opts`).
    const literal = value.options.find((option) => option.t === 'lit' && typeof option.v === 'string');
    const strings = value.options.filter((option) => option.t === 'str');
    const built = strings.map(describe).filter((target) => target.host);
    const oneHost = !literal && built.length > 0 && built.every((target) => target.host === built[0].host) ? built[0] : undefined;
    const named = literal ? describe(literal) : (oneHost ?? (strings.length === 1 ? describe(strings[0]) : undefined));
    return { ...named, ...(env.length > 0 && { envVars: env }) };
  }
  return {};
}

function withHost(target: CallTarget): CallTarget {
  // `http://user@host:port/…`, or a gRPC-style `host:port`.
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(target.url ?? '') ?? /^([a-z0-9][a-z0-9.-]*):\d+$/i.exec(target.url ?? '');
  return match && !match[1].includes('$') ? { ...target, host: match[1] } : target;
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function unique(values: string[]): string[] | undefined {
  return values.length > 0 ? [...new Set(values)] : undefined;
}
