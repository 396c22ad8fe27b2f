// Generates a synthetic npm-workspaces monorepo of TypeScript services for the benchmark: N services × M files, each
// service with a config module, an Express app, request handlers, client modules for its downstreams, a database,
// a cache, a broker and plain domain code. Outbound calls go through the libraries Breakwater's catalog knows, with
// and without timeouts, breakers and limiters, so every rule has real work. Deterministic from the seed.
//
// The workspace type-checks with `tsc --noEmit -p <dir>`: node_modules is a symlink to this repository's, which has
// the real types of axios, got, pg, ioredis, mongodb, amqplib, opossum, cockatiel, p-limit and node-fetch. Express is
// not installed here, so a small ambient declaration in types/express.d.ts stands in for it.
//
//   node bench/generate.mjs <dir> [--services 20] [--files 50] [--seed 1]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** mulberry32: small, fast and the same on every machine, so a seed names one workspace. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['orders', 'payments', 'inventory', 'shipping', 'billing', 'catalog', 'pricing', 'accounts', 'search', 'reviews', 'loyalty', 'returns', 'invoices', 'ledger', 'fraud', 'notifications', 'identity', 'carts', 'promotions', 'warehouse', 'tax', 'reporting', 'subscriptions', 'documents', 'media', 'messaging', 'scheduling', 'routing', 'tracking', 'audit'];
const EXTERNAL = ['parcelpost', 'taxrates', 'fxquotes', 'geocoder', 'smsgate', 'mailrelay', 'kycheck', 'cardvault', 'weatherly', 'addressly', 'pushhub', 'scoring'];
const ENTITIES = ['order', 'payment', 'shipment', 'invoice', 'customer', 'product', 'refund', 'voucher', 'basket', 'review', 'account', 'ticket', 'booking', 'parcel', 'quote', 'contract', 'device', 'session', 'report', 'batch', 'supplier', 'route', 'claim', 'lead', 'plan', 'coupon', 'document', 'asset', 'campaign', 'slot'];
const FIELDS = [['reference', 'string'], ['note', 'string'], ['quantity', 'number'], ['priority', 'number'], ['region', 'string'], ['channel', 'string'], ['weightGrams', 'number'], ['score', 'number'], ['label', 'string'], ['expiresAt', 'string'], ['attempts', 'number'], ['externalId', 'string']];

const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (name) => camel(name).replace(/^./, (c) => c.toUpperCase());
const constant = (name) => name.replace(/-/g, '_').toUpperCase();

