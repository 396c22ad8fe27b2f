// unguarded-downstream-call: synchronous calls to other services (HTTP, gRPC, Nest RPC) with no circuit breaker.
// Positions are written as the text the finding must start at: a call at the start of its call expression, a breaker
// created per call at its creating expression.
import { invalidCase, monorepo, runRuleTests, type InvalidCase, type RuleCase } from '../rule-tester';

const one = (code: string) => ({ 'src/index.ts': code });

const NO_BREAKER = 'with no circuit breaker';
const PER_CALL = 'is created anew for every call';

// ── shared fixtures ──

// A workspace with an API service and one library; `library` is the library's package.json.
const withLibrary = (library: object, files: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }),
  'apps/api/package.json': JSON.stringify({ name: 'api', private: true, scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4', '@acme/billing': '*' } }),
  'packages/billing/package.json': JSON.stringify(library),
  ...files,
});
/** A package only the workspace consumes: its entry points are TypeScript sources. */
const SOURCE_PACKAGE = { name: '@acme/billing', version: '0.0.0', main: './index.ts', types: './index.ts' };
/** A package published for others: built entry points and a publish config. */
const PUBLISHED_PACKAGE = { name: '@acme/billing', version: '2.3.0', main: './dist/index.js', types: './dist/index.d.ts', publishConfig: { access: 'public' } };
const billingFiles = (apiImport: string) => ({
  'packages/billing/index.ts': `export const currency = 'eur';\n`,
  'packages/billing/stripe/get-customer.ts': `export const getCustomer = (id: string) => fetch(\`https://api.stripe.com/v1/customers/\${id}\`, { signal: AbortSignal.timeout(3000) });\n`,
  'apps/api/src/main.ts': `import express from 'express';\n${apiImport}\nexpress().get('/c/:id', async (req, res) => res.json(await lookup(req.params.id))).listen(3000);\n`,
});
const retryHelper = `export async function fetchWithRetry(input: string, init?: RequestInit, attempt = 1): Promise<Response> {
  try {
    return await fetch(input, { ...init, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    if (attempt >= 3) throw error;
    return fetchWithRetry(input, init, attempt + 1);
  }
}
`;


/** A cockatiel breaker in a shared library, and a wrapper that runs its callback through it. */
const cockatielLib = `import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

export function withBreaker<T>(fn: () => Promise<T>): Promise<T> {
  return breaker.execute(fn);
}
`;

/** An opossum breaker in a shared library whose action runs the callback it is fired with. */
const opossumLib = `import CircuitBreaker from 'opossum';

const breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), { timeout: 3000, resetTimeout: 10_000 });

export function withBreaker<T>(fn: () => Promise<T>): Promise<T> {
  return breaker.fire(fn) as Promise<T>;
}
`;

/** A generic wrapper: where it goes is decided by each caller. */
const rpcLib = `export async function rpc<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(\`\${url}: \${res.status}\`);
  return (await res.json()) as T;
}
`;


// ── where the code runs: servers are judged, browsers and developers' tools are not ──

/** A package with a server and a React SPA side by side (`server/`, `app/`), as in a koa or express app with its UI. */
const serverWithSpa = (spaCall: string, serverCode = `import axios from 'axios';\nexport const notify = () => axios.post('https://hooks.slack.com/services/x', {}, { timeout: 2000 });\n`) => ({
  'package.json': JSON.stringify({ name: 'wiki', scripts: { start: 'node build/server' }, dependencies: { koa: '^2', react: '^18', 'react-dom': '^18' } }),
  'server/index.ts': serverCode,
  'app/index.tsx': `import { createRoot } from 'react-dom/client';\nimport { load } from './utils/ApiClient';\ncreateRoot(document.body).render(null);\nload();\n`,
  'app/utils/ApiClient.ts': `export const load = () => ${spaCall};\n`,
});

/** A Remix route module: its loader runs on the server, its component in the browser. */
const remixRoute = `import { useCallback } from 'react';
export async function loader() {
  return fetch('https://api.github.com/repos/acme/app', { signal: AbortSignal.timeout(2000) });
}
export default function Page() {
  const refresh = useCallback(() => fetch('/resources/metrics', { signal: AbortSignal.timeout(2000) }), []);
  return refresh;
}
`;
const remixApp = { 'package.json': JSON.stringify({ name: 'webapp', scripts: { start: 'remix-serve build' }, dependencies: { '@remix-run/node': '^2', react: '^18' } }), 'app/routes/metrics/route.tsx': remixRoute };

const toolCall = `import axios from 'axios';\nexport const sync = () => axios.post('https://api.example.com/sync', {}, { timeout: 5000 });\n`;

