// Which service owns each database, decided from what the code and the repository say, and which services reach
// into another's database: by connecting to it, or by importing the other service's data-access modules.
import type { FileFacts } from '../extract/facts';
import type { DeployEnvironment } from '../discover/environment';
import type { ClientEntity, CrossServiceImport, DatabaseUse, OutboundCall } from '../model/types';
import type { ModuleResolver } from './modules';
import { locate } from './link';
import { withService } from './targets';

const DATA_KINDS = new Set(['database', 'cache']);
const CACHE_LIBRARIES = new Set(['ioredis', 'redis']);
const MAX_MODULES = 200;

export interface OwnershipInput {
  clients: ClientEntity[];
  environment: DeployEnvironment;
  serviceNames: string[];
  /** breakwater.json `databases`: a database, host or environment variable → the service that owns it. */
  declared: Record<string, string>;
}

export function databaseUses({ clients, environment, serviceNames, declared }: OwnershipInput): DatabaseUse[] {
  const uses: Array<DatabaseUse & { port?: string }> = clients
    .filter((client) => DATA_KINDS.has(client.kind))
    .map((client) => {
      const env = client.service ? environment.env[client.service] ?? {} : {};
      const fromEnv = (client.target.envVars ?? []).map((name) => env[name]).find((value) => value !== undefined);
      const url = parseUrl(fromEnv ?? (client.target.url && !client.target.url.includes('${') ? client.target.url : undefined));
      return {
        client: client.id,
        library: client.library,
        location: client.location,
        service: client.service,
        ...((url?.host ?? client.target.host) && { host: url?.host ?? client.target.host }),
        ...((url?.database ?? client.target.database) && { database: url?.database ?? client.target.database }),
        ...(url?.port && { port: url.port }),
        ...(client.target.envVars && { envVars: client.target.envVars }),
      };
    });
  for (const use of uses) {
    Object.assign(use, ownerOf(use, { environment, serviceNames, declared }));
    if (use.owner) use.ownerIsOwn = true;
    // `orders-worker` and `orders-migrations` belong with `orders`: one bounded context, deployed apart.
    if (use.owner && use.service && sameContext(use.owner, use.service)) use.owner = use.service;
  }
  const withoutPorts = (list: typeof uses): DatabaseUse[] => list.map(({ port: _port, ...use }) => use);
  // A database that only one service uses, and that nothing names for another, is that service's.
  const byKey = new Map<string, DatabaseUse[]>();
  for (const use of uses) {
    const key = databaseKey(use);
    if (!key) continue;
    use.key = key;
    byKey.set(key, [...(byKey.get(key) ?? []), use]);
  }
  for (const group of byKey.values()) {
    const owners = new Set(group.map((use) => use.owner).filter(Boolean));
    const users = new Set(group.map((use) => use.service).filter(Boolean));
    if (owners.size === 0 && users.size === 1) {
      const [only] = users;
      for (const use of group) Object.assign(use, { owner: only, ownerReason: `only ${only} uses it` });
    } else if (owners.size === 1) {
      // Every connection to the same database has the same owner, even where only another connection names it. A
      // cache server is often shared infrastructure: there, one service's variable name (`INVENTORY_REDIS_URL`) says
      // nothing of another's plain `REDIS_URL`.
      const [owner] = owners;
      const naming = group.find((use) => use.owner === owner && !(CACHE_LIBRARIES.has(use.library) && use.ownerReason?.startsWith('its environment variable')));
      if (naming) for (const use of group) if (!use.owner) Object.assign(use, { owner, ownerReason: naming.ownerReason });
    }
  }
  return withoutPorts(uses);
}

function sameContext(a: string, b: string): boolean {
  return a !== b && (a.startsWith(`${b}-`) || b.startsWith(`${a}-`));
}

function ownerOf(use: DatabaseUse, { environment, serviceNames, declared }: Omit<OwnershipInput, 'clients'>): Partial<DatabaseUse> {
  for (const [name, owner] of Object.entries(declared)) {
    if ([use.database, use.host, ...(use.envVars ?? [])].includes(name)) return { owner, ownerReason: `breakwater.json declares ${name} as ${owner}'s` };
  }
  for (const variable of use.envVars ?? []) {
    const named = withService({ envVars: [variable] }, serviceNames).service;
    if (named) return { owner: named, ownerReason: `its environment variable ${variable} names ${named}` };
  }
  if (use.host) {
    const named = environment.hosts[use.host] ?? withService({ host: use.host }, serviceNames).service;
    if (named) return { owner: named, ownerReason: `its host ${use.host} names ${named}` };
  }
  if (use.database && serviceNames.includes(use.database)) return { owner: use.database, ownerReason: `its database is named ${use.database}` };
  return {};
}

function databaseKey(use: DatabaseUse & { port?: string }): string | undefined {
  // The port matters: two services' caches on localhost:6379 and localhost:6380 are different servers.
  if (use.host || use.database) return `${use.host ?? ''}:${use.port ?? ''}/${use.database ?? ''}`;
  return use.envVars?.[0];
}

/** `postgres://user:pw@orders-db:5432/orders?x=y` → host and database; `mongodb+srv://…`, `redis://…` alike. */
function parseUrl(text: string | undefined): { host?: string; port?: string; database?: string } | undefined {
  if (!text) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#,]+)(?::(\d+))?[^/?#]*(?:\/([^/?#]+))?/i.exec(text);
  if (!match) return undefined;
  const database = match[3] && !/^\d+$/.test(match[3]) ? decodeURIComponent(match[3]) : undefined;
  return { host: match[1], ...(match[2] && { port: match[2] }), ...(database && { database }) };
}