export function generateWorkspace({ dir, services = 20, filesPerService = 50, seed = 1 }) {
  const random = prng(seed);
  const chance = (p) => random() < p;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const sample = (list, n) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };

  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let files = 0;
  let bytes = 0;
  const write = (relative, text) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (relative.endsWith('.ts') && !relative.endsWith('.d.ts')) {
      files++;
      bytes += Buffer.byteLength(text);
    }
  };

  const names = Array.from({ length: services }, (_, i) => (i < DOMAINS.length ? DOMAINS[i] : `${DOMAINS[i % DOMAINS.length]}-${Math.floor(i / DOMAINS.length) + 1}`));
  // Services that use MongoDB instead of Postgres for their own store.
  const usesMongo = new Set(names.filter(() => chance(0.2)));
  const editSites = [];

  writeRoot(write, names, usesMongo, dir);
  writeCommon(write);

  for (const [index, name] of names.entries()) {
    const others = names.filter((other) => other !== name);
    // Each service calls a few services of the workspace and a few third-party APIs.
    const internal = sample(others, Math.min(others.length, int(2, 5)));
    const external = sample(EXTERNAL, int(1, 3));
    const downstreams = [
      ...internal.map((other) => ({ key: camel(other), name: other, env: `${constant(other)}_URL`, url: `http://${other}:3000`, internal: true })),
      ...external.map((api) => ({ key: `${api}Api`, name: `${api}-api`, env: `${constant(api)}_API_URL`, url: `https://api.${api}.example/v1`, internal: false })),
    ];
    const fixed = 7; // config, main, db|store, cache, events, clients/limits, types
    const rest = Math.max(filesPerService - fixed, 3);
    const clientCount = Math.max(1, Math.round(rest * 0.25));
    const handlerCount = Math.max(1, Math.round(rest * 0.35));
    const domainCount = Math.max(1, rest - clientCount - handlerCount);
    const svc = { name, index, mongo: usesMongo.has(name), usesMongo, downstreams, random, chance, pick, int, sample };

    const clients = Array.from({ length: clientCount }, (_, i) => {
      const downstream = downstreams[i % downstreams.length];
      // A second client of one downstream gets `.2`, not `-2`, which could be another service's name (orders-2).
      const suffix = i < downstreams.length ? '' : `.${Math.floor(i / downstreams.length) + 1}`;
      return { file: `${downstream.name}${suffix}`, downstream, entity: pick(ENTITIES) };
    });
    const domain = Array.from({ length: domainCount }, (_, i) => ({ file: i === 0 ? 'money' : `${ENTITIES[(index + i) % ENTITIES.length]}${i >= ENTITIES.length ? `-${Math.floor(i / ENTITIES.length) + 1}` : ''}`, index: i }));
    const handlers = Array.from({ length: handlerCount }, (_, i) => ({ file: `${pick(ENTITIES)}s-${i + 1}` }));

    const base = `services/${name}`;
    write(`${base}/package.json`, servicePackage(name));
    write(`${base}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', '../../types'] }, null, 2) + '\n');
    write(`${base}/Dockerfile`, `FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nENV PORT=3000\nCMD ["node", "dist/main.js"]\n`);
    write(`${base}/src/config.ts`, configModule(svc));
    write(`${base}/src/types.ts`, typesModule());
    write(`${base}/src/${svc.mongo ? 'store' : 'db'}.ts`, svc.mongo ? mongoModule(svc) : pgModule(svc));
    write(`${base}/src/cache.ts`, cacheModule(svc));
    write(`${base}/src/events.ts`, eventsModule(svc));
    write(`${base}/src/clients/limits.ts`, limitsModule(svc));
    for (const item of domain) write(`${base}/src/domain/${item.file}.ts`, domainModule(svc, item, domain));
    for (const client of clients) write(`${base}/src/clients/${client.file}.ts`, clientModule(svc, client));
    for (const handler of handlers) {
      const { text, edit } = handlerModule(svc, handler, clients, domain, others);
      const relative = `${base}/src/handlers/${handler.file}.ts`;
      write(relative, text);
      if (edit) editSites.push({ file: relative, ...edit });
    }
    write(`${base}/src/main.ts`, mainModule(svc, handlers));
  }

  const manifest = { services, filesPerService, seed, files, bytes, editSites };
  fs.writeFileSync(path.join(dir, '.bench-manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}

function writeRoot(write, names, usesMongo, dir) {
  write('package.json', JSON.stringify({ name: 'bench-workspace', private: true, workspaces: ['services/*', 'libs/*'], scripts: { typecheck: 'tsc --noEmit -p .' } }, null, 2) + '\n');
  write('.gitignore', 'dist/\n.breakwater-cache/\n');
  write(
    'tsconfig.base.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          esModuleInterop: true,
          isolatedModules: true,
          resolveJsonModule: true,
          skipLibCheck: true,
          noEmit: true,
          // No baseUrl: tsgo (TypeScript 7) removed it; paths are relative to this file.
          paths: { '@bench/common': ['./libs/common/src/index.ts'], '@bench/common/*': ['./libs/common/src/*'] },
        },
      },
      null,
      2,
    ) + '\n',
  );
  // One program over every service, so `tsc --noEmit -p .` and typed ESLint check the whole workspace.
  write('tsconfig.json', JSON.stringify({ extends: './tsconfig.base.json', include: ['types', 'libs/*/src', 'services/*/src'] }, null, 2) + '\n');
  write(
    'types/express.d.ts',
    `// Express is not installed in this workspace; this declares the part of its API the services use.
declare module 'express' {
  import type { IncomingHttpHeaders } from 'node:http';

  export interface Request {
    params: Record<string, string>;
    query: Record<string, string | undefined>;
    body: unknown;
    headers: IncomingHttpHeaders;
    header(name: string): string | undefined;
  }
  export interface Response {
    status(code: number): Response;
    json(body: unknown): Response;
    send(body?: unknown): Response;
    setHeader(name: string, value: string): void;
  }
  export type NextFunction = (error?: unknown) => void;
  export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
  export interface Router {
    get(path: string, ...handlers: Handler[]): Router;
    post(path: string, ...handlers: Handler[]): Router;
    put(path: string, ...handlers: Handler[]): Router;
    delete(path: string, ...handlers: Handler[]): Router;
    use(...handlers: Array<Handler | Router>): Router;
  }
  export interface Express extends Router {
    listen(port: number, callback?: () => void): unknown;
  }
  interface ExpressModule {
    (): Express;
    Router(): Router;
    json(): Handler;
  }
  const express: ExpressModule;
  export function Router(): Router;
  export default express;
}
`,
  );
  const compose = ['services:'];
  for (const name of names) {
    compose.push(`  ${name}:`, `    build: ./services/${name}`, '    environment:');
    if (usesMongo.has(name)) compose.push(`      ${constant(name)}_MONGO_URL: mongodb://mongo:27017/${name.replace(/-/g, '_')}`);
    else compose.push(`      ${constant(name)}_DATABASE_URL: postgres://app:app@postgres:5432/${name.replace(/-/g, '_')}`);
    compose.push('      REDIS_URL: redis://redis:6379', '      AMQP_URL: amqp://rabbitmq:5672');
  }
  write('docker-compose.yml', compose.join('\n') + '\n');
  // Typed ESLint over the same program as tsc, with one cheap rule that needs type information.
  write(
    'eslint.config.mjs',
    `import tseslint from 'typescript-eslint';

export default [
  { ignores: ['node_modules/**', '**/dist/**', 'types/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'error' },
  },
];
`,
  );
  // dependency-cruiser with no rules: just the module graph, resolved with the workspace's tsconfig.
  write(
    '.dependency-cruiser.cjs',
    `module.exports = {
  forbidden: [],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
`,
  );
  // Real types for the libraries the services use, without an install per workspace.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

function writeCommon(write) {
  write('libs/common/package.json', JSON.stringify({ name: '@bench/common', version: '1.0.0', private: true, type: 'module', main: './src/index.ts', types: './src/index.ts' }, null, 2) + '\n');
  write('libs/common/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2) + '\n');
  write(
    'libs/common/src/correlation.ts',
    `import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  startedAt: number;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The headers that carry the current request's id to the next hop. */
export function correlationHeaders(): Record<string, string> {
  const context = requestContext.getStore();
  return context ? { 'x-request-id': context.requestId } : {};
}

export function newRequestId(incoming: string | undefined): string {
  return incoming && incoming.length <= 128 ? incoming : randomUUID();
}
`,
  );
  write(
    'libs/common/src/errors.ts',
    `export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(\`\${url} answered \${status}\`);
    this.name = 'HttpError';
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

export class NotFoundError extends Error {
  constructor(readonly resource: string, readonly id: string) {
    super(\`\${resource} \${id} not found\`);
    this.name = 'NotFoundError';
  }
}
`,
  );
  write(
    'libs/common/src/rpc.ts',
    `import { correlationHeaders } from './correlation.js';
import { HttpError } from './errors.js';

/**
 * JSON over HTTP to another service, with the current request id attached.
 * Each caller picks its own deadline: pass \`signal: AbortSignal.timeout(ms)\`.
 */
export async function rpc<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...correlationHeaders(),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  if (!response.ok) throw new HttpError(url, response.status, await response.text());
  return (await response.json()) as T;
}
`,
  );
  write(
    'libs/common/src/index.ts',
    `export { correlationHeaders, newRequestId, requestContext, type RequestContext } from './correlation.js';
export { HttpError, NotFoundError } from './errors.js';
export { rpc } from './rpc.js';
`,
  );
}

function servicePackage(name) {
  return (
    JSON.stringify(
      {
        name: `@bench/${name}`,
        version: '1.0.0',
        private: true,
        type: 'module',
        scripts: { build: 'tsc -p .', start: 'node dist/main.js' },
        dependencies: { '@bench/common': '*', amqplib: '^0.10.4', axios: '^1.7.9', cockatiel: '^3.2.1', express: '^5.0.1', got: '^14.4.5', ioredis: '^5.4.2', mongodb: '^6.12.0', 'node-fetch': '^2.7.0', opossum: '^8.4.0', 'p-limit': '^6.2.0', pg: '^8.13.1' },
      },
      null,
      2,
    ) + '\n'
  );
}

function configModule(svc) {
  const { name, mongo, downstreams, chance } = svc;
  const store = mongo ? `  mongo: { url: required('${constant(name)}_MONGO_URL') },` : `  database: {\n    url: required('${constant(name)}_DATABASE_URL'),\n    statementTimeoutMs: Number(env.DB_STATEMENT_TIMEOUT_MS ?? 5_000),\n  },`;
  const lines = downstreams.map((d) => `    ${d.key}: { url: env.${d.env} ?? '${d.url}'${d.internal ? '' : `, apiKey: env.${d.env.replace(/_URL$/, '_KEY')} ?? ''`} },`);
  return `const env = process.env;

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}

function numberFrom(name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const config = {
  service: '${name}',
  port: numberFrom('PORT', 3000),
${store}
  redis: { url: env.REDIS_URL ?? 'redis://redis:6379' },
  amqp: { url: env.AMQP_URL ?? 'amqp://rabbitmq:5672', exchange: '${name}.events' },
  http: {
    timeoutMs: numberFrom('HTTP_TIMEOUT_MS', ${chance(0.5) ? '2_500' : '5_000'}),
    slowTimeoutMs: numberFrom('HTTP_SLOW_TIMEOUT_MS', 15_000),
  },
  downstreams: {
${lines.join('\n')}
  },
};

export type Config = typeof config;
`;
}

function typesModule() {
  return `export interface Page<T> {
  items: T[];
  next?: string;
  total: number;
}

export type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });

export function paginate<T>(items: T[], limit: number, cursor?: string): Page<T> {
  const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
  const slice = items.slice(start, start + limit);
  const nextStart = start + slice.length;
  return {
    items: slice,
    next: nextStart < items.length ? Buffer.from(String(nextStart)).toString('base64url') : undefined,
    total: items.length,
  };
}

export function parseLimit(raw: string | undefined, fallback = 20, max = 100): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) return fallback;
  return Math.min(value, max);
}
`;
}

function pgModule(svc) {
  const { chance } = svc;
  const bounded = chance(0.65);
  const options = bounded
    ? `  max: 20,\n  connectionTimeoutMillis: 2_000,\n  statement_timeout: config.database.statementTimeoutMs,`
    : `  max: ${svc.pick([10, 20, 30])},\n  idleTimeoutMillis: 30_000,`;
  return `import pg from 'pg';
import { config } from './config.js';

export const pool = new pg.Pool({
  connectionString: config.database.url,
${options}
});

pool.on('error', (error) => {
  console.error('idle client error', error);
});

export async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const result = await pool.query<T>(text, values);
  return result.rows;
}

export async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
`;
}

function mongoModule(svc) {
  const bounded = svc.chance(0.6);
  return `import { MongoClient, type Document } from 'mongodb';
import { config } from './config.js';

const client = new MongoClient(config.mongo.url, {
  maxPoolSize: 20,
  serverSelectionTimeoutMS: 5_000,${bounded ? '\n  timeoutMS: 5_000,' : ''}
});

const database = client.db('${svc.name.replace(/-/g, '_')}');

export async function query<T extends Document>(collection: string, filter: Document = {}): Promise<T[]> {
  return database.collection<T>(collection).find(filter as never).limit(500).toArray() as Promise<T[]>;
}

export async function insert(collection: string, document: Document): Promise<string> {
  const result = await database.collection(collection).insertOne(document);
  return String(result.insertedId);
}

export async function close(): Promise<void> {
  await client.close();
}
`;
}

function cacheModule(svc) {
  const bounded = svc.chance(0.6);
  const options = bounded ? `{\n  commandTimeout: 500,\n  maxRetriesPerRequest: 2,\n  enableOfflineQueue: false,\n}` : `{\n  maxRetriesPerRequest: ${svc.chance(0.5) ? 'null' : '3'},\n  lazyConnect: true,\n}`;
  return `import { Redis } from 'ioredis';
import { config } from './config.js';

export const cache = new Redis(config.redis.url, ${options});

export async function cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  const hit = await cache.get(key);
  if (hit !== null) return JSON.parse(hit) as T;
  const value = await load();
  await cache.set(key, JSON.stringify(value), 'EX', ttlSeconds);
  return value;
}

export async function invalidate(prefix: string): Promise<number> {
  const keys = await cache.keys(\`\${prefix}*\`);
  return keys.length > 0 ? cache.del(...keys) : 0;
}
`;
}

function eventsModule(svc) {
  const bounded = svc.chance(0.5);
  const correlated = svc.chance(0.7);
  return `import amqp from 'amqplib';
import { correlationHeaders } from '@bench/common';
import { config } from './config.js';

type Channel = Awaited<ReturnType<Awaited<ReturnType<typeof amqp.connect>>['createConfirmChannel']>>;

let channel: Promise<Channel> | undefined;

async function open(): Promise<Channel> {
  const connection = await amqp.connect(config.amqp.url${bounded ? ', { timeout: 5_000 }' : ''});
  const created = await connection.createConfirmChannel();
  await created.assertExchange(config.amqp.exchange, 'topic', { durable: true });
  return created;
}

export async function publish(event: string, payload: unknown): Promise<void> {
  channel ??= open();
  const ready = await channel;
  ready.publish(config.amqp.exchange, event, Buffer.from(JSON.stringify(payload)), {
    persistent: true,
    contentType: 'application/json',${correlated ? '\n    headers: correlationHeaders(),' : ''}
  });
}
`;
}

function limitsModule(svc) {
  return `import pLimit from 'p-limit';

// At most ${svc.pick([8, 16, 32])} calls to other services in flight per instance, so a burst cannot swamp them.
export const downstreamLimit = pLimit(${svc.pick([8, 16, 32])});
`;
}

function domainModule(svc, item, domain) {
  const { pick, int, sample, chance } = svc;
  if (item.index === 0) {
    return `export type Currency = 'EUR' | 'USD' | 'GBP' | 'CHF';

export interface Money {
  amountCents: number;
  currency: Currency;
}

export const zero = (currency: Currency): Money => ({ amountCents: 0, currency });

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(\`cannot add \${a.currency} to \${b.currency}\`);
  return { amountCents: a.amountCents + b.amountCents, currency: a.currency };
}

export function multiply(money: Money, factor: number): Money {
  return { amountCents: Math.round(money.amountCents * factor), currency: money.currency };
}

export function format(money: Money, locale = 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amountCents / 100);
}

export function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && typeof (value as Money).amountCents === 'number' && typeof (value as Money).currency === 'string';
}
`;
  }
  const entity = item.file.replace(/-\d+$/, '');
  const Type = pascal(item.file);
  const fields = sample(FIELDS, int(3, 6));
  const statuses = sample(['draft', 'pending', 'active', 'confirmed', 'settled', 'failed', 'cancelled', 'archived'], int(3, 5));
  // Domain files import money and, often, an earlier domain file: imports across files.
  const earlier = item.index > 1 && chance(0.6) ? domain[int(1, item.index - 1)] : undefined;
  const Earlier = earlier ? pascal(earlier.file) : undefined;
  const importLine = earlier ? `import type { ${Earlier} } from './${earlier.file}.js';\n` : '';
  const checks = fields.map(([field, type]) => `  if (typeof record.${field} !== '${type}') problems.push('${field} must be a ${type}');`).join('\n');
  const transitions = statuses.map((status, i) => `  ${status}: [${statuses.slice(i + 1, i + 3).map((next) => `'${next}'`).join(', ')}],`).join('\n');
  return `import { add, isMoney, zero, type Money } from './money.js';
${importLine}
export type ${Type}Status = ${statuses.map((s) => `'${s}'`).join(' | ')};

export interface ${Type} {
  id: string;
  status: ${Type}Status;
  total: Money;
${fields.map(([field, type]) => `  ${field}: ${type};`).join('\n')}
  lines: Array<{ sku: string; quantity: number; price: Money }>;${Earlier ? `\n  related?: ${Earlier}['id'];` : ''}
  createdAt: string;
  updatedAt: string;
}

export type New${Type} = Omit<${Type}, 'id' | 'status' | 'total' | 'createdAt' | 'updatedAt'>;

const transitions: Record<${Type}Status, ${Type}Status[]> = {
${transitions}
};

export function canMove(from: ${Type}Status, to: ${Type}Status): boolean {
  return transitions[from].includes(to);
}

export function validate${Type}(input: unknown): { value?: New${Type}; problems: string[] } {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null) return { problems: ['body must be an object'] };
  const record = input as Record<string, unknown>;
${checks}
  if (!Array.isArray(record.lines)) problems.push('lines must be an array');
  else if (record.lines.some((line) => !isMoney((line as { price?: unknown }).price))) problems.push('every line needs a price');
  return problems.length > 0 ? { problems } : { value: record as unknown as New${Type}, problems };
}

export function totalOf(lines: ${Type}['lines'], currency: Money['currency'] = 'EUR'): Money {
  return lines.reduce((sum, line) => add(sum, { amountCents: line.price.amountCents * line.quantity, currency: line.price.currency }), zero(currency));
}

export function summarise(items: ${Type}[]): Record<${Type}Status, number> {
  const counts = {} as Record<${Type}Status, number>;
  for (const status of Object.keys(transitions) as ${Type}Status[]) counts[status] = 0;
  for (const item of items) counts[item.status] += 1;
  return counts;
}

export class ${Type}Policy {
  constructor(private readonly maxLines = ${int(10, 200)}) {}

  accepts(${entity.replace(/-/g, '')}: New${Type}): boolean {
    return ${entity.replace(/-/g, '')}.lines.length > 0 && ${entity.replace(/-/g, '')}.lines.length <= this.maxLines;
  }

  priorityOf(item: Pick<${Type}, 'status' | 'total'>): number {
    const weight = item.status === '${statuses[0]}' ? ${int(1, 5)} : ${int(6, 9)};
    return weight * Math.log10(1 + item.total.amountCents / 100);
  }
}
`;
}

/** A client module for one downstream: axios, got, fetch, node-fetch or the shared rpc() wrapper, each with or without its own timeout, breaker and limiter. */
function clientModule(svc, client) {
  const { chance, pick } = svc;
  const { downstream, entity } = client;
  const Type = pascal(entity);
  const fn = pascal(entity);
  const base = `config.downstreams.${downstream.key}.url`;
  const correlated = chance(0.75);
  const limiter = chance(0.3) ? 'shared' : chance(0.4) ? 'own' : 'none';
  const limitImport = limiter === 'shared' ? `import { downstreamLimit as limit } from './limits.js';\n` : limiter === 'own' ? `import pLimit from 'p-limit';\n` : '';
  const limitDecl = limiter === 'own' ? `\n// Its own bulkhead: a slow ${downstream.name} cannot take the slots of the other downstreams.\nconst limit = pLimit(${pick([4, 8, 10])});\n` : '';
  const limited = (expr) => (limiter === 'none' ? expr : `limit(() => ${expr})`);
  /** get/list/update over the module's own `request()`; `updateArgs` is how that request() takes a PUT with a body. */
  const requestAccessors = (updateArgs) => `export async function get${fn}(id: string): Promise<${Type}> {
  return ${limited(`request<${Type}>(\`/${entity}s/\${encodeURIComponent(id)}\`)`)};
}

export async function list${fn}s(query: ${Type}Query = {}): Promise<${Type}[]> {
  return ${limited(`request<${Type}[]>(\`/${entity}s?limit=\${query.limit ?? 50}\`)`)};
}

export async function update${fn}(id: string, changes: Partial<${Type}>): Promise<${Type}> {
  return ${limited(`request<${Type}>(\`/${entity}s/\${encodeURIComponent(id)}\`, ${updateArgs})`)};
}
`;
  const headers = correlated ? 'correlationHeaders()' : `{ 'user-agent': config.service }`;
  const model = `export interface ${Type} {
  id: string;
  status: string;
  updatedAt: string;
  attributes: Record<string, string | number | boolean>;
}

export interface ${Type}Query {
  status?: string;
  limit?: number;
  cursor?: string;
}
`;
  const flavour = downstream.internal ? pick(['axios-breaker', 'axios', 'rpc', 'cockatiel', 'got']) : pick(['axios-breaker', 'axios', 'got', 'cockatiel', 'node-fetch']);
  const common = `import { correlationHeaders } from '@bench/common';\nimport { config } from '../config.js';\n${limitImport}`;
  const timeout = chance(0.7);

  if (flavour === 'axios-breaker' || flavour === 'axios') {
    const breaker = flavour === 'axios-breaker';
    const call = (method, url, extra = '') =>
      breaker ? `breaker.fire({ method: '${method}', url: ${url}${extra}, headers: ${headers} })` : `http.${method.toLowerCase()}<${Type}>(${url}${extra ? `, ${extra.replace(/^, data: /, '')}` : ''}${method === 'GET' ? `, { headers: ${headers} }` : `, { headers: ${headers} }`})`;
    return `import axios${breaker ? ', { type AxiosRequestConfig, type AxiosResponse }' : ''} from 'axios';
${breaker ? "import CircuitBreaker from 'opossum';\n" : ''}${common}
${model}${limitDecl}
const http = axios.create({
  baseURL: ${base},${timeout ? `\n  timeout: config.http.${chance(0.8) ? 'timeoutMs' : 'slowTimeoutMs'},` : ''}
  headers: { accept: 'application/json'${downstream.internal ? '' : `, authorization: \`Bearer \${config.downstreams.${downstream.key}.apiKey}\``} },
});
${
  breaker
    ? `
// One breaker for everything this service asks ${downstream.name}.
const breaker = new CircuitBreaker((request: AxiosRequestConfig): Promise<AxiosResponse> => http.request(request), {
  ${chance(0.5) ? 'timeout: 3_000,\n  ' : ''}errorThresholdPercentage: 50,
  resetTimeout: 10_000,${chance(0.3) ? '\n  capacity: 20,' : ''}
});

breaker.on('open', () => console.warn('${downstream.name} breaker opened'));
`
    : ''
}
export async function get${fn}(id: string): Promise<${Type}> {
  const response = await ${limited(call('GET', `\`/${entity}s/\${encodeURIComponent(id)}\``))};
  return response.data${breaker ? ` as ${Type}` : ''};
}

export async function list${fn}s(query: ${Type}Query = {}): Promise<${Type}[]> {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  params.set('limit', String(query.limit ?? 50));
  const response = await ${limited(call('GET', `\`/${entity}s?\${params.toString()}\``))};
  return response.data${breaker ? ` as ${Type}[]` : ` as unknown as ${Type}[]`};
}

export async function update${fn}(id: string, changes: Partial<${Type}>): Promise<${Type}> {
  const response = await ${limited(call('PUT', `\`/${entity}s/\${encodeURIComponent(id)}\``, ', data: changes'))};
  return response.data${breaker ? ` as ${Type}` : ''};
}
`;
  }

  if (flavour === 'got') {
    return `import got from 'got';
${common}
${model}${limitDecl}
const client = got.extend({
  prefixUrl: ${base},${timeout ? `\n  timeout: { request: ${pick(['2_000', '5_000', 'config.http.timeoutMs'])} },` : ''}
  retry: { limit: ${pick([0, 1, 2])} },
  responseType: 'json',
});

export async function get${fn}(id: string): Promise<${Type}> {
  return ${limited(`client.get(\`${entity}s/\${encodeURIComponent(id)}\`, { headers: ${headers} }).json<${Type}>()`)};
}

export async function list${fn}s(query: ${Type}Query = {}): Promise<${Type}[]> {
  const searchParams = { status: query.status ?? 'any', limit: query.limit ?? 50 };
  return ${limited(`client.get('${entity}s', { searchParams, headers: ${headers} }).json<${Type}[]>()`)};
}

export async function update${fn}(id: string, changes: Partial<${Type}>): Promise<${Type}> {
  return ${limited(`client.put(\`${entity}s/\${encodeURIComponent(id)}\`, { json: changes, headers: ${headers} }).json<${Type}>()`)};
}
`;
  }

  if (flavour === 'cockatiel') {
    const withTimeout = timeout;
    return `import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, ${withTimeout ? 'timeout, TimeoutStrategy, ' : ''}wrap } from 'cockatiel';