const valid: RuleCase[] = [
  {
    name: 'a library module that only a script imports runs as a tool',
    files: {
      'package.json': JSON.stringify({ name: 'ops', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4' } }),
      'src/main.ts': 'export const up = true;\n',
      'src/dns/cloudflare.ts': `import axios from 'axios';\nexport const records = (zone: string) => axios.get('https://api.cloudflare.com/client/v4/zones/' + zone + '/dns_records', { timeout: 5000 });\n`,
      'scripts/sync-dns.ts': `import { records } from '../src/dns/cloudflare';\nvoid records('zone');\n`,
    },
  },
  { name: 'a file a package.json script runs by hand (not the start script)', files: { 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node dist/main.js', ingest: 'tsx src/ingest.ts' }, dependencies: { express: '^4' } }), 'src/ingest.ts': toolCall } },
  {
    name: "an SPA's stores that import each other, and a plugin module a bundler loads: browser code, though nothing React imports the client",
    files: {
      'package.json': JSON.stringify({ name: 'wiki', scripts: { start: 'node build/server' }, dependencies: { koa: '^2', react: '^18', 'react-dom': '^18' } }),
      'server/index.ts': 'export const up = true;\n',
      'app/index.tsx': `import { createRoot } from 'react-dom/client';\nimport { stores } from './stores/RootStore';\ncreateRoot(document.body).render(String(stores));\n`,
      'app/stores/RootStore.ts': `import { DocumentsStore } from './DocumentsStore';\nexport const stores = { documents: new DocumentsStore() };\n`,
      'app/stores/DocumentsStore.ts': `import { client } from '../utils/ApiClient';\nimport type { stores } from './RootStore';\nexport class DocumentsStore { root?: typeof stores; fetch() { return client.get('/documents.list'); } }\n`,
      'app/utils/ApiClient.ts': `export const client = { get: (path: string) => fetch('https://wiki.example.com/api' + path, { signal: AbortSignal.timeout(2000) }) };\n`,
      'app/utils/PluginManager.ts': `import { stores } from '../stores/RootStore';\nexport const register = (name: string) => stores.documents.fetch().then(() => name);\n`,
      'plugins/diagrams/client/index.tsx': `import { register } from '../../../app/utils/PluginManager';\nregister('diagrams');\n`,
    },
  },
  { name: 'a health or readiness probe of a dependency: a breaker would hide the state it reports', files: one(`export async function ready() {\n  const worker = await fetch(\`\${process.env.WORKER_URL}/readyz\`, { signal: AbortSignal.timeout(5000) });\n  const search = await fetch('http://search:9200/_cluster/health', { signal: AbortSignal.timeout(5000) });\n  const billing = await fetch(\`\${process.env.BILLING_URL}/health?deep=1\`, { signal: AbortSignal.timeout(5000) });\n  return worker.ok && search.ok && billing.ok;\n}\n`) },
  { name: "a browser extension's background script (a manifest.json with manifest_version) runs in the browser", files: { 'package.json': JSON.stringify({ name: 'addon', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }), 'server.js': `require('express')().listen(3000);\n`, 'browser-extension/manifest.json': JSON.stringify({ manifest_version: 3, name: 'Addon helper', background: { service_worker: 'background.js' } }), 'browser-extension/background.js': `async function request(base, path) {\n  const res = await fetch(\`\${base}\${path}\`, { signal: AbortSignal.timeout(5000) });\n  return res.json();\n}\nchrome.runtime.onMessage.addListener((message) => { void request('https://addon.example.com', message.path); });\n` } },
  { name: 'a probe of an endpoint the request names (its body, validated or not): the caller picks the destination', files: { 'package.json': JSON.stringify({ name: 'web', scripts: { start: 'next start' }, dependencies: { next: '^14', express: '^4' } }), 'src/app/api/connect/route.ts': `import { z } from 'zod';\nconst Input = z.object({ endpointUrl: z.string().url() });\nexport async function POST(request: Request) {\n  let input: z.infer<typeof Input>;\n  input = Input.parse(await request.json());\n  const baseUrl = input.endpointUrl.replace(/\\/+$/, '');\n  const probe = await fetch(\`\${baseUrl}/v1/models\`, { signal: AbortSignal.timeout(10_000) });\n  return Response.json({ ok: probe.ok });\n}\n`, 'src/server.ts': `import express from 'express';\nconst app = express();\napp.post('/webhooks/test', async (req, res) => {\n  const out = await fetch(req.body.url, { method: 'POST', signal: AbortSignal.timeout(5000) });\n  res.json({ status: out.status });\n});\napp.listen(3000);\n` } },
  { name: 'a `#!` script that starts no server is a developer tool run from a shell', files: { 'package.json': JSON.stringify({ name: 'webapp', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }), 'server.js': `const express = require('express');\nexpress().listen(3000);\n`, 'leak-detector.js': `#!/usr/bin/env node\nasync function snapshot() {\n  const res = await fetch(\`\${process.env.WEBAPP_ADMIN_URL}/admin/heap\`, { signal: AbortSignal.timeout(60_000) });\n  return res.text();\n}\nsnapshot().then(console.log);\n` } },
  { name: 'a call whose failure is only caught (`send().catch(log)` as a statement): nobody waits for it', files: one(`export function emit(span: object) {\n  fetch(\`\${process.env.OTLP_URL}/v1/traces\`, { method: 'POST', body: JSON.stringify(span), signal: AbortSignal.timeout(5000) }).catch((error) => console.warn(error));\n  fetch(\`\${process.env.OTLP_URL}/v1/logs\`, { method: 'POST', signal: AbortSignal.timeout(5000) }).catch(() => undefined).finally(() => undefined);\n}\n`) },
  { name: 'an async IIFE whose result is dropped, and a timer callback: nobody waits for what they do', files: one(`export function start() {\n  (async () => {\n    const res = await fetch(\`\${process.env.LLM_URL}/v1/models\`, { signal: AbortSignal.timeout(3000) });\n    if (!res.ok) console.warn('models unavailable');\n  })().catch(() => undefined);\n  setInterval(async () => {\n    await fetch(\`\${process.env.ANALYTICS_URL}/batch\`, { method: 'POST', signal: AbortSignal.timeout(10_000) });\n  }, 5000);\n}\n`) },
  { name: 'a call nobody waits for (void, or a statement of its own): nothing cascades', files: one(`export function report(usage: number) {\n  void fetch('https://usage.example.com/v1/report', { method: 'POST', body: String(usage), signal: AbortSignal.timeout(2000) });\n  fetch('https://usage.example.com/v1/ping', { signal: AbortSignal.timeout(2000) });\n}\n`) },

  { name: "an SPA's API client beside the server: imported only by browser code", files: serverWithSpa(`fetch('https://api.example.com/me', { signal: AbortSignal.timeout(2000) })`, 'export const up = true;\n') },
  { name: 'a component of a Remix route module (its loader is judged)', files: { ...remixApp, 'app/routes/metrics/route.tsx': remixRoute.replace(/return fetch\([^;]*;/, 'return { ok: true };') } },
  { name: 'a command-line tool (package.json bin)', files: { 'package.json': JSON.stringify({ name: '@acme/cli', bin: { acme: 'dist/cli.js' }, types: 'dist/index.d.ts' }), 'src/sync.ts': toolCall } },
  { name: 'a script in scripts/ of a service', files: { 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4' } }), 'scripts/sync.ts': toolCall } },
  { name: 'a static page served beside a service (index.html and its script)', files: { 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node main.js' } }), 'frontend/index.html': '<script src="main.js"></script>', 'frontend/main.js': `export const load = () => fetch('https://api.example.com/stats', { signal: AbortSignal.timeout(2000) });\n` } },
  { name: 'front-end assets of an AdonisJS app (resources/js)', files: { 'package.json': JSON.stringify({ name: 'site', scripts: { start: 'node bin/server.js' }, dependencies: { '@adonisjs/core': '^6' }, devDependencies: { vite: '^5' } }), 'resources/js/lesson.js': `import axios from 'axios';\nexport const watch = (id) => axios.post('https://api.example.com/progress/' + id, {}, { timeout: 2000 });\n` } },
  { name: 'a test-helper folder (testing/)', files: { 'src/testing/seed.ts': toolCall } },
  // ── opossum ──
  {
    name: 'opossum breaker around a function in the same file',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

async function getStock(id: string) {
  const res = await axios.get(\`http://inventory:3000/stock/\${id}\`, { timeout: 2000 });
  return res.data;
}

const stockBreaker = new CircuitBreaker(getStock, { errorThresholdPercentage: 50, resetTimeout: 10_000 });

export const stock = (id: string) => stockBreaker.fire(id);
`),
  },
  {
    name: 'opossum breaker around an arrow function, fired from a route handler',
    files: one(`import CircuitBreaker from 'opossum';

const quoteBreaker = new CircuitBreaker(async (sku: string) => {
  const res = await fetch(\`http://pricing:3000/quotes/\${sku}\`);
  return res.json();
});
quoteBreaker.fallback(() => ({ price: null }));
quoteBreaker.on('open', () => console.warn('pricing breaker open'));

export async function handler(req: { params: { sku: string } }) {
  return quoteBreaker.fire(req.params.sku);
}
`),
  },
  {
    name: 'opossum breaker in another module around a function from a third module',
    files: {
      'src/clients/inventory.ts': `import axios from 'axios';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

export async function getStock(id: string) {
  const { data } = await inventory.get(\`/stock/\${id}\`);
  return data;
}
`,
      'src/breakers.ts': `import CircuitBreaker from 'opossum';
import { getStock } from './clients/inventory';

export const stockBreaker = new CircuitBreaker(getStock, { timeout: 3000 });
`,
      'src/routes.ts': `import { stockBreaker } from './breakers';

export const stockRoute = (id: string) => stockBreaker.fire(id);
`,
    },
  },
  {
    name: 'opossum breaker wrapping axios itself, fired with the request config',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const breaker = new CircuitBreaker(axios, { timeout: 3000 });

export const stock = (id: string) => breaker.fire({ url: \`http://inventory:3000/stock/\${id}\`, method: 'GET' });
`),
  },
  {
    name: 'opossum breaker wrapping axios.get',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const getBreaker = new CircuitBreaker(axios.get, { timeout: 3000 });

export const stock = (id: string) => getBreaker.fire(\`http://inventory:3000/stock/\${id}\`);
`),
  },
  {
    name: 'opossum breaker wrapping an axios instance',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });
const inventoryBreaker = new CircuitBreaker(inventory, { resetTimeout: 10_000 });

export const stock = (id: string) => inventoryBreaker.fire({ url: \`/stock/\${id}\` });
`),
  },
  {
    name: 'opossum breaker created once in a constructor and fired from a method',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

export class InventoryClient {
  private readonly breaker: CircuitBreaker;

  constructor() {
    this.breaker = new CircuitBreaker((id: string) => axios.get(\`http://inventory:3000/stock/\${id}\`), { timeout: 2000 });
  }

  stock(id: string) {
    return this.breaker.fire(id);
  }
}
`),
  },
  {
    name: 'opossum breaker in a class field around a Nest HttpService call',
    files: one(`import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
import CircuitBreaker from 'opossum';

@Injectable()
export class UsersClient {
  private readonly breaker = new CircuitBreaker((id: string) => firstValueFrom(this.http.get(\`http://users:3000/users/\${id}\`)), { timeout: 2000 });

  constructor(private readonly http: HttpService) {}

  find(id: string) {
    return this.breaker.fire(id);
  }
}
`),
  },
  {
    name: 'opossum breaker made by a factory called once at module level',
    files: {
      'src/breaker.ts': `import CircuitBreaker from 'opossum';

export function makeBreaker<T extends unknown[], R>(action: (...args: T) => Promise<R>) {
  return new CircuitBreaker(action, { timeout: 3000, errorThresholdPercentage: 50 });
}
`,
      'src/pricing.ts': `import got from 'got';
import { makeBreaker } from './breaker';

async function quote(sku: string) {
  return got(\`http://pricing:3000/quotes/\${sku}\`).json();
}

const quoteBreaker = makeBreaker(quote);

export const getQuote = (sku: string) => quoteBreaker.fire(sku);
`,
    },
  },
  {
    name: 'a helper called only from inside a breaker in another file is guarded',
    files: {
      'src/inventory.ts': `import axios from 'axios';

export async function loadStock(id: string) {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${id}\`);
  return data;
}
`,
      'src/index.ts': `import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { loadStock } from './inventory';

const breaker = circuitBreaker(handleAll, { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(3) });

export const stock = (id: string) => breaker.execute(() => loadStock(id));
`,
    },
  },

  // ── cockatiel ──
  {
    name: 'cockatiel circuitBreaker alone',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

const pricingBreaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

export const quote = (sku: string) =>
  pricingBreaker.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`, { signal: AbortSignal.timeout(2000) }));
`),
  },
  {
    name: 'cockatiel circuitBreaker inside wrap(retry, breaker, timeout)',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';

const policy = wrap(
  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  timeout(2000, TimeoutStrategy.Aggressive),
);

export const quote = (sku: string) => policy.execute(({ signal }) => fetch(\`http://pricing:3000/quotes/\${sku}\`, { signal }));
`),
  },
  {
    name: 'cockatiel 2 builder: Policy.handleAll().circuitBreaker()',
    files: one(`import { ConsecutiveBreaker, Policy } from 'cockatiel';

const breaker = Policy.handleAll().circuitBreaker(10_000, new ConsecutiveBreaker(5));

export const user = (id: string) => breaker.execute(() => fetch(\`http://users:3000/users/\${id}\`));
`),
  },

  // ── project wrappers, across files and services ──
  {
    name: 'project wrapper withBreaker(fn) in a shared library calling breaker.execute(fn), used by two services',
    files: monorepo({
      'libs/resilience/src/index.ts': cockatielLib,
      'services/orders/src/inventory.ts': `import axios from 'axios';
import { withBreaker } from '@acme/resilience';

export const reserve = (sku: string) => withBreaker(() => axios.post('http://inventory:3000/reservations', { sku }));
`,
      'services/checkout/src/pricing.ts': `import got from 'got';
import { withBreaker } from '@acme/resilience';

export async function quote(sku: string) {
  return withBreaker(() => got(\`http://pricing:3000/quotes/\${sku}\`).json());
}
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
  },
  {
    name: 'project wrapper withBreaker(fn) in a shared library calling breaker.fire(fn) on an opossum breaker',
    files: monorepo({
      'libs/resilience/src/index.ts': opossumLib,
      'services/orders/src/inventory.ts': `import axios from 'axios';
import { withBreaker } from '@acme/resilience';

export const reserve = (sku: string) => withBreaker(() => axios.post('http://inventory:3000/reservations', { sku }));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
    }),
  },
  {
    name: 'a wrapper of the breaker wrapper, in the service',
    files: monorepo({
      'libs/resilience/src/index.ts': cockatielLib,
      'services/orders/src/guard.ts': `import { withBreaker } from '@acme/resilience';

export function guardedInventory<T>(work: () => Promise<T>): Promise<T> {
  return withBreaker(work);
}
`,
      'services/orders/src/index.ts': `import axios from 'axios';
import { guardedInventory } from './guard';

export const stock = (sku: string) => guardedInventory(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
`,
    }),
  },
  {
    name: 'generic rpc(url) wrapper whose every call site is guarded',
    files: monorepo({
      'libs/http/src/index.ts': rpcLib,
      'libs/resilience/src/index.ts': cockatielLib,
      'services/orders/src/index.ts': `import { rpc } from '@acme/http';
import { withBreaker } from '@acme/resilience';

export const stock = (sku: string) => withBreaker(() => rpc(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => withBreaker(() => rpc(\`http://pricing:3000/quotes/\${sku}\`));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
  },
  {
    name: 'generic rpc(url) wrapper that runs the call through a breaker itself',
    files: {
      'src/rpc.ts': `import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

export function rpc<T>(url: string): Promise<T> {
  return breaker.execute(async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).json() as Promise<T>);
}
`,
      'src/index.ts': `import { rpc } from './rpc';

export const stock = (sku: string) => rpc(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => rpc(\`http://pricing:3000/quotes/\${sku}\`);
`,
    },
  },

  // ── not this rule: out-of-process calls that are not service-to-service requests ──
  {
    name: 'database, cache and broker calls are not checked',
    files: one(`import { Pool } from 'pg';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { Kafka } from 'kafkajs';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const redis = new Redis(process.env.REDIS_URL!);
const mongo = new MongoClient('mongodb://mongo:27017/orders');
const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();

export async function placeOrder(id: string) {
  await pool.query('insert into orders (id) values ($1)', [id]);
  await redis.set(\`order:\${id}\`, 'new');
  await mongo.db('orders').collection('events').insertOne({ id });
  await producer.send({ topic: 'orders', messages: [{ value: id }] });
}
`),
  },
  {
    name: 'fire-and-forget ClientProxy.emit waits for no reply',
    files: one(`import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Injectable()
export class OrdersEvents {
  constructor(@Inject('NOTIFICATIONS') private readonly client: ClientProxy) {}

  orderPlaced(id: string) {
    return this.client.emit('order_placed', { id });
  }
}
`),
  },

  // ── targets that need no breaker ──
  {
    name: 'localhost sidecar (Dapr, Envoy) is ignored by default',
    files: one(`import axios from 'axios';

export const stock = (sku: string) => axios.get(\`http://localhost:3500/v1.0/invoke/inventory/method/stock/\${sku}\`);
export const secrets = () => fetch('http://127.0.0.1:3500/v1.0/secrets/vault/db');
`),
  },
  {
    name: 'IPv6 loopback [::1] is ignored by default',
    files: one(`export const health = () => fetch('http://[::1]:15000/ready');
`),
  },
  {
    name: 'a service calling itself',
    files: monorepo({
      'services/orders/src/index.ts': `import axios from 'axios';

export const rebuild = () => axios.post('http://orders:3000/internal/rebuild-projections');
`,
    }),
  },

  // ── options ──
  {
    name: 'ignoreTargets: a host glob',
    files: one(`import axios from 'axios';

export const token = () => axios.post('http://auth.internal/oauth/token', {});
export const metadata = () => fetch('http://metadata.internal/computeMetadata/v1/instance');
`),
    options: { ignoreTargets: ['*.internal'] },
  },
  {
    name: 'ignoreTargets: a URL glob',
    files: one(`import axios from 'axios';

export const charge = (amount: number) => axios.post('https://api.stripe.com/v1/charges', { amount });
`),
    options: { ignoreTargets: ['https://api.stripe.com/**'] },
  },
  // ── in-house breakers: asked before the call, known by their name ──
  {
    name: 'in-house breaker: a wrapper that asks its circuit before every call guards each of its callers',
    files: {
      'src/circuit.ts': `export class CircuitBreaker {
  private failures = new Map<string, number>();
  canRequest(key: string) { return (this.failures.get(key) ?? 0) < 5; }
  recordFailure(key: string) { this.failures.set(key, (this.failures.get(key) ?? 0) + 1); }
  recordSuccess(key: string) { this.failures.delete(key); }
}
`,
      'src/debrid.ts': `import axios from 'axios';
import { CircuitBreaker } from './circuit';

const debridCircuit = new CircuitBreaker();

async function debridRequest(method: string, url: string, token: string) {
  if (!debridCircuit.canRequest(token)) return null;
  try {
    const response = await axios({ method, url, timeout: 5000 });
    debridCircuit.recordSuccess(token);
    return response.data;
  } catch {
    debridCircuit.recordFailure(token);
    return null;
  }
}

export const torrents = (token: string) => debridRequest('GET', \`\${process.env.DEBRID_URL}/torrents\`, token);
export const info = (token: string, id: string) => debridRequest('GET', \`\${process.env.DEBRID_URL}/torrents/\${id}\`, token);
`,
    },
  },
  {
    name: 'in-house breaker: a call only made from callbacks handed to a function that checks the circuit state',
    files: one(`import axios from 'axios';

const open = new Map<string, number>();
function getProviderCircuitState(name: string) { return { status: (open.get(name) ?? 0) > Date.now() ? 'open' : 'closed' }; }

async function guardedProviderCall<T>(name: string, factory: () => Promise<T>): Promise<T | []> {
  if (getProviderCircuitState(name).status === 'open') return [];
  return factory();
}

async function queryIndexer(id: string) {
  const { data } = await axios.get(\`\${process.env.INDEXER_URL}/api/get/\${id}\`, { timeout: 3000 });
  return data;
}

export const search = (id: string) => guardedProviderCall('indexer', () => queryIndexer(id));
`),
  },
  {
    name: 'in-house breaker: a module of circuit functions asked before the call (isCircuitOpen, recordFailure)',
    files: {
      'src/circuit-breaker.ts': `let openedAt: number | null = null;
export const isCircuitOpen = () => openedAt !== null && Date.now() - openedAt < 30_000;
export const recordFailure = () => { openedAt = Date.now(); };
export const recordSuccess = () => { openedAt = null; };
`,
      'src/convert.ts': `import { isCircuitOpen, recordFailure, recordSuccess } from './circuit-breaker';

async function callConverter(body: Buffer) {
  const res = await fetch(\`\${process.env.CONVERTER_URL}/convert\`, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
  return Buffer.from(await res.arrayBuffer());
}

export async function convert(body: Buffer) {
  if (isCircuitOpen()) throw new Error('converter unavailable');
  try {
    const out = await callConverter(body);
    recordSuccess();
    return out;
  } catch (error) {
    recordFailure();
    throw error;
  }
}
`,
    },
  },
  {
    name: 'breakerFunctions: an in-house wrapper from a package outside the workspace',
    files: one(`import axios from 'axios';
import { withBreaker } from '@corp/resilience';

export const stock = (sku: string) => withBreaker(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
`),
    options: { breakerFunctions: ['withBreaker'] },
  },
  {
    name: 'breakerFunctions: matched by the last part of a member call (resilience.guard)',
    files: one(`import got from 'got';
import * as resilience from '@corp/resilience';

export const quote = (sku: string) => resilience.guard('pricing', async () => got(\`http://pricing:3000/quotes/\${sku}\`).json());
`),
    options: { breakerFunctions: ['guard'] },
  },
  {
    name: 'breakerFunctions: a named function handed to the wrapper',
    files: one(`import axios from 'axios';
import { withBreaker } from '@corp/resilience';

async function loadStock() {
  return axios.get('http://inventory:3000/stock');
}

export const stock = () => withBreaker(loadStock);
`),
    options: { breakerFunctions: ['withBreaker'] },
  },
  {
    name: 'guardedClients: a Nest ClientProxy whose transport applies a breaker',
    files: one(`import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Injectable()
export class OrdersClient {
  constructor(@Inject('ORDERS') private readonly client: ClientProxy) {}

  find(id: string) {
    return this.client.send({ cmd: 'get_order' }, id);
  }
}
`),
    options: { guardedClients: ['@nestjs/microservices'] },
  },
  {
    name: 'guardedClients: a gRPC client whose interceptor applies a breaker',
    files: one(`import * as grpc from '@grpc/grpc-js';
import { breakerInterceptor } from './interceptors';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure(), { interceptors: [breakerInterceptor] });

export const getUser = (id: string) => users.getUser({ id }, { deadline: Date.now() + 1000 }, () => {});
`),
    options: { guardedClients: ['@grpc/grpc-js'] },
  },
  {
    name: 'guardedClients: an in-house client declared in breakwater.json',
    files: one(`import { createClient } from '@acme/rpc';

const orders = createClient({ service: 'orders', deadlineMs: 2000 });

export const find = (id: string) => orders.call('orders/find', { id });
`),
    config: { clients: [{ module: '@acme/rpc', export: 'createClient', kind: 'http', role: 'factory', timeoutOptions: ['deadlineMs'] }] },
    options: { guardedClients: ['@acme/rpc'] },
  },
  {
    name: 'kinds: gRPC and RPC calls are skipped when only http is checked',
    files: one(`import * as grpc from '@grpc/grpc-js';
import { ClientProxy } from '@nestjs/microservices';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

export const getUser = (id: string) => users.getUser({ id }, () => {});

export class Orders {
  constructor(private readonly client: ClientProxy) {}
  find(id: string) {
    return this.client.send('get_order', id);
  }
}
`),
    options: { kinds: ['http'] },
  },

  // ── suppression ──
  {
    name: 'suppressed with a justification',
    files: one(`import axios from 'axios';

// breakwater-disable-next-line unguarded-downstream-call -- the mesh (Istio outlier detection) ejects a failing inventory pod
export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`);
`),
  },
  {
    name: 'a module of a package only the workspace consumes that no file imports never runs',
    files: withLibrary(SOURCE_PACKAGE, billingFiles(`import { currency } from '@acme/billing';\nconst lookup = async (id: string) => ({ id, currency });`)),
  },
  {
    name: 'a module of a private package that no file imports never runs, nor what only it imports',
    files: withLibrary({ name: '@acme/billing', private: true, types: './dist/index.d.ts', main: './dist/index.js' }, {
      ...billingFiles(`import { currency } from '@acme/billing';\nconst lookup = async (id: string) => ({ id, currency });`),
      'packages/billing/stripe/sync.ts': `import { getCustomer } from './get-customer';\nexport const sync = (id: string) => getCustomer(id);\n`,
    }),
  },
  {
    name: "a published package's helper that calls whatever address its users hand it, called by no workspace code (or only by itself)",
    files: withLibrary(PUBLISHED_PACKAGE, { 'packages/billing/src/retry.ts': retryHelper, 'apps/api/src/main.ts': `export const port = 3000;\n` }),
  },
];

const apiGetWrapper = `export async function apiGet(path: string) {
  const res = await fetch(\`\${process.env.PLATFORM_API_URL}\${path}\`, { signal: AbortSignal.timeout(2000) });
  return res.json();
}
export const runs = () => apiGet('/api/v1/runs');
export const queues = () => apiGet('/api/v1/queues');
export const alerts = () => apiGet('/api/v1/alerts');
`;

const invalid: InvalidCase[] = [
  invalidCase({
    name: 'an awaited call, and one whose result is used, are waited for',
    files: one(`export async function report(usage: number) {
  await fetch('https://usage.example.com/v1/report', { method: 'POST', body: String(usage), signal: AbortSignal.timeout(2000) });
  return fetch('https://usage.example.com/v1/ping', { signal: AbortSignal.timeout(2000) }).then((res) => res.ok);
}
`),
    errors: [
      { at: "fetch('https://usage.example.com/v1/report'", message: NO_BREAKER },
      { at: "fetch('https://usage.example.com/v1/ping'", message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'a wrapper whose callers all reach the downstream it names: reported once, at the call inside it',
    files: one(apiGetWrapper),
    errors: [{ at: 'fetch(', message: /PLATFORM_API_URL with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'not a health probe: a path that only contains the word (`/health-records`, `/ready-orders`)',
    files: one(`export const records = (id: string) => fetch(\`\${process.env.EHR_URL}/health-records/\${id}\`, { signal: AbortSignal.timeout(2000) });\nexport const orders = () => fetch(\`\${process.env.ORDERS_URL}/ready-orders\`, { signal: AbortSignal.timeout(2000) });\n`),
    errors: [
      { at: 'fetch(`${process.env.EHR_URL}', message: NO_BREAKER },
      { at: 'fetch(`${process.env.ORDERS_URL}', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'a shared API client: the method a server calls is judged, the one only the CLI calls runs as a tool',
    files: { 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'services/*'] }), 'packages/core/package.json': JSON.stringify({ name: '@acme/core', version: '1.0.0', main: 'dist/index.js' }), 'packages/core/src/index.ts': `export class ApiClient {\n  async getRun(id: string) { return fetch(\`\${process.env.API_URL}/runs/\${id}\`, { signal: AbortSignal.timeout(5000) }); }\n  async getReport() { return fetch(\`\${process.env.API_URL}/report\`, { signal: AbortSignal.timeout(5000) }); }\n}\n`, 'packages/cli/package.json': JSON.stringify({ name: '@acme/cli', version: '1.0.0', bin: { acme: 'dist/index.js' } }), 'packages/cli/src/commands.ts': `import { ApiClient } from '@acme/core';\nconst api = new ApiClient();\nexport const show = (id: string) => api.getRun(id);\nexport const report = () => api.getReport();\n`, 'services/worker/package.json': JSON.stringify({ name: '@acme/worker', scripts: { start: 'node dist/main.js' } }), 'services/worker/src/main.ts': `import { ApiClient } from '@acme/core';\nexport const work = (id: string) => new ApiClient().getRun(id);\n` },
    errors: [{ file: 'packages/core/src/index.ts', at: 'fetch(`${process.env.API_URL}/runs', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a wrapper over a generic fetch wrapper: judged at its callers when they pick the downstream, inside it when it always goes to one place',
    files: {
      'src/http.ts': `export async function fetchJson(url: string, init: RequestInit = {}) {\n  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });\n  return res.json();\n}\n`,
      'src/oauth.ts': `import { fetchJson } from './http';\nexport const userInfo = (endpoint: string, token: string) => fetchJson(endpoint, { headers: { authorization: token } });\nexport const graphProfile = (token: string) => userInfo('https://graph.microsoft.com/v1.0/me', token);\nexport const discordProfile = (token: string) => userInfo('https://discord.com/api/users/@me', token);\n`,
      'src/router.ts': `import { fetchJson } from './http';\nconst routerHost = (globalThis as { config?: { host?: string } }).config?.host;\nexport const send = (packet: object) => fetchJson(\`http://\${routerHost}:5959/conduit\`, { method: 'POST', body: JSON.stringify(packet) });\nexport const setLed = () => send({ to: 'visuals', topic: 'setLed' });\nexport const getApps = () => send({ to: 'conduit', topic: 'getApps' });\n`,
    },
    errors: [
      { file: 'src/oauth.ts', at: "userInfo('https://graph.microsoft.com", message: /graph\.microsoft\.com with no circuit breaker/ },
      { file: 'src/oauth.ts', at: "userInfo('https://discord.com", message: /discord\.com with no circuit breaker/ },
      { file: 'src/router.ts', at: 'fetchJson(`http://', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: "a PWA's web manifest (no manifest_version) does not make server code browser code",
    files: { 'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4' } }), 'src/manifest.json': JSON.stringify({ name: 'App', start_url: '/', icons: [] }), 'src/server.js': `const express = require('express');\nexpress().get('/stock', async (req, res) => {\n  const stock = await fetch('http://inventory:3000/stock', { signal: AbortSignal.timeout(2000) });\n  res.json(await stock.json());\n}).listen(3000);\n` },
    errors: [{ file: 'src/server.js', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a test double only tests import (a mock service), and what only it calls, never runs in production',
    files: { 'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node build/server.js' }, dependencies: { express: '^4' } }), 'src/server.ts': `import express from 'express';\nimport { PlanService } from './services/plan_service';\nexpress().get('/plans', async (req, res) => res.json(await new PlanService().list())).listen(3000);\n`, 'src/services/plan_service.ts': `export class PlanService {\n  list() { return fetch('https://api.stripe.com/v1/plans', { signal: AbortSignal.timeout(5000) }).then((res) => res.json()); }\n  plan(id: string) { return fetch(\`https://api.stripe.com/v1/plans/\${id}\`, { signal: AbortSignal.timeout(5000) }); }\n}\n`, 'src/services/stripe_mock_service.ts': `import { PlanService } from './plan_service';\nexport class StripeMockService {\n  seed() { return fetch('http://stripe-mock:12111/v1/products', { method: 'POST', signal: AbortSignal.timeout(5000) }); }\n  planFor(id: string) { return new PlanService().plan(id); }\n}\n`, 'tests/plans.spec.ts': `import { StripeMockService } from '../src/services/stripe_mock_service';\nconst mock = new StripeMockService();\nvoid mock.seed();\nvoid mock.planFor('basic');\n` },
    errors: [{ file: 'src/services/plan_service.ts', at: "fetch('https://api.stripe.com/v1/plans'", message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a module only tests import but not named as a test double (a task a framework loads by path) is judged',
    files: { 'package.json': JSON.stringify({ name: 'worker', scripts: { start: 'node build/worker.js' } }), 'src/worker.ts': `export const port = 3000;\n`, 'src/trigger/sync.ts': `export async function syncAccounts() {\n  return fetch(\`\${process.env.ACCOUNTS_URL}/sync\`, { method: 'POST', signal: AbortSignal.timeout(5000) });\n}\n`, 'tests/sync.spec.ts': `import { syncAccounts } from '../src/trigger/sync';\nvoid syncAccounts();\n` },
    errors: [{ file: 'src/trigger/sync.ts', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'not picked by the request: the app\'s own settings on the request object, a path parameter after a configured origin, a URL looked up from a request value',
    files: one(`import express from 'express';
const app = express();
const lookup = (tenant: string) => \`http://tenants:3000/\${tenant}\`;
app.get('/config', async (req, res) => {
  const config = await fetch(\`\${req.app.locals.configUrl}/v1/config\`, { signal: AbortSignal.timeout(2000) });
  res.json(await config.json());
});
app.get('/users/:id', async (req, res) => {
  const user = await fetch(\`\${process.env.USERS_URL}/users/\${req.params.id}\`, { signal: AbortSignal.timeout(2000) });
  const tenant = await fetch(lookup(String(req.query.tenant)), { signal: AbortSignal.timeout(2000) });
  res.json({ user: await user.json(), tenant: await tenant.json() });
});
app.listen(3000);
`),
    errors: [
      { at: 'fetch(`${req.app', message: NO_BREAKER },
      { at: 'fetch(`${process.env.USERS_URL}', message: NO_BREAKER },
      { at: 'fetch(lookup(', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'a `#!` file that starts a server (an express bin/www) is no tool',
    files: { 'package.json': JSON.stringify({ name: 'webapp', scripts: { start: 'node bin/www' }, dependencies: { express: '^4' } }), 'bin/www.js': `#!/usr/bin/env node\nconst express = require('express');\nconst app = express();\napp.get('/stock', async (req, res) => {\n  const stock = await fetch(\`\${process.env.INVENTORY_URL}/stock\`, { signal: AbortSignal.timeout(2000) });\n  res.json(await stock.json());\n});\napp.listen(3000);\n` },
    errors: [{ file: 'bin/www.js', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'waited for after all: an awaited `.catch()`, a `.then()` chain, a function declared in a plain module-wrapper IIFE, a script\'s async main at module level',
    files: one(`export async function remove(id: string) {
  await fetch(\`\${process.env.DOMAINS_URL}/domains/\${id}\`, { method: 'DELETE', signal: AbortSignal.timeout(2000) }).catch((error) => console.error(error));
}
export function load(id: string, done: (body: unknown) => void) {
  fetch(\`\${process.env.ITEMS_URL}/items/\${id}\`, { signal: AbortSignal.timeout(2000) }).then((res) => res.json()).then(done);
}
(function () {
  async function request(path: string) {
    return fetch(\`\${process.env.ADMIN_URL}\${path}\`, { signal: AbortSignal.timeout(2000) });
  }
  (globalThis as Record<string, unknown>).adminRequest = request;
})();
(async () => {
  for (;;) await fetch(\`\${process.env.QUEUE_URL}/next\`, { signal: AbortSignal.timeout(2000) });
})();
`),
    errors: [
      { at: 'fetch(`${process.env.DOMAINS_URL}', message: NO_BREAKER },
      { at: 'fetch(`${process.env.ITEMS_URL}', message: NO_BREAKER },
      { at: 'fetch(`${process.env.ADMIN_URL}', message: NO_BREAKER },
      { at: 'fetch(`${process.env.QUEUE_URL}', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'not in-house breakers: a catalog breaker fired for another call, a short-circuit helper, a call beside a guarded one',
    files: one(`import CircuitBreaker from 'opossum';

const breaker = new CircuitBreaker((sku: string) => fetch(\`http://inventory:3000/stock/\${sku}\`, { signal: AbortSignal.timeout(2000) }), { timeout: 3000 });
const shortCircuit = (value: string) => value.length === 0;

export async function stockAndPrice(sku: string) {
  const stock = await breaker.fire(sku);
  const price = await fetch(\`http://pricing:3000/prices/\${sku}\`, { signal: AbortSignal.timeout(2000) });
  return { stock, price };
}

export async function quote(sku: string) {
  if (shortCircuit(sku)) return null;
  return fetch(\`http://quotes:3000/\${sku}\`, { signal: AbortSignal.timeout(2000) });
}
`),
    errors: [
      { at: 'fetch(`http://pricing', message: /the pricing service with no circuit breaker|pricing.* with no circuit breaker/ },
      { at: 'fetch(`http://quotes', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'in-house breaker: only the callers that ask it are guarded',
    files: one(`const circuit = { failures: 0, isOpen() { return this.failures > 5; } };

async function getUser(id: string) {
  return fetch(\`\${process.env.USERS_URL}/users/\${id}\`, { signal: AbortSignal.timeout(2000) });
}

export async function guarded(id: string) {
  if (circuit.isOpen()) throw new Error('users down');
  return getUser(id);
}

export async function unguarded(id: string) {
  return getUser(id);
}
`),
    errors: [{ at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'vendor SDK calls through nested namespaces name the vendor host',
    files: one(`import Stripe from 'stripe';
import { Octokit } from '@octokit/rest';

const stripe = new Stripe(process.env.STRIPE_KEY!);
const github = new Octokit({ auth: process.env.GITHUB_TOKEN });

export const checkout = () => stripe.checkout.sessions.create({ mode: 'payment' });
export const verify = (body: string, signature: string) => stripe.webhooks.constructEvent(body, signature, 'whsec');
export const repo = () => github.rest.repos.get({ owner: 'acme', repo: 'app' });
`),
    errors: [
      { at: 'stripe.checkout', message: /calls api\.stripe\.com with no circuit breaker/ },
      { at: 'github.rest', message: /calls api\.github\.com with no circuit breaker/ },
    ],
  }),
  invalidCase({
    name: "an Octokit App's installation client: its calls, not the factory that hands it out",
    files: one(`import { App } from 'octokit';

const app = new App({ appId: 1, privateKey: process.env.GITHUB_KEY! });

export async function branch(installation: number) {
  const octokit = await app.getInstallationOctokit(installation);
  return octokit.rest.repos.getBranch({ owner: 'acme', repo: 'app', branch: 'main' });
}
`),
    errors: [{ at: 'octokit.rest.repos.getBranch(', message: /calls api\.github\.com with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'a Remix resource route (a loader, no component) that nothing imports runs on the server',
    files: { ...remixApp, 'app/routes/metrics/route.tsx': `export async function loader() {\n  return fetch('https://eu.posthog.com/capture', { signal: AbortSignal.timeout(2000) });\n}\n` },
    errors: [{ file: 'app/routes/metrics/route.tsx', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a gateway proxying to a service, and an AWS SDK v3 client: downstream calls',
    files: one(`import { createProxyMiddleware } from 'http-proxy-middleware';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

export const orders = createProxyMiddleware({ target: 'http://orders:3000', proxyTimeout: 5000 });
const sqs = new SQSClient({ region: 'eu-west-1', requestHandler: { requestTimeout: 2000, throwOnRequestTimeout: true } });
export const enqueue = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: body }));
`),
    errors: [
      { at: 'createProxyMiddleware(', message: /calls orders with no circuit breaker/ },
      { at: 'sqs.send(', message: /calls amazonaws\.com with no circuit breaker/ },
    ],
  }),
  invalidCase({
    name: 'a file a worker script runs is a service process',
    files: { 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node dist/main.js', worker: 'tsx src/sync.ts' } }), 'src/sync.ts': toolCall },
    errors: [{ file: 'src/sync.ts', at: 'axios.post(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a wrapper with two calls inside (with and without a proxy): its caller is one finding, not two',
    files: one(`const proxied = process.env.PROXY === '1';

export async function debrid(url: string) {
  if (proxied) return fetch(url, { signal: AbortSignal.timeout(2000), headers: { via: 'proxy' } });
  return fetch(url, { signal: AbortSignal.timeout(2000) });
}

export const torrents = () => debrid('https://api.real-debrid.com/rest/1.0/torrents');
`),
    errors: [{ at: 'debrid(', nth: 1, message: /calls api\.real-debrid\.com with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'a module a script and the server both import runs in the server',
    files: {
      'package.json': JSON.stringify({ name: 'ops', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4' } }),
      'src/main.ts': `import { records } from './dns/cloudflare';\nexport const list = () => records('zone');\n`,
      'src/dns/cloudflare.ts': `import axios from 'axios';\nexport const records = (zone: string) => axios.get('https://api.cloudflare.com/client/v4/zones/' + zone + '/dns_records', { timeout: 5000 });\n`,
      'scripts/sync-dns.ts': `import { records } from '../src/dns/cloudflare';\nvoid records('zone');\n`,
    },
    errors: [{ file: 'src/dns/cloudflare.ts', at: 'axios.get(', message: /calls api\.cloudflare\.com with no circuit breaker/ }],
  }),
  // ── where the code runs ──
  invalidCase({ name: 'the server half of a package with an SPA is judged', files: serverWithSpa(`fetch('https://api.example.com/me')`), errors: [{ file: 'server/index.ts', at: 'axios.post(', message: NO_BREAKER }] }),
  invalidCase({ name: "a Remix route's loader runs on the server", files: remixApp, errors: [{ file: 'app/routes/metrics/route.tsx', at: "fetch('https://api.github.com", message: NO_BREAKER }] }),
  invalidCase({
    name: 'an AdonisJS app with Vite assets is a server',
    files: { 'package.json': JSON.stringify({ name: 'site', scripts: { start: 'node bin/server.js' }, dependencies: { '@adonisjs/core': '^6' }, devDependencies: { vite: '^5' } }), 'app/services/turnstile.ts': toolCall },
    errors: [{ at: 'axios.post(', message: NO_BREAKER }],
  }),
  // ── every kind of synchronous call, with no breaker ──
  invalidCase({
    name: 'axios.get with no breaker (reported at the call, not at the await)',
    files: one(`import axios from 'axios';

export async function stock(sku: string) {
  const res = await axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 2000 });
  return res.data;
}
`),
    errors: [{ at: 'axios.get(', message: /`axios\.get\(\)` calls inventory with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'axios instance: reported at each call, not at the client',
    files: one(`import axios from 'axios';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
export const reserve = (sku: string) => inventory.post('/reservations', { sku });
`),
    errors: [
      { at: 'inventory.get(', message: NO_BREAKER },
      { at: 'inventory.post(', message: NO_BREAKER },
    ],
  }),
  invalidCase({
    name: 'global fetch with no breaker (a timeout alone is not a breaker)',
    files: one(`export async function quote(sku: string) {
  const res = await fetch(\`http://pricing:3000/quotes/\${sku}\`, { signal: AbortSignal.timeout(2000) });
  return res.json();
}
`),
    errors: [{ at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'got with no breaker',
    files: one(`import got from 'got';

export const quote = (sku: string) => got.post('http://pricing:3000/quotes', { json: { sku }, timeout: { request: 2000 } }).json();
`),
    errors: [{ at: 'got.post(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'gRPC call with a deadline but no breaker',
    files: one(`import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';

const proto = grpc.loadPackageDefinition(loader.loadSync('users.proto')) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

export const getUser = (id: string) => users.getUser({ id }, new grpc.Metadata(), { deadline: Date.now() + 1000 }, () => {});
`),
    errors: [{ at: 'users.getUser(', message: /calls users with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'Nest HttpService call (reported at `this`)',
    files: one(`import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';

@Injectable()
export class UsersService {
  constructor(private readonly http: HttpService) {}

  find(id: string) {
    return this.http.get(\`http://users:3000/users/\${id}\`);
  }
}
`),
    errors: [{ at: 'this.http.get(', message: /`this\.http\.get\(\)` calls users with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'Nest ClientProxy.send waits for a reply',
    files: one(`import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Injectable()
export class OrdersClient {
  constructor(@Inject('ORDERS') private readonly client: ClientProxy) {}

  find(id: string) {
    return this.client.send({ cmd: 'get_order' }, id);
  }

  placed(id: string) {
    return this.client.emit('order_placed', { id });
  }
}
`),
    errors: [{ at: 'this.client.send(', message: /calls an address known only at run time with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'Nest ClientGrpc service method',
    files: one(`import { OnModuleInit } from '@nestjs/common';
import { ClientGrpc } from '@nestjs/microservices';

export class UsersClient implements OnModuleInit {
  private users: any;
  constructor(private readonly client: ClientGrpc) {}
  onModuleInit() {
    this.users = this.client.getService('UsersService');
  }
  find(id: string) {
    return this.users.findOne({ id });
  }
}
`),
    errors: [{ at: 'this.users.findOne(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'third-party APIs count',
    files: one(`import axios from 'axios';

export const charge = (amount: number) => axios.post('https://api.stripe.com/v1/charges', { amount }, { timeout: 5000 });
`),
    errors: [{ at: 'axios.post(', message: /calls api\.stripe\.com with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'target named by an environment variable that names a workspace service',
    files: monorepo({
      'services/orders/src/index.ts': `import axios from 'axios';

export const stock = (sku: string) => axios.get(\`\${process.env.INVENTORY_URL}/stock/\${sku}\`);
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
    }),
    errors: [{ file: 'services/orders/src/index.ts', at: 'axios.get(', message: 'calls the inventory service' }],
  }),
  invalidCase({
    name: 'CommonJS: require("axios")',
    files: {
      'src/index.js': `const axios = require('axios');

exports.stock = (sku) => axios.get('http://inventory:3000/stock/' + sku);
`,
    },
    errors: [{ at: 'axios.get(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'calls in several services, each reported in its own service',
    files: monorepo({
      'services/orders/src/index.ts': `import axios from 'axios';

export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`);
`,
      'services/checkout/src/index.ts': `export const quote = (sku: string) => fetch(\`http://pricing:3000/quotes/\${sku}\`);
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
    errors: [
      { file: 'services/checkout/src/index.ts', at: 'fetch(', message: 'calls the pricing service' },
      { file: 'services/orders/src/index.ts', at: 'axios.get(', message: 'calls the inventory service' },
    ],
  }),

  // ── policies that are not breakers, and breakers that cover something else ──
  invalidCase({
    name: 'cockatiel retry and timeout without a breaker',
    files: one(`import { handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';

const policy = wrap(retry(handleAll, { maxAttempts: 3 }), timeout(2000, TimeoutStrategy.Aggressive));

export const quote = (sku: string) => policy.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a breaker around one function does not guard its neighbour',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

async function getStock(sku: string) {
  return axios.get(\`http://inventory:3000/stock/\${sku}\`);
}

async function getPrice(sku: string) {
  return axios.get(\`http://pricing:3000/quotes/\${sku}\`);
}

const stockBreaker = new CircuitBreaker(getStock);

export const stock = (sku: string) => stockBreaker.fire(sku);
export const price = (sku: string) => getPrice(sku);
`),
    errors: [{ at: 'axios.get(', nth: 1, message: /calls pricing with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'a helper called both inside and outside a breaker is reported',
    files: {
      'src/inventory.ts': `import axios from 'axios';

export async function loadStock(sku: string) {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${sku}\`);
  return data;
}
`,
      'src/index.ts': `import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { loadStock } from './inventory';

const breaker = circuitBreaker(handleAll, { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(3) });

export const stock = (sku: string) => breaker.execute(() => loadStock(sku));
export const stockForReport = (sku: string) => loadStock(sku);
`,
    },
    errors: [{ file: 'src/inventory.ts', at: 'axios.get(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'opossum breaker wraps an axios instance, but one call goes around it',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });
const inventoryBreaker = new CircuitBreaker(inventory);

export const stock = (sku: string) => inventoryBreaker.fire({ url: \`/stock/\${sku}\` });
export const reserve = (sku: string) => inventory.post('/reservations', { sku });
`),
    errors: [{ at: 'inventory.post(', message: NO_BREAKER }],
  }),

  // ── generic wrappers: judged at each call site ──
  invalidCase({
    name: 'generic rpc(url) wrapper: reported at each unguarded call site, not at guarded ones',
    files: monorepo({
      'libs/http/src/index.ts': rpcLib,
      'libs/resilience/src/index.ts': cockatielLib,
      'services/orders/src/stock.ts': `import { rpc } from '@acme/http';

export const stock = (sku: string) => rpc(\`http://inventory:3000/stock/\${sku}\`);
`,
      'services/orders/src/quote.ts': `import { rpc } from '@acme/http';
import { withBreaker } from '@acme/resilience';

export const quote = (sku: string) => withBreaker(() => rpc(\`http://pricing:3000/quotes/\${sku}\`));
export const shipping = (zip: string) => rpc(\`http://shipping:3000/rates/\${zip}\`);
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
      'services/shipping/src/main.ts': `export const port = 3000;`,
    }),
    errors: [
      { file: 'services/orders/src/quote.ts', at: 'rpc(', nth: 1, message: /`rpc\(\)` calls the shipping service with no circuit breaker/ },
      { file: 'services/orders/src/stock.ts', at: 'rpc(', message: /`rpc\(\)` calls the inventory service with no circuit breaker/ },
    ],
  }),
  invalidCase({
    name: 'generic wrapper in a shared library used by two services: only the unguarded service is reported',
    files: monorepo({
      'libs/http/src/index.ts': rpcLib,
      'services/orders/src/index.ts': `import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { rpc } from '@acme/http';

const inventoryBreaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

export const stock = (sku: string) => inventoryBreaker.execute(() => rpc(\`http://inventory:3000/stock/\${sku}\`));
`,
      'services/checkout/src/index.ts': `import { rpc } from '@acme/http';

export async function quote(sku: string) {
  return rpc(\`http://pricing:3000/quotes/\${sku}\`);
}
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
    errors: [{ file: 'services/checkout/src/index.ts', at: 'rpc(', message: 'calls the pricing service' }],
  }),

  invalidCase({
    name: 'generic wrapper whose call sits in a retry callback: still judged at each call site',
    files: {
      'src/rpc.ts': `import { handleAll, retry } from 'cockatiel';

const retryPolicy = retry(handleAll, { maxAttempts: 3 });

export function rpc<T>(url: string): Promise<T> {
  return retryPolicy.execute(async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).json() as Promise<T>);
}
`,
      'src/index.ts': `import { rpc } from './rpc';

export const stock = (sku: string) => rpc(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => rpc(\`http://pricing:3000/quotes/\${sku}\`);
`,
    },
    errors: [
      { file: 'src/index.ts', at: 'rpc(', message: /`rpc\(\)` calls inventory with no circuit breaker/ },
      { file: 'src/index.ts', at: 'rpc(', nth: 1, message: /`rpc\(\)` calls pricing with no circuit breaker/ },
    ],
  }),

  // ── a breaker created for every call never opens ──
  invalidCase({
    name: 'opossum breaker created inside the handler: reported at the breaker',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

export async function getStock(req: { params: { sku: string } }) {
  const breaker = new CircuitBreaker(() => axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`), { timeout: 2000 });
  return breaker.fire();
}
`),
    errors: [{ at: 'new CircuitBreaker(', message: PER_CALL }],
  }),
  invalidCase({
    name: 'opossum breaker created in a Nest service method: reported at the breaker',
    files: one(`import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import CircuitBreaker from 'opossum';

@Injectable()
export class UsersService {
  constructor(private readonly http: HttpService) {}

  async find(id: string) {
    const breaker = new CircuitBreaker(async () => this.http.get(\`http://users:3000/users/\${id}\`));
    return breaker.fire();
  }
}
`),
    errors: [{ at: 'new CircuitBreaker(', message: /The circuit breaker around `this\.http\.get\(\)` is created anew for every call/ }],
  }),
  invalidCase({
    name: 'cockatiel circuitBreaker created inside the handler: reported at the breaker',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

export async function quote(sku: string) {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  return breaker.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
}
`),
    errors: [{ at: 'circuitBreaker(handleAll', message: PER_CALL }],
  }),
  invalidCase({
    name: 'opossum breaker created inside the handler around a module-level function: reported at the breaker',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

async function loadStock(sku: string) {
  return axios.get(\`http://inventory:3000/stock/\${sku}\`);
}

export async function getStock(req: { params: { sku: string } }) {
  const breaker = new CircuitBreaker(loadStock, { timeout: 2000 });
  return breaker.fire(req.params.sku);
}
`),
    errors: [{ at: 'new CircuitBreaker(', message: PER_CALL }],
  }),

  // ── targets and options ──
  invalidCase({
    name: 'ignoreTargets replaces the default list: localhost is checked again',
    files: one(`import axios from 'axios';

export const token = () => axios.post('http://auth.internal/oauth/token', {});
export const sidecar = () => axios.get('http://localhost:3500/v1.0/invoke/inventory/method/stock');
`),
    options: { ignoreTargets: ['*.internal'] },
    errors: [{ at: 'axios.get(', message: /calls localhost with no circuit breaker/ }],
  }),
  invalidCase({
    name: 'breakerFunctions names another function',
    files: one(`import axios from 'axios';
import { withRetry } from '@corp/resilience';

export const stock = (sku: string) => withRetry(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
`),
    options: { breakerFunctions: ['withBreaker'] },
    errors: [{ at: 'axios.get(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'guardedClients covers only the client it names',
    files: one(`import axios from 'axios';

export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => fetch(\`http://pricing:3000/quotes/\${sku}\`);
`),
    options: { guardedClients: ['axios'] },
    errors: [{ at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a gRPC interceptor that applies a breaker is not recognised (yet)',
    files: one(`import * as grpc from '@grpc/grpc-js';
import { breakerInterceptor } from './interceptors';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure(), { interceptors: [breakerInterceptor] });

export const getUser = (id: string) => users.getUser({ id }, { deadline: Date.now() + 1000 }, () => {});
`),
    errors: [{ at: 'users.getUser(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'kinds: only gRPC is checked',
    files: one(`import axios from 'axios';
import * as grpc from '@grpc/grpc-js';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

export const getUser = (id: string) => users.getUser({ id }, () => {});
export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`);
`),
    options: { kinds: ['grpc'] },
    errors: [{ at: 'users.getUser(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a suppression for another rule does not apply',
    files: one(`import axios from 'axios';

// breakwater-disable-next-line missing-timeout -- bounded by the mesh
export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`);
`),
    errors: [{ at: 'axios.get(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a module of a package only the workspace consumes, imported by a service, is judged',
    files: withLibrary(SOURCE_PACKAGE, billingFiles(`import { getCustomer } from '@acme/billing/stripe/get-customer';\nconst lookup = (id: string) => getCustomer(id);`)),
    errors: [{ file: 'packages/billing/stripe/get-customer.ts', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: "a published package's module is judged though no workspace file imports it: its users may",
    files: withLibrary(PUBLISHED_PACKAGE, billingFiles(`import { currency } from '@acme/billing';\nconst lookup = async (id: string) => ({ id, currency });`)),
    errors: [{ file: 'packages/billing/stripe/get-customer.ts', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: 'a package whose source entry is only a custom export condition is published: its unimported module is judged',
    files: withLibrary({ name: '@acme/billing', version: '2.3.0', exports: { '.': { '@acme/source': './index.ts', import: './dist/index.js' } } }, billingFiles(`import { currency } from '@acme/billing';\nconst lookup = async (id: string) => ({ id, currency });`)),
    errors: [{ file: 'packages/billing/stripe/get-customer.ts', at: 'fetch(', message: NO_BREAKER }],
  }),
  invalidCase({
    name: "a published package's address-taking helper is judged where workspace code hands it an address",
    files: withLibrary(PUBLISHED_PACKAGE, {
      'packages/billing/src/retry.ts': retryHelper,
      'apps/api/src/main.ts': `import express from 'express';\nimport { fetchWithRetry } from '@acme/billing/src/retry';\nexpress().get('/rates', async (req, res) => res.json(await (await fetchWithRetry('https://rates.example.com/v1/eur')).json())).listen(3000);\n`,
    }),
    errors: [{ file: 'apps/api/src/main.ts', at: "fetchWithRetry('https://rates", message: NO_BREAKER }],
  }),
  invalidCase({
    name: "a service's own address-taking helper that nothing calls is still judged (only a published package's users choose)",
    files: { 'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4' } }), 'src/retry.ts': retryHelper, 'src/main.ts': `import express from 'express';\nexpress().listen(3000);\n` },
    errors: [{ file: 'src/retry.ts', at: 'fetch(input', message: NO_BREAKER }],
  }),
];

valid.push(
  {
    name: 'a shared wrapper whose callers each run it through a breaker of their own',
    files: monorepo({
      'libs/http/src/index.ts': `export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return (await res.json()) as T;
}
`,
      'services/orders/src/clients.ts': `import CircuitBreaker from 'opossum';
import { getJson } from '@acme/http';

const inventory = new CircuitBreaker((path: string) => getJson('http://inventory:3000' + path));
const pricing = new CircuitBreaker((path: string) => getJson('http://pricing:3000' + path));
export const stock = (sku: string) => inventory.fire('/stock/' + sku);
export const price = (sku: string) => pricing.fire('/prices/' + sku);
`,
    }),
  },
  {
    name: 'a paging function that calls itself, run under a breaker',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

async function fetchAllPages(url: string, items: unknown[] = []): Promise<unknown[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const page = (await res.json()) as { items: unknown[]; next?: string };
  return page.next ? fetchAllPages(page.next, [...items, ...page.items]) : [...items, ...page.items];
}

export const all = () => breaker.execute(() => fetchAllPages('http://catalog:3000/items'));
`),
  },
  {
    name: 'a breaker memoised per downstream in a registry is created once',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

const breakers = new Map<string, ReturnType<typeof circuitBreaker>>();
function breakerFor(name: string) {
  let breaker = breakers.get(name);
  if (!breaker) {
    breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
    breakers.set(name, breaker);
  }
  return breaker;
}

export async function stock(sku: string) {
  const breaker = breakerFor('inventory');
  return breaker.execute(() => fetch('http://inventory:3000/stock/' + sku, { signal: AbortSignal.timeout(1000) }));
}
`),
  },
);

invalid.push(
  invalidCase({
    name: "a client class's own request helper (this.fetchJson(new URL(path, this.baseUrl))) is reported once, at its call, not at each method",
    files: one(`const DATA_URL = 'https://data-api.example.com';
const SEARCH_URL = 'https://search-api.example.com';
export class DataApiClient {
  private readonly baseUrl: string;
  private readonly searchUrl: string;
  constructor(config?: { baseUrl?: string; searchUrl?: string }) {
    this.baseUrl = config?.baseUrl ?? DATA_URL;
    this.searchUrl = config?.searchUrl ?? SEARCH_URL;
  }
  trades(id: string) {
    return this.fetchJson(new URL(\`/trades/\${id}\`, this.baseUrl));
  }
  search(q: string) {
    return this.fetchJson(new URL(\`/search?q=\${q}\`, this.searchUrl));
  }
  private async fetchJson(url: URL): Promise<unknown> {
    const response = await fetch(url.toString(), { signal: AbortSignal.timeout(5000) });
    return response.json();
  }
}
`),
    errors: [{ at: 'fetch(url', message: /with no circuit breaker/ }],
  }),
);

runRuleTests('unguarded-downstream-call', { valid, invalid });