export interface ImportGraphInput {
  facts: FileFacts[];
  serviceOf: Map<string, string | undefined>;
  resolver: ModuleResolver;
  clients: ClientEntity[];
  calls: OutboundCall[];
}

/** Imports whose target lies in another service, with the database work the imported code leads to, if any. */
export function crossServiceImports({ facts, serviceOf, resolver, clients, calls }: ImportGraphInput): CrossServiceImport[] {
  const byPath = new Map(facts.map((file) => [file.path, file]));
  const dataSites = new Map<string, { location: CrossServiceImport['location']; library: string }>();
  const note = (location: CrossServiceImport['location'], library: string) => {
    if (!dataSites.has(location.file)) dataSites.set(location.file, { location, library });
  };
  for (const item of [...clients, ...calls]) if (DATA_KINDS.has(item.kind)) note(item.location, item.library);
  // The service's data model (its ORM entities and schemas) is its database's schema, even where no client is made.
  for (const file of facts) {
    const model = dataModelOf(file);
    if (model) note(locate(file, file.importSpans[model.importIndex]), model.library);
  }
  // Database work through a shared helper (`query()` in libs/db) happens where the helper is called.
  for (const call of calls) if (DATA_KINDS.has(call.kind)) for (const wrapperCall of call.via ?? []) note(wrapperCall.location, call.library);
  const found: CrossServiceImport[] = [];
  for (const file of facts) {
    const service = serviceOf.get(file.path);
    if (!service) continue;
    file.imports.forEach((specifier, index) => {
      const resolved = resolver.resolve(file.path, specifier);
      if (resolved.kind !== 'file') return;
      const targetService = serviceOf.get(resolved.path);
      if (!targetService || targetService === service) return;
      const target = byPath.get(resolved.path);
      if (target && importsOnlyTypes(file, specifier, target)) return;
      const database = databaseWork(resolved.path, targetService, byPath, serviceOf, resolver, dataSites);
      found.push({
        file: file.path,
        service,
        target: resolved.path,
        targetService,
        specifier,
        location: locate(file, file.importSpans[index]),
        dependencyTypes: [],
        ...(database && { database }),
      });
    });
  }
  return found;
}

/** ORM modules, and the names whose import (or call) says a file defines a data model with them. */
const ORM_MODELS: Array<{ module: RegExp; library: string; names: RegExp }> = [
  { module: /^typeorm$/, library: 'typeorm', names: /^(Entity|ViewEntity|EntitySchema)$/ },
  { module: /^@mikro-orm\/core$/, library: 'mikro-orm', names: /^(Entity|EntitySchema)$/ },
  { module: /^mongoose$/, library: 'mongoose', names: /^(model|Schema)$/ },
  { module: /^sequelize(-typescript)?$/, library: 'sequelize', names: /^(Model|DataTypes|Table)$/ },
  { module: /^drizzle-orm\/(pg|mysql|sqlite)-core$/, library: 'drizzle', names: /^(pgTable|mysqlTable|sqliteTable)$/ },
  { module: /^objection$/, library: 'objection', names: /^Model$/ },
];

/**
 * The ORM a file defines a data model with, and which of its imports names it: an imported model-defining name
 * (`Entity` from typeorm), or for CommonJS a call such as `mongoose.model(…)` / `new Schema(…)`.
 */
function dataModelOf(file: FileFacts): { library: string; importIndex: number } | undefined {
  for (const orm of ORM_MODELS) {
    const importIndex = file.imports.findIndex((specifier) => orm.module.test(specifier));
    if (importIndex < 0) continue;
    const named = file.bindings.some((binding) => binding.kind === 'import' && binding.from !== undefined && orm.module.test(binding.from) && orm.names.test(binding.imported ?? ''));
    const called = file.calls.some((call) => orm.names.test(call.text.split('.').pop() ?? ''));
    if (named || called) return { library: orm.library, importIndex };
  }
  return undefined;
}

/**
 * `import { Order } from '../../orders/src/repository'` where `Order` is an interface: no value crosses, so no code
 * runs. Told by the imported names being none of the target's value exports.
 */
function importsOnlyTypes(file: FileFacts, specifier: string, target: FileFacts): boolean {
  const imported = file.bindings.filter((binding) => binding.kind === 'import' && binding.from === specifier).map((binding) => binding.imported);
  if (imported.length === 0 || target.reexportAll.length > 0) return false;
  const values = new Set(target.exports.map((entry) => entry.name));
  return imported.every((name) => name !== undefined && name !== '*' && name !== '=' && name !== 'default' && !values.has(name));
}

/** The first database client or call that a module of a service leads to, following its imports inside that service. */
function databaseWork(
  start: string,
  service: string,
  byPath: Map<string, FileFacts>,
  serviceOf: Map<string, string | undefined>,
  resolver: ModuleResolver,
  dataSites: Map<string, { location: CrossServiceImport['location']; library: string }>,
): CrossServiceImport['database'] {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size <= MAX_MODULES) {
    const current = queue.shift()!;
    const site = dataSites.get(current);
    if (site) return site;
    for (const specifier of byPath.get(current)?.imports ?? []) {
      const resolved = resolver.resolve(current, specifier);
      if (resolved.kind === 'file' && !seen.has(resolved.path) && serviceOf.get(resolved.path) === service) {
        seen.add(resolved.path);
        queue.push(resolved.path);
      }
    }
  }
  return undefined;
}