import { HttpError } from '@bench/common';
${common}
${model}${limitDecl}
const policy = wrap(
  retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),${withTimeout ? `\n  timeout(${pick(['2_000', '3_000'])}, TimeoutStrategy.Aggressive),` : ''}
);

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  return policy.execute(async ({ signal }) => {
    const url = \`\${${base}}\${path}\`;
    const response = await fetch(url, { ...init, signal, headers: { 'content-type': 'application/json', ...${headers} } });
    if (!response.ok) throw new HttpError(url, response.status, await response.text());
    return (await response.json()) as T;
  });
}

${requestAccessors("{ method: 'PUT', body: JSON.stringify(changes) }")}`;
  }

  if (flavour === 'node-fetch') {
    return `import fetch from 'node-fetch';
import { HttpError } from '@bench/common';
${common}
${model}${limitDecl}
async function request<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const url = \`\${${base}}\${path}\`;
  const response = await fetch(url, {
    method,${timeout ? '\n    timeout: config.http.timeoutMs,' : ''}
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...${headers} },
  });
  if (!response.ok) throw new HttpError(url, response.status, await response.text());
  return (await response.json()) as T;
}

${requestAccessors("'PUT', changes")}`;
  }

  // rpc(): the workspace's shared fetch wrapper; each caller passes its own deadline, or forgets to.
  const signal = timeout ? `, signal: AbortSignal.timeout(${pick(['1_500', '3_000', 'config.http.timeoutMs'])})` : '';
  return `import { rpc } from '@bench/common';
import { config } from '../config.js';
${limitImport}
${model}${limitDecl}
export async function get${fn}(id: string): Promise<${Type}> {
  return ${limited(`rpc<${Type}>(\`\${${base}}/${entity}s/\${encodeURIComponent(id)}\`, { method: 'GET'${signal} })`)};
}

export async function list${fn}s(query: ${Type}Query = {}): Promise<${Type}[]> {
  return ${limited(`rpc<${Type}[]>(\`\${${base}}/${entity}s?limit=\${query.limit ?? 50}\`, { method: 'GET'${signal} })`)};
}

export async function update${fn}(id: string, changes: Partial<${Type}>): Promise<${Type}> {
  return ${limited(`rpc<${Type}>(\`\${${base}}/${entity}s/\${encodeURIComponent(id)}\`, { method: 'PUT', body: JSON.stringify(changes)${signal} })`)};
}
`;
}

/** A router with a few routes: reads from the store and cache, calls downstream clients, publishes events. */
function handlerModule(svc, handler, clients, domain, others) {
  const { chance, pick, int, sample, mongo } = svc;
  const resource = handler.file.replace(/-\d+$/, '');
  const router = `${camel(handler.file)}Router`;
  // One client per entity, so the imported names do not clash.
  const used = sample(clients, Math.min(clients.length, int(1, 3))).filter((c, i, all) => all.findIndex((o) => o.entity === c.entity) === i);
  const entities = domain.filter((d) => d.index > 0);
  const model = entities.length > 0 ? pick(entities) : undefined;
  const Model = model ? pascal(model.file) : undefined;
  const imports = [
    `import { randomUUID } from 'node:crypto';`,
    `import { Router } from 'express';`,
    ...used.map((c) => `import { get${pascal(c.entity)}, list${pascal(c.entity)}s } from '../clients/${c.file}.js';`),
    `import { cached, invalidate } from '../cache.js';`,
    `import { query } from '../${mongo ? 'store' : 'db'}.js';`,
    `import { publish } from '../events.js';`,
    `import { parseLimit, paginate } from '../types.js';`,
  ];
  if (model) imports.push(`import { summarise, validate${Model}, type ${Model} } from '../domain/${model.file}.js';`);
  // A cross-service import: this service reads another service's store through its code.
  const pgServices = others.filter((other) => !svc.usesMongo.has(other));
  const crossService = pgServices.length > 0 && chance(0.08) ? pick(pgServices) : undefined;
  if (crossService) imports.push(`import { query as ${camel(crossService)}Query } from '../../../${crossService}/src/db.js';`);
  // A direct call with an explicit timeout: the benchmark's language-server edits toggle it.
  const direct = chance(0.55) ? pick(svc.downstreams.filter((d) => !d.internal).concat(svc.downstreams).slice(0, 3)) : undefined;
  if (direct) imports.push(`import axios from 'axios';`, `import { config } from '../config.js';`);
  const rowType = model ? Model : `{ id: string; status: string }`;
  const select = (table) => (mongo ? `query<${rowType}>('${table}', { status: { $ne: 'archived' } })` : `query<${rowType}>('select * from ${table} where status <> $1 order by created_at desc limit 500', ['archived'])`);
  const table = resource.replace(/-/g, '_');

  const routes = [];
  routes.push(`${router}.get('/${resource}', async (req, res) => {
  const limit = parseLimit(req.query.limit);
  const rows = await cached(\`${resource}:list\`, 30, () => ${select(table)});
  res.json(paginate(rows, limit, req.query.cursor));
});`);
  routes.push(`${router}.post('/${resource}', async (req, res) => {
  ${model ? `const { value, problems } = validate${Model}(req.body);
  if (!value) return res.status(400).json({ problems });` : `const value = req.body as Record<string, unknown>;`}
  const id = randomUUID();
  ${mongo ? `await query('${table}', { id, ...value });` : `await query('insert into ${table} (id, body) values ($1, $2)', [id, JSON.stringify(value)]);`}
  await invalidate('${resource}:');
  await publish('${resource}.created', { id });
  return res.status(201).json({ id });
});`);
  for (const client of used) {
    const E = pascal(client.entity);
    routes.push(`${router}.get('/${resource}/:id/${client.entity}', async (req, res) => {
  const found = await get${E}(req.params.id);
  const related = await list${E}s({ status: found.status, limit: ${int(5, 50)} });
  res.json({ ...found, related: related.map((item) => item.id) });
});`);
  }
  let edit;
  if (direct) {
    const timeout = pick(['1_500', '2_000', '3_000', '800']);
    const line = `    { timeout: ${timeout}, headers: { 'x-request-id': requestId } },`;
    routes.push(`${router}.get('/${resource}/:id/lookup', async (req, res) => {
  const requestId = req.header('x-request-id') ?? randomUUID();
  const { data } = await axios.get<{ id: string; score: number }>(
    \`\${config.downstreams.${direct.key}.url}/lookup/\${encodeURIComponent(req.params.id)}\`,
${line}
  );
  res.json(data);
});`);
    edit = { with: line, without: `    { headers: { 'x-request-id': requestId } },` };
  }
  if (model) {
    routes.push(`${router}.get('/${resource}/summary', async (_req, res) => {
  const rows = await ${mongo ? `query<${Model}>('${table}')` : `query<${Model}>('select * from ${table}')`};
  res.json(summarise(rows));
});`);
  }
  if (crossService) {
    routes.push(`${router}.get('/${resource}/:id/${crossService}', async (req, res) => {
  const rows = await ${camel(crossService)}Query('select * from ${crossService.replace(/-/g, '_')}_view where ref = $1', [req.params.id]);
  res.json(rows);
});`);
  }
  const text = `${imports.join('\n')}

export const ${router} = Router();

${routes.join('\n\n')}
`;
  return { text, edit };
}

function mainModule(svc, handlers) {
  const middleware = svc.chance(0.7);
  return `import express from 'express';
import { newRequestId, requestContext } from '@bench/common';
import { config } from './config.js';
${handlers.map((h) => `import { ${camel(h.file)}Router } from './handlers/${h.file}.js';`).join('\n')}

const app = express();
app.use(express.json());
${
  middleware
    ? `app.use((req, res, next) => {
  const requestId = newRequestId(req.header('x-request-id'));
  res.setHeader('x-request-id', requestId);
  requestContext.run({ requestId, startedAt: Date.now() }, next);
});
`
    : `// Request ids are not read here: hops from this service cannot be followed.
void requestContext;
void newRequestId;
`
}${handlers.map((h) => `app.use(${camel(h.file)}Router);`).join('\n')}

app.listen(config.port, () => {
  console.log(\`\${config.service} listening on \${config.port}\`);
});
`;
}

// CLI: node bench/generate.mjs <dir> [--services N] [--files M] [--seed S]
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const dir = path.resolve(args.find((arg, i) => !arg.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))) ?? 'bench/out/ws');
  const started = performance.now();
  const manifest = generateWorkspace({ dir, services: option('--services', 20), filesPerService: option('--files', 50), seed: option('--seed', 1) });
  console.log(`${dir}: ${manifest.files} .ts files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.editSites.length} edit sites, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
