// missing-correlation-id: outbound calls made while handling a request that drop the correlation ID, servers that never
// read or create one, and broker messages sent without one.
// Positions are written as the text the finding must start at: a call at the start of its call expression, a server at
// its creating call (`express()`, `fastify()`, `NestFactory.create(`).
import { invalidCase, monorepo, runRuleTests, type InvalidCase, type RuleCase } from '../rule-tester';

const one = (code: string) => ({ 'src/index.ts': code });

const CALL = 'is made while handling a request but does not pass on its correlation ID';
const MESSAGE = 'publishes a message without a correlation ID';
const SERVER = 'server never reads or creates a correlation ID';

/** Cases about outbound calls: the server check is off, so each case asserts only the calls it is about. */
const CALLS_ONLY = { checkServers: false };

// ── shared fixtures ──

/** A shared library: reads the request ID at the edge, keeps it in AsyncLocalStorage, and hands it to outbound calls. */
const correlationLib = `import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<string>();

export function correlationMiddleware(
  req: { header(name: string): string | undefined },
  res: { setHeader(name: string, value: string): void },
  next: () => void,
): void {
  const id = req.header('x-request-id') ?? randomUUID();
  res.setHeader('x-request-id', id);
  storage.run(id, next);
}

export function runWithRequestId<T>(id: string | undefined, fn: () => T): T {
  return storage.run(id ?? randomUUID(), fn);
}

export function currentRequestId(): string {
  return storage.getStore() ?? randomUUID();
}

export function correlationHeaders(): Record<string, string> {
  return { 'x-request-id': currentRequestId() };
}
`;

/** A generic wrapper: where it goes, and with which headers, is decided by each caller. */
const rpcLib = `export async function rpc<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(\`\${url}: \${res.status}\`);
  return (await res.json()) as T;
}
`;

/** The same correlation helpers, as a file of a single service. */
const localCorrelation = `import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<string>();

export function correlationMiddleware(req: { header(name: string): string | undefined }, _res: unknown, next: () => void): void {
  storage.run(req.header('x-request-id') ?? randomUUID(), next);
}

export function currentRequestId(): string {
  return storage.getStore() ?? randomUUID();
}

export function correlationHeaders(): Record<string, string> {
  return { 'x-request-id': currentRequestId() };
}
`;

const port = `export const port = 3000;\n`;

/** A Nest app: a controller calls a service that calls `InventoryClient` (each case writes that client). */
const nestOrdersApp = {
  'src/orders.service.ts': `import { Injectable } from '@nestjs/common';
import { InventoryClient } from './inventory.client';

@Injectable()
export class OrdersService {
  constructor(private readonly inventory: InventoryClient) {}

  async availability(sku: string) {
    const { data } = await this.inventory.stock(sku);
    return data;
  }
}
`,
  'src/orders.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';
import { OrdersService } from './orders.service';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':sku/availability')
  availability(@Param('sku') sku: string) {
    return this.orders.availability(sku);
  }
}
`,
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { correlationMiddleware } from './correlation';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(correlationMiddleware);
  await app.listen(3000);
}
void bootstrap();
`,
};

// ── modules loaded by name, servers and fetch helpers in a shared library (CommonJS) ──

/** A service's loader of the shared library's modules by name: `require('../common')(['server'])`. */
const commonLoader = `module.exports = (list) => list.reduce((result, item) => ({
  ...result,
  [item]: require(\`\${__dirname}/../../../libs/common/src/\${item}\`),
}), {});
`;

/** A shared express server module: the app is made when a service starts it. */
const commonServer = `const express = require('express');

let app;

const start = () => {
  app = express();
  app.get('/status', (req, res) => res.send('ok'));
  app.listen(3000);
};

module.exports = { start, getExpressApp: () => app };
`;

/** A shared fetch helper that adds a content type to the caller's options (`opts.headers = opts.headers || {}`). */
const commonFetch = `const fetch = require('node-fetch');

module.exports = async (opts) => {
  let finalUrl = opts;
  if (opts.url) finalUrl = opts.url;
  opts.headers = opts.headers || {};
  opts.headers['Content-Type'] = 'application/json';
  const finalOpts = finalUrl === opts ? undefined : opts;
  const res = await fetch(finalUrl, finalOpts);
  return res.json();
};
`;

/** A service that starts the shared server and registers a handler module (`module.exports = handler`). */
const apiMain = (handler: string) => ({
  'services/api/src/common.js': commonLoader,
  'services/api/src/main.js': `const { server } = require('./common')(['server']);

server.start();
const app = server.getExpressApp();
app.post('/forward', require('./forward'));
`,
  'services/api/src/forward.js': handler,
  'libs/common/src/server.js': commonServer,
  'libs/common/src/fetch.js': commonFetch,
});

/** A fetch helper that makes sure the caller's options have headers before adding its own (`init.headers = init.headers || {}`). */
const postJsonLib = `export async function postJson(url: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  init.headers = init.headers || {};
  init.headers['content-type'] = 'application/json';
  const res = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(2000) });
  return res.json();
}
`;

const valid: RuleCase[] = [
  {
    name: 'a proxy forwards the incoming request, correlation ID included',
    files: one(`import express from 'express';
import httpProxy from 'http-proxy';

const proxy = httpProxy.createProxyServer({ target: 'http://orders:3000', proxyTimeout: 5000 });
const app = express();
app.use((req, res, next) => { req.headers['x-request-id'] ??= crypto.randomUUID(); next(); });
app.all('/orders/*', (req, res) => proxy.web(req, res));
app.listen(3000);
`),
  },
  // ── the call carries the ID itself ──
  {
    name: 'axios call with the ID in its own headers (and the server reads it)',
    files: one(`import express from 'express';
import axios from 'axios';
import { randomUUID } from 'node:crypto';

const app = express();

app.get('/orders/:id/stock', async (req, res) => {
  const requestId = req.header('x-request-id') ?? randomUUID();
  const { data } = await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`, { headers: { 'x-request-id': requestId }, timeout: 2000 });
  res.json(data);
});

app.listen(3000);
`),
  },
  {
    name: 'fetch with X-Correlation-ID: header names are case-insensitive',
    files: one(`import express from 'express';

const app = express();

app.post('/orders', async (req, res) => {
  const correlationId = req.header('X-Correlation-ID') ?? crypto.randomUUID();
  const quote = await fetch('http://pricing:3000/quotes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Correlation-ID': correlationId },
    body: JSON.stringify(req.body),
  });
  res.json(await quote.json());
});
`),
  },
  {
    name: 'traceparent passed on by hand',
    files: one(`import express from 'express';
import got from 'got';

const app = express();

app.get('/quote/:sku', async (req, res) => {
  const quote = await got(\`http://pricing:3000/quotes/\${req.params.sku}\`, { headers: { traceparent: String(req.header('traceparent')) } }).json();
  res.json(quote);
});
`),
  },
  {
    name: 'a helper from a shared library whose returned object is spread into the headers, in two services',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import axios from 'axios';
import { correlationHeaders, correlationMiddleware } from '@acme/correlation';

const app = express();
app.use(correlationMiddleware);

app.get('/orders/:sku/availability', async (req, res) => {
  const { data } = await axios.get(\`\${process.env.INVENTORY_URL}/stock/\${req.params.sku}\`, {
    headers: { accept: 'application/json', ...correlationHeaders() },
  });
  res.json(data);
});

app.listen(3000);
`,
      'services/inventory/src/main.ts': `import Fastify from 'fastify';
import { correlationHeaders, correlationMiddleware } from '@acme/correlation';

const app = Fastify();

app.addHook('onRequest', async (request) => {
  request.log.info({ requestId: request.headers['x-request-id'] }, 'request');
});

app.get('/stock/:sku', async () => {
  const res = await fetch('http://warehouse:8080/levels', { headers: { ...correlationHeaders() } });
  return res.json();
});

export { correlationMiddleware };
`,
    }),
  },
  {
    name: "a helper's object passed as the headers, from another file of the service",
    files: {
      'src/correlation.ts': localCorrelation,
      'src/main.ts': `import express from 'express';
import got from 'got';
import { correlationHeaders, correlationMiddleware } from './correlation';

const app = express();
app.use(correlationMiddleware);

app.get('/quote/:sku', async (req, res) => {
  res.json(await got.get(\`http://pricing:3000/quotes/\${req.params.sku}\`, { headers: correlationHeaders() }).json());
});
`,
    },
  },

  // ── the client carries the ID ──
  {
    name: "client default headers: an axios instance created per request with the request's ID",
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();

app.get('/orders/:id', async (req, res) => {
  const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000, headers: { 'x-request-id': req.header('x-request-id') ?? '' } });
  const { data } = await inventory.get(\`/stock/\${req.params.id}\`);
  res.json(data);
});
`),
  },
  {
    name: 'client default headers under headers.common',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/main.ts': `import express from 'express';
import axios from 'axios';
import { correlationMiddleware, currentRequestId } from './correlation';

const app = express();
app.use(correlationMiddleware);

app.get('/orders/:id', async (req, res) => {
  const inventory = axios.create({ baseURL: 'http://inventory:3000', headers: { common: { 'x-correlation-id': currentRequestId() } } });
  res.json((await inventory.get(\`/stock/\${req.params.id}\`)).data);
});
`,
    },
  },
  {
    name: "the client's defaults.headers.common['x-request-id'] is assigned",
    files: {
      'src/clients/inventory.ts': `import axios from 'axios';

export const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
`,
      'src/main.ts': `import express from 'express';
import { inventory, stock } from './clients/inventory';

const app = express();

app.use((req, _res, next) => {
  inventory.defaults.headers.common['x-request-id'] = req.header('x-request-id') ?? '';
  next();
});

app.get('/stock/:sku', async (req, res) => {
  res.json((await stock(req.params.sku)).data);
});
`,
    },
  },
  {
    name: 'an axios request interceptor on the instance',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/clients/inventory.ts': `import axios from 'axios';
import { currentRequestId } from '../correlation';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

inventory.interceptors.request.use((config) => {
  config.headers.set('x-request-id', currentRequestId());
  return config;
});

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
`,
      'src/main.ts': `import express from 'express';
import { correlationMiddleware } from './correlation';
import { stock } from './clients/inventory';

const app = express();
app.use(correlationMiddleware);
app.get('/stock/:sku', async (req, res) => res.json((await stock(req.params.sku)).data));
`,
    },
  },
  {
    name: 'a module-level axios.interceptors.request.use covers axios calls on the module, in any file of the service',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/setup.ts': `import axios from 'axios';
import { currentRequestId } from './correlation';

axios.interceptors.request.use((config) => {
  config.headers['x-request-id'] = currentRequestId();
  return config;
});
`,
      'src/main.ts': `import './setup';
import express from 'express';
import axios from 'axios';
import { correlationMiddleware } from './correlation';

const app = express();
app.use(correlationMiddleware);
app.get('/stock/:sku', async (req, res) => res.json((await axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`)).data));
`,
    },
  },
  {
    name: 'got.extend with a beforeRequest hook',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/main.ts': `import express from 'express';
import got from 'got';
import { correlationMiddleware, currentRequestId } from './correlation';

const pricing = got.extend({
  prefixUrl: 'http://pricing:3000',
  timeout: { request: 2000 },
  hooks: {
    beforeRequest: [
      (options) => {
        options.headers['x-request-id'] = currentRequestId();
      },
    ],
  },
});

const app = express();
app.use(correlationMiddleware);
app.get('/quote/:sku', async (req, res) => res.json(await pricing.get(\`quotes/\${req.params.sku}\`).json()));
`,
    },
  },
  {
    name: 'got.extend of a client with a beforeRequest hook inherits the hook',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/main.ts': `import express from 'express';
import got from 'got';
import { correlationMiddleware, currentRequestId } from './correlation';

const base = got.extend({
  timeout: { request: 2000 },
  hooks: { beforeRequest: [(options) => { options.headers['x-request-id'] = currentRequestId(); }] },
});
const pricing = base.extend({ prefixUrl: 'http://pricing:3000' });

const app = express();
app.use(correlationMiddleware);
app.get('/quote/:sku', async (req, res) => res.json(await pricing.get(\`quotes/\${req.params.sku}\`).json()));
`,
    },
  },
  {
    name: 'a gRPC client created with interceptors',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/main.ts': `import express from 'express';
import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';
import { correlationMiddleware } from './correlation';
import { requestIdInterceptor } from './interceptors';

const proto = grpc.loadPackageDefinition(loader.loadSync('users.proto')) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure(), { interceptors: [requestIdInterceptor] });

const app = express();
app.use(correlationMiddleware);
app.get('/users/:id', (req, res) => {
  users.getUser({ id: req.params.id }, { deadline: Date.now() + 1000 }, (_err: unknown, user: unknown) => res.json(user));
});
`,
    },
  },
  {
    name: 'a gRPC call whose metadata cannot be seen into is not judged',
    files: one(`import express from 'express';
import * as grpc from '@grpc/grpc-js';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

const app = express();
app.get('/users/:id', (req, res) => {
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', req.header('x-request-id') ?? '');
  users.getUser({ id: req.params.id }, metadata, { deadline: Date.now() + 1000 }, (_err: unknown, user: unknown) => res.json(user));
});
`),
  },

  // ── tracing propagates traceparent ──
  {
    name: 'OpenTelemetry NodeSDK with getNodeAutoInstrumentations() (calls and server)',
    files: {
      'src/tracing.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';

const sdk = new NodeSDK({ serviceName: 'orders', instrumentations: [getNodeAutoInstrumentations()] });
sdk.start();
`,
      'src/main.ts': `import './tracing';
import express from 'express';
import axios from 'axios';

const app = express();
app.get('/orders/:id', async (req, res) => {
  const stock = await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`);
  const quote = await fetch(\`http://pricing:3000/quotes/\${req.params.id}\`);
  res.json({ stock: stock.data, quote: await quote.json() });
});
app.listen(3000);
`,
    },
  },
  {
    name: 'registerInstrumentations with the HTTP instrumentation, for axios',
    files: {
      'src/tracing.ts': `import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

const provider = new NodeTracerProvider();
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
`,
      'src/main.ts': `import './tracing';
import express from 'express';
import axios from 'axios';

const app = express();
app.get('/orders/:id', async (req, res) => res.json((await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`)).data));
`,
    },
  },
  {
    name: "import '@opentelemetry/auto-instrumentations-node/register'",
    files: one(`import '@opentelemetry/auto-instrumentations-node/register';
import express from 'express';

const app = express();
app.get('/orders/:id', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.id}\`)).json()));
`),
  },

  // ── calls that need no ID ──
  {
    name: 'calls made outside any handler: startup code and a timer',
    files: one(`import express from 'express';
import axios from 'axios';

async function loadFeatureFlags() {
  const { data } = await axios.get('http://config:8080/flags/orders');
  return data;
}

export const flags = await loadFeatureFlags();
const rates = await fetch('http://fx-rates:3000/rates');

setInterval(() => {
  void fetch('http://inventory:3000/internal/warm-cache', { method: 'POST' });
}, 60_000);

const app = express();
app.use((req, _res, next) => {
  req.headers['x-request-id'] ??= crypto.randomUUID();
  next();
});
app.get('/rates', (_req, res) => res.json(rates));
app.listen(3000);
`),
  },
  {
    name: 'a third-party API is not checked by default',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.post('/payments', async (req, res) => {
  const charge = await axios.post('https://api.stripe.com/v1/charges', { amount: req.body.amount }, { timeout: 5000 });
  const tax = await fetch(\`\${process.env.TAX_API_URL}/rates?zip=\${req.body.zip}\`);
  res.json({ charge: charge.data, tax: await tax.json() });
});
`),
    options: CALLS_ONLY,
  },
  {
    name: 'headers that cannot be resolved are not judged',
    files: one(`import express from 'express';
import axios from 'axios';
import { signedHeaders } from '@corp/auth';

const app = express();
app.get('/orders/:id', async (req, res) => {
  const stock = await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`, { headers: signedHeaders(req) });
  const quote = await fetch(\`http://pricing:3000/quotes/\${req.params.id}\`, { headers: req.headers as Record<string, string> });
  res.json({ stock: stock.data, quote: await quote.json() });
});
`),
    options: CALLS_ONLY,
  },
  {
    name: 'a client whose default headers cannot be resolved is not judged',
    files: one(`import express from 'express';
import axios from 'axios';
import { defaultHeaders } from '@corp/http-defaults';

const inventory = axios.create({ baseURL: 'http://inventory:3000', headers: defaultHeaders });

const app = express();
app.get('/stock/:sku', async (req, res) => res.json((await inventory.get(\`/stock/\${req.params.sku}\`)).data));
`),
    options: CALLS_ONLY,
  },
  {
    name: 'a `new Headers(...)` object is not read, so the call is not judged (current limit)',
    files: one(`import express from 'express';

const app = express();
app.get('/stock/:sku', async (req, res) => {
  const stock = await fetch(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: new Headers({ accept: 'application/json' }) });
  res.json(await stock.json());
});
`),
    options: CALLS_ONLY,
  },
  {
    name: 'tracing started behind a feature flag counts as on (current limit)',
    files: {
      'src/tracing.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';

if (process.env.OTEL_ENABLED === 'true') {
  new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
}
`,
      'src/main.ts': `import './tracing';
import express from 'express';

const app = express();
app.get('/stock/:sku', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.sku}\`)).json()));
`,
    },
  },

  // ── wrappers: judged at each call site ──
  {
    name: 'a generic rpc(url, init) wrapper whose callers in handlers pass the ID; a caller outside any handler passes none',
    files: monorepo({
      'libs/http/src/index.ts': rpcLib,
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { rpc } from '@acme/http';
import { correlationHeaders, correlationMiddleware } from '@acme/correlation';

export const catalog = await rpc('http://inventory:3000/catalog');

const app = express();
app.use(correlationMiddleware);
app.get('/orders/:sku/stock', async (req, res) => res.json(await rpc(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: correlationHeaders() })));
app.get('/orders/:sku/quote', async (req, res) => res.json(await rpc(\`http://pricing:3000/quotes/\${req.params.sku}\`, { headers: { 'x-request-id': req.header('x-request-id')! } })));
`,
      'services/inventory/src/main.ts': port,
      'services/pricing/src/main.ts': port,
    }),
  },
  {
    name: 'a wrapper that adds the ID itself from AsyncLocalStorage',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'libs/http/src/index.ts': `import { correlationHeaders } from '@acme/correlation';

export async function rpc<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...correlationHeaders() }, signal: AbortSignal.timeout(2000) });
  return (await res.json()) as T;
}
`,
      'services/orders/src/main.ts': `import express from 'express';
import { rpc } from '@acme/http';
import { correlationMiddleware } from '@acme/correlation';

const app = express();
app.use(correlationMiddleware);
app.get('/orders/:sku', async (req, res) => {
  const [stock, quote] = await Promise.all([rpc(\`http://inventory:3000/stock/\${req.params.sku}\`), rpc(\`http://pricing:3000/quotes/\${req.params.sku}\`)]);
  res.json({ stock, quote });
});
`,
      'services/inventory/src/main.ts': port,
      'services/pricing/src/main.ts': port,
    }),
  },
  {
    name: 'a wrapper whose headers come from its callers, every caller passing the ID',
    files: {
      'src/inventory.ts': `import axios from 'axios';

export const inventoryGet = (path: string, headers: Record<string, string>) => axios.get(\`http://inventory:3000\${path}\`, { headers, timeout: 2000 });
`,
      'src/main.ts': `import express from 'express';
import { inventoryGet } from './inventory';

const app = express();
app.get('/stock/:sku', async (req, res) => res.json((await inventoryGet(\`/stock/\${req.params.sku}\`, { 'x-request-id': req.header('x-request-id') ?? '' })).data));
app.get('/reservations', async (req, res) => res.json((await inventoryGet('/reservations', { 'x-correlation-id': req.header('x-correlation-id') ?? '' })).data));
`,
    },
  },

  // ── NestJS ──
  {
    name: 'Nest controller → injected service → client method that sends the ID',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/inventory.client.ts': `import { Injectable } from '@nestjs/common';
import axios from 'axios';
import { correlationHeaders } from './correlation';

@Injectable()
export class InventoryClient {
  private readonly http = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

  stock(sku: string) {
    return this.http.get(\`/stock/\${sku}\`, { headers: correlationHeaders() });
  }
}
`,
      ...nestOrdersApp,
    },
  },
  {
    name: 'Nest @EventPattern handler calling HttpService with the ID from the event',
    files: one(`import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

@Controller()
export class ShipmentsController {
  constructor(private readonly http: HttpService) {}

  @EventPattern('order_paid')
  async onOrderPaid(@Payload() event: { orderId: string; requestId: string }) {
    await firstValueFrom(this.http.post('http://shipping:3000/shipments', { orderId: event.orderId }, { headers: { 'x-request-id': event.requestId } }));
  }
}
`),
  },
  {
    name: 'Nest ClientProxy.send is not checked by default (kind rpc)',
    files: one(`import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Controller('orders')
export class OrdersController {
  constructor(@Inject('ORDERS') private readonly client: ClientProxy) {}

  @Get(':id')
  find(@Param('id') id: string) {
    return this.client.send({ cmd: 'get_order' }, id);
  }
}
`),
    options: CALLS_ONLY,
  },
  {
    name: 'Nest ClientProxy.emit of an RMQ record with the ID in its headers',
    files: one(`import { Controller, Headers, Inject, Post } from '@nestjs/common';
import { ClientProxy, RmqRecordBuilder } from '@nestjs/microservices';

@Controller('orders')
export class OrdersController {
  constructor(@Inject('EVENTS') private readonly events: ClientProxy) {}

  @Post()
  create(@Headers('x-request-id') requestId: string) {
    const record = new RmqRecordBuilder({ type: 'order_placed' }).setOptions({ headers: { 'x-request-id': requestId } }).build();
    return this.events.emit('order_placed', record);
  }
}
`),
  },

  // ── other frameworks ──
  {
    name: 'fastify.route({ handler }) and an onRequest hook, both sending the ID',
    files: one(`import Fastify from 'fastify';
import axios from 'axios';

const app = Fastify();

app.addHook('onRequest', async (request) => {
  await axios.post('http://audit:3000/events', { path: request.url }, { headers: { 'x-request-id': String(request.headers['x-request-id']) } });
});

app.route({
  method: 'GET',
  url: '/stock/:sku',
  handler: async (request) => axios.get('http://inventory:3000/stock', { headers: { 'x-request-id': String(request.id) } }),
});
`),
  },
  {
    name: 'koa middleware and @koa/router routes that pass the ID on',
    files: one(`import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();

app.use(async (ctx, next) => {
  ctx.state.requestId = ctx.get('x-request-id') || crypto.randomUUID();
  await next();
});

router.get('/stock/:sku', async (ctx) => {
  const res = await fetch(\`http://inventory:3000/stock/\${ctx.params.sku}\`, { headers: { 'x-request-id': ctx.state.requestId } });
  ctx.body = await res.json();
});

app.use(router.routes());
`),
  },
  {
    name: 'http.createServer(handler) that reads the ID and passes it on',
    files: one(`import http from 'node:http';

const server = http.createServer(async (req, res) => {
  const requestId = String(req.headers['x-request-id'] ?? crypto.randomUUID());
  const stock = await fetch('http://inventory:3000/stock', { headers: { 'x-request-id': requestId } });
  res.end(await stock.text());
});
server.listen(3000);
`),
  },

  // ── broker messages ──
  {
    name: 'kafkajs: a message sent inside eachMessage carries the incoming ID in its headers',
    files: one(`import { Kafka } from 'kafkajs';

const kafka = new Kafka({ clientId: 'billing', brokers: ['kafka:9092'] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'billing' });

export async function start() {
  await producer.connect();
  await consumer.subscribe({ topic: 'orders.placed' });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const requestId = message.headers?.['x-request-id']?.toString() ?? crypto.randomUUID();
      await producer.send({ topic: 'invoices.created', messages: [{ key: message.key, value: message.value, headers: { 'x-request-id': requestId } }] });
      await producer.sendBatch({ topicMessages: [{ topic: 'audit', messages: [{ value: 'invoiced', headers: { 'x-request-id': requestId } }] }] });
      await fetch('http://ledger:3000/entries', { method: 'POST', headers: { 'x-request-id': requestId } });
    },
  });
}
`),
  },
  {
    name: 'kafkajs: a message sent outside any handler (startup) needs no ID',
    files: one(`import { Kafka } from 'kafkajs';

const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();
await producer.connect();
await producer.send({ topic: 'service.started', messages: [{ value: 'orders' }] });
`),
  },
  {
    name: 'amqplib: publish with correlationId and sendToQueue with the ID in headers, inside a consumer',
    files: one(`import amqp from 'amqplib';

const connection = await amqp.connect('amqp://rabbit', { timeout: 5000 });
const channel = await connection.createChannel();

await channel.consume('orders', async (msg) => {
  if (!msg) return;
  const correlationId = msg.properties.correlationId ?? crypto.randomUUID();
  channel.publish('events', 'order.accepted', msg.content, { correlationId, persistent: true });
  channel.sendToQueue('emails', msg.content, { headers: { 'x-request-id': correlationId } });
  channel.ack(msg);
});
`),
  },
  {
    name: 'checkServers: false also turns off the check of broker messages',
    files: one(`import { Kafka } from 'kafkajs';

const kafka = new Kafka({ brokers: ['kafka:9092'] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'billing' });

await consumer.run({
  eachMessage: async ({ message }) => {
    await producer.send({ topic: 'invoices.created', messages: [{ value: message.value }] });
  },
});
`),
    options: CALLS_ONLY,
  },

  // ── servers ──
  {
    name: "server: an express middleware reads req.header('x-request-id')",
    files: one(`import express from 'express';
import { randomUUID } from 'node:crypto';

const app = express();

app.use((req, res, next) => {
  const requestId = req.header('x-request-id') ?? randomUUID();
  res.setHeader('x-request-id', requestId);
  res.locals.requestId = requestId;
  next();
});

app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
`),
  },
  {
    name: 'server: the reading is done in a shared library the service imports (express and fastify services)',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { correlationMiddleware } from '@acme/correlation';

const app = express();
app.use(correlationMiddleware);
app.get('/orders', (_req, res) => res.json([]));
app.listen(3000);
`,
      'services/inventory/src/main.ts': `import Fastify from 'fastify';
import { runWithRequestId } from '@acme/correlation';

const app = Fastify();
app.addHook('onRequest', (request, _reply, done) => runWithRequestId(request.id, done));
app.get('/stock', async () => []);
`,
    }),
  },
  {
    name: 'server: a correlation middleware package (cls-rtracer, express-request-id)',
    files: {
      'src/main.ts': `import express from 'express';
import rTracer from 'cls-rtracer';

const app = express();
app.use(rTracer.expressMiddleware());
app.listen(3000);
`,
      'src/admin.ts': `import express from 'express';
import requestId from 'express-request-id';

export const admin = express();
admin.use(requestId());
`,
    },
  },
  {
    name: 'server: NestFactory app with nestjs-cls',
    files: {
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';

@Module({ imports: [ClsModule.forRoot({ global: true, middleware: { mount: true, generateId: true } })] })
export class AppModule {}
`,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();
`,
    },
  },
  {
    name: 'server: correlationModules names an in-house package',
    files: one(`import express from 'express';
import { requestContext } from '@acme/request-context/express';

const app = express();
app.use(requestContext());
app.listen(3000);
`),
    options: { correlationModules: ['@acme/request-context'] },
  },
  {
    name: 'server: checkServers: false',
    files: one(`import express from 'express';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
`),
    options: CALLS_ONLY,
  },
  {
    name: 'server: a worker with only a Kafka consumer has no server to check',
    files: one(`import { Kafka } from 'kafkajs';

const consumer = new Kafka({ brokers: ['kafka:9092'] }).consumer({ groupId: 'mailer' });
await consumer.run({ eachMessage: async ({ message }) => console.log(message.value?.toString()) });
`),
  },

  // ── options ──
  {
    name: "headers: ['x-trace-id'] — the call and the server use that header",
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.use((req, _res, next) => {
  req.headers['x-trace-id'] ??= crypto.randomUUID();
  next();
});
app.get('/stock/:sku', async (req, res) => {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: { 'x-trace-id': String(req.headers['x-trace-id']) } });
  res.json(data);
});
`),
    options: { headers: ['x-trace-id'] },
  },
  {
    name: "kinds: ['http'] — gRPC calls are not checked",
    files: one(`import * as grpc from '@grpc/grpc-js';
import express from 'express';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

const app = express();
app.get('/users/:id', (req, res) => {
  users.getUser({ id: req.params.id }, { deadline: Date.now() + 1000 }, (_err: unknown, user: unknown) => res.json(user));
});
`),
    options: { kinds: ['http'], checkServers: false },
  },
  {
    name: 'a finding accepted with a suppression comment',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.get('/legacy/:id', async (req, res) => {
  // breakwater-disable-next-line missing-correlation-id -- the legacy ERP rejects unknown headers
  const { data } = await axios.get(\`http://erp:8080/orders/\${req.params.id}\`);
  res.json(data);
});
`),
    options: CALLS_ONLY,
  },
  {
    name: 'a server made in a shared library, in a service that reads x-request-id (modules loaded by name)',
    files: monorepo({
      ...apiMain(`module.exports = (req, res) => res.json({ id: req.header('x-request-id') });
`),
    }),
  },
  {
    name: 'a server made in a shared library that no service loads is not judged',
    files: monorepo({
      'libs/common/src/server.js': commonServer,
      'services/api/src/main.js': `const express = require('express');
const app = express();
app.get('/', (req, res) => res.send(req.header('x-request-id')));
app.listen(3000);
`,
    }),
  },
  {
    name: 'a shared fetch helper called from a handler with the ID in the headers it is given',
    files: monorepo({
      ...apiMain(`const { fetch } = require('./common')(['fetch']);

module.exports = async (req, res) => {
  const { host = 'localhost' } = req.body;
  res.json(await fetch({ url: \`http://\${host}:5959/conduit\`, method: 'post', headers: { 'x-request-id': req.header('x-request-id') } }));
};
`),
    }),
    options: CALLS_ONLY,
  },
  {
    name: 'a shared fetch helper called from a handler whose host is known only at run time',
    files: monorepo({
      ...apiMain(`const { fetch } = require('./common')(['fetch']);

module.exports = async (req, res) => {
  res.json(await fetch({ url: \`http://\${req.body.host}:5959/conduit\`, method: 'post' }));
};
`),
    }),
    options: CALLS_ONLY,
  },
  {
    name: 'a module loaded by a name known only at run time is not followed',
    files: monorepo({
      'services/api/src/main.js': `const express = require('express');
const app = express();
app.post('/run/:name', (req, res) => require(\`./jobs/\${req.params.name}\`)(req, res));
app.listen(3000);
`,
      'services/api/src/jobs/forward.js': `const axios = require('axios');
module.exports = async (req, res) => res.json(await axios.get('http://orders:3000/orders'));
`,
    }),
    options: CALLS_ONLY,
  },
  {
    name: 'a helper that fills in missing headers, called with the ID',
    files: monorepo({
      'libs/http/src/index.ts': postJsonLib,
      'services/gateway/src/main.ts': `import express from 'express';
import { postJson } from '@acme/http';

const app = express();
app.post('/orders', async (req, res) => res.json(await postJson('http://orders:3000/orders', { headers: { 'x-request-id': req.header('x-request-id') ?? '' } })));
`,
    }),
    options: CALLS_ONLY,
  },
  {
    name: 'a host that is one of two names written in the code is not named',
    files: one(`import express from 'express';

const app = express();
app.get('/stock', async (req, res) => {
  const host = req.query.region === 'eu' ? 'inventory-eu' : 'inventory-us';
  res.json(await (await fetch(\`http://\${host}:3000/stock\`, { signal: AbortSignal.timeout(2000) })).json());
});
`),
    options: CALLS_ONLY,
  },
];

const invalid: InvalidCase[] = [
  invalidCase({
    name: "a service's server is reported where it starts (src/main.ts), not in a build script that sorts first",
    files: {
      'package.json': JSON.stringify({ name: 'backend', scripts: { start: 'node dist/main.js' }, dependencies: { '@nestjs/core': '^10' } }),
      'src/gql-schema.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nexport async function printSchema() {\n  const app = await NestFactory.create(AppModule);\n  await app.init();\n}\n`,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nvoid bootstrap();\n`,
      'src/app.module.ts': `export class AppModule {}\n`,
    },
    errors: [{ file: 'src/main.ts', at: 'NestFactory.create(', message: /^This nest server/ }],
  }),
  invalidCase({
    name: 'a Next.js route handler (app/**/route.ts exporting POST) handles a request: its call to another service must pass the ID',
    files: monorepo({
      'services/web/package.json': JSON.stringify({ name: 'web', private: true, scripts: { start: 'next start' }, dependencies: { next: '^14' } }),
      'services/web/src/app/api/orders/route.ts': `export async function POST(request: Request) {
  const order = await request.json();
  const res = await fetch(\`\${process.env.INVENTORY_URL}/reserve\`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(2000) });
  return Response.json(await res.json());
}
`,
      'services/inventory/src/main.ts': `export const port = 3000;\n`,
    }),
    errors: [{ file: 'services/web/src/app/api/orders/route.ts', at: 'fetch(', message: CALL }],
  }),
  // ── calls in handlers that drop the ID ──
  invalidCase({
    name: 'express handler: axios.get to another service without the ID',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.get('/orders/:id/stock', async (req, res) => {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`, { timeout: 2000 });
  res.json(data);
});
`),
    options: CALLS_ONLY,
    errors: [{ at: 'axios.get(', message: /^`axios\.get\(\)` is made while handling a request but does not pass on its correlation ID \(x-request-id, x-correlation-id, traceparent\)/ }],
  }),
  invalidCase({
    name: 'express handler: fetch to a workspace service named by an environment variable (the server reads the ID)',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { correlationMiddleware } from '@acme/correlation';

const app = express();
app.use(correlationMiddleware);
app.post('/orders', async (req, res) => {
  const quote = await fetch(\`\${process.env.PRICING_URL}/quotes\`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) });
  res.json(await quote.json());
});
`,
      'services/pricing/src/main.ts': port,
    }),
    errors: [{ file: 'services/orders/src/main.ts', at: 'fetch(', message: /^`fetch\(\)` is made while handling a request/ }],
  }),
  invalidCase({
    name: "a helper's spread that carries other headers only",
    files: {
      'src/headers.ts': `export function jsonHeaders(): Record<string, string> {
  return { accept: 'application/json', 'content-type': 'application/json' };
}
`,
      'src/main.ts': `import express from 'express';
import axios from 'axios';
import { jsonHeaders } from './headers';

const app = express();
app.get('/stock/:sku', async (req, res) => {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: { ...jsonHeaders(), 'x-api-key': 'k' } });
  res.json(data);
});
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/main.ts', at: 'axios.get(', message: CALL }],
  }),
  invalidCase({
    name: 'a call in a function called from the handler, in another file',
    files: {
      'src/clients/inventory.ts': `import axios from 'axios';

export async function reserve(orderId: string, sku: string) {
  await axios.post('http://inventory:3000/reservations', { orderId, sku }, { timeout: 2000 });
}

export async function release(orderId: string) {
  await axios.delete(\`http://inventory:3000/reservations/\${orderId}\`, { timeout: 2000 });
}
`,
      'src/routes/orders.ts': `import { Router } from 'express';
import { reserve } from '../clients/inventory';

export const orders = Router();

orders.post('/orders', async (req, res) => {
  await reserve(req.body.id, req.body.sku);
  res.status(201).end();
});
`,
      'src/main.ts': `import express from 'express';
import { orders } from './routes/orders';

const app = express();
app.use(orders);
app.listen(3000);
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/clients/inventory.ts', at: 'axios.post(', message: CALL }],
  }),
  invalidCase({
    name: 'a function called from a handler and from startup code is reported: one path handles a request',
    files: one(`import express from 'express';

async function refreshPrices() {
  const res = await fetch('http://pricing:3000/prices');
  return res.json();
}

await refreshPrices();

const app = express();
app.post('/admin/refresh', async (_req, res) => res.json(await refreshPrices()));
`),
    options: CALLS_ONLY,
    errors: [{ at: 'fetch(', message: CALL }],
  }),
  invalidCase({
    name: 'fastify: a route(), an addHook() hook and a shorthand route',
    files: one(`import Fastify from 'fastify';
import axios from 'axios';

const app = Fastify();

app.route({ method: 'GET', url: '/a', handler: async () => (await axios.get('http://inventory:3000/a')).data });
app.addHook('preHandler', async () => {
  await axios.get('http://auth:3000/session');
});
app.get('/b', async () => (await axios.get('http://inventory:3000/b')).data);
`),
    options: CALLS_ONLY,
    errors: [
      { at: 'axios.get(', message: CALL },
      { at: 'axios.get(', nth: 1, message: CALL },
      { at: 'axios.get(', nth: 2, message: CALL },
    ],
  }),
  invalidCase({
    name: 'koa: app.use middleware and a router route',
    files: one(`import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();

router.get('/stock/:sku', async (ctx) => {
  ctx.body = await (await fetch(\`http://inventory:3000/stock/\${ctx.params.sku}\`)).json();
});
app.use(async (ctx, next) => {
  await fetch('http://audit:3000/events', { method: 'POST', body: ctx.path });
  await next();
});
app.use(router.routes());
`),
    options: CALLS_ONLY,
    errors: [
      { at: 'fetch(', message: CALL },
      { at: 'fetch(', nth: 1, message: CALL },
    ],
  }),
  invalidCase({
    name: 'http.createServer(handler): the server and the call',
    files: one(`import http from 'node:http';

const server = http.createServer(async (_req, res) => {
  const stock = await fetch('http://inventory:3000/stock');
  res.end(await stock.text());
});
server.listen(3000);
`),
    errors: [
      { at: 'http.createServer(', message: /^This node:http server never reads or creates a correlation ID/ },
      { at: 'fetch(', message: CALL },
    ],
  }),
  invalidCase({
    name: 'a Fastify plugin registered with app.register(): its routes are handlers',
    files: {
      'src/routes/stock.ts': `import type { FastifyInstance } from 'fastify';
import axios from 'axios';

export async function stockRoutes(app: FastifyInstance) {
  app.get('/stock/:sku', async (request) => (await axios.get(\`http://inventory:3000/stock/\${(request.params as { sku: string }).sku}\`)).data);
}
`,
      'src/main.ts': `import Fastify from 'fastify';
import { stockRoutes } from './routes/stock';

const app = Fastify();
app.register(stockRoutes);
await app.listen({ port: 3000 });
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/routes/stock.ts', at: 'axios.get(', message: CALL }],
  }),
  invalidCase({
    name: 'express routes registered by a function that is handed the app',
    files: {
      'src/routes.ts': `import type { Express } from 'express';

export function registerRoutes(app: Express): void {
  app.get('/orders/:id', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.id}\`)).json()));
}
`,
      'src/main.ts': `import express from 'express';
import { registerRoutes } from './routes';

const app = express();
registerRoutes(app);
app.listen(3000);
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/routes.ts', at: 'fetch(', message: CALL }],
  }),
  invalidCase({
    name: 'Nest controller → injected service → client method without the ID',
    files: {
      'src/correlation.ts': localCorrelation,
      'src/inventory.client.ts': `import { Injectable } from '@nestjs/common';
import axios from 'axios';

@Injectable()
export class InventoryClient {
  private readonly http = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

  stock(sku: string) {
    return this.http.get(\`/stock/\${sku}\`);
  }
}
`,
      ...nestOrdersApp,
    },
    errors: [{ file: 'src/inventory.client.ts', at: 'this.http.get(', message: /^`this\.http\.get\(\)` is made while handling a request/ }],
  }),
  invalidCase({
    name: 'Nest @MessagePattern, @EventPattern and @GrpcMethod handlers',
    files: one(`import { Controller } from '@nestjs/common';
import { EventPattern, GrpcMethod, MessagePattern } from '@nestjs/microservices';

@Controller()
export class OrdersController {
  @MessagePattern({ cmd: 'get_order' })
  async getOrder(id: string) {
    return (await fetch(\`http://orders-db-api:3000/orders/\${id}\`)).json();
  }

  @EventPattern('order_paid')
  async onPaid(event: { id: string }) {
    await fetch('http://shipping:3000/shipments', { method: 'POST', body: event.id });
  }

  @GrpcMethod('OrdersService', 'Find')
  async find(data: { id: string }) {
    return (await fetch(\`http://inventory:3000/stock/\${data.id}\`)).json();
  }
}
`),
    options: CALLS_ONLY,
    errors: [
      { at: 'fetch(', message: CALL },
      { at: 'fetch(', nth: 1, message: CALL },
      { at: 'fetch(', nth: 2, message: CALL },
    ],
  }),
  invalidCase({
    name: 'a gRPC call with no metadata, in a handler',
    files: one(`import express from 'express';
import * as grpc from '@grpc/grpc-js';

const proto = grpc.loadPackageDefinition({}) as any;
const users = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());

const app = express();
app.get('/users/:id', (req, res) => {
  users.getUser({ id: req.params.id }, { deadline: Date.now() + 1000 }, (_err: unknown, user: unknown) => res.json(user));
});
`),
    options: CALLS_ONLY,
    errors: [{ at: 'users.getUser(', message: CALL }],
  }),

  // ── targets ──
  invalidCase({
    name: 'cluster-internal hosts count as our own services; a public host does not',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.post('/payments', async (req, res) => {
  await axios.post('http://fraud.risk.svc.cluster.local/score', req.body);
  await axios.post('http://auth.internal/introspect', req.body);
  await axios.post('http://ledger:8080/entries', req.body);
  await axios.post('https://api.partner-bank.com/v2/transfers', req.body);
  res.end();
});
`),
    options: CALLS_ONLY,
    errors: [
      { at: 'axios.post(', message: CALL },
      { at: 'axios.post(', nth: 1, message: CALL },
      { at: 'axios.post(', nth: 2, message: CALL },
    ],
  }),
  invalidCase({
    name: 'thirdParty: true also checks third-party APIs',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.post('/payments', async (req, res) => {
  const charge = await axios.post('https://api.stripe.com/v1/charges', { amount: req.body.amount }, { timeout: 5000 });
  res.json(charge.data);
});
`),
    options: { thirdParty: true, checkServers: false },
    errors: [{ at: 'axios.post(', message: CALL }],
  }),

  // ── wrappers: judged at each call site ──
  invalidCase({
    name: 'a generic rpc(url, init) wrapper: reported at each call site in a handler that passes no ID',
    files: monorepo({
      'libs/http/src/index.ts': rpcLib,
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { rpc } from '@acme/http';
import { correlationHeaders, correlationMiddleware } from '@acme/correlation';

export const catalog = await rpc('http://inventory:3000/catalog');

const app = express();
app.use(correlationMiddleware);
app.get('/orders/:sku/stock', async (req, res) => res.json(await rpc(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: correlationHeaders() })));
app.get('/orders/:sku/quote', async (req, res) => res.json(await rpc(\`http://pricing:3000/quotes/\${req.params.sku}\`)));
app.get('/orders/:sku/ship', async (req, res) => res.json(await rpc(\`http://shipping:3000/rates/\${req.params.sku}\`, { headers: { accept: 'application/json' } })));
`,
      'services/inventory/src/main.ts': port,
      'services/pricing/src/main.ts': port,
      'services/shipping/src/main.ts': port,
    }),
    errors: [
      { file: 'services/orders/src/main.ts', at: 'rpc(', nth: 2, message: /^`rpc\(\)` is made while handling a request/ },
      { file: 'services/orders/src/main.ts', at: 'rpc(', nth: 3, message: /^`rpc\(\)` is made while handling a request/ },
    ],
  }),
  invalidCase({
    name: 'a wrapper whose headers come from its callers: the caller that passes no ID',
    files: {
      'src/inventory.ts': `import axios from 'axios';

export const inventoryGet = (path: string, headers: Record<string, string>) => axios.get(\`http://inventory:3000\${path}\`, { headers, timeout: 2000 });
`,
      'src/main.ts': `import express from 'express';
import { inventoryGet } from './inventory';

const app = express();
app.get('/stock/:sku', async (req, res) => res.json((await inventoryGet(\`/stock/\${req.params.sku}\`, { 'x-request-id': req.header('x-request-id') ?? '' })).data));
app.get('/reservations', async (_req, res) => res.json((await inventoryGet('/reservations', { accept: 'application/json' })).data));
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/main.ts', at: 'inventoryGet(', nth: 1, message: /^`inventoryGet\(\)` is made while handling a request/ }],
  }),

  // ── clients ──
  invalidCase({
    name: 'client default headers without the ID',
    files: one(`import express from 'express';
import axios from 'axios';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000, headers: { accept: 'application/json', 'x-api-key': 'k' } });

const app = express();
app.get('/stock/:sku', async (req, res) => res.json((await inventory.get(\`/stock/\${req.params.sku}\`)).data));
`),
    options: CALLS_ONLY,
    errors: [{ at: 'inventory.get(', message: CALL }],
  }),
  invalidCase({
    name: 'defaults.headers assigned another header',
    files: one(`import express from 'express';
import axios from 'axios';

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });
inventory.defaults.headers.common['x-api-key'] = process.env.INVENTORY_API_KEY!;

const app = express();
app.get('/stock/:sku', async (req, res) => res.json((await inventory.get(\`/stock/\${req.params.sku}\`)).data));
`),
    options: CALLS_ONLY,
    errors: [{ at: 'inventory.get(', message: CALL }],
  }),
  invalidCase({
    name: 'a module-level axios interceptor does not reach an axios.create() instance',
    files: one(`import express from 'express';
import axios from 'axios';

axios.interceptors.request.use((config) => {
  config.headers['x-request-id'] = crypto.randomUUID();
  return config;
});

const inventory = axios.create({ baseURL: 'http://inventory:3000', timeout: 2000 });

const app = express();
app.get('/a/:sku', async (req, res) => res.json((await axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`)).data));
app.get('/b/:sku', async (req, res) => res.json((await inventory.get(\`/stock/\${req.params.sku}\`)).data));
`),
    options: CALLS_ONLY,
    errors: [{ at: 'inventory.get(', message: CALL }],
  }),

  // ── tracing that does not propagate ──
  invalidCase({
    name: 'OpenTelemetry NodeSDK with instrumentations: [] propagates nothing',
    files: {
      'src/tracing.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';

new NodeSDK({ serviceName: 'orders', instrumentations: [] }).start();
`,
      'src/main.ts': `import './tracing';
import express from 'express';
import axios from 'axios';

const app = express();
app.get('/orders/:id', async (req, res) => res.json((await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`)).data));
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/main.ts', at: 'axios.get(', message: CALL }],
  }),
  invalidCase({
    name: 'OpenTelemetry NodeSDK without instrumentations propagates nothing (calls and server)',
    files: {
      'src/tracing.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';

new NodeSDK({ serviceName: 'orders' }).start();
`,
      'src/main.ts': `import './tracing';
import express from 'express';

const app = express();
app.get('/orders/:id', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.id}\`)).json()));
`,
    },
    errors: [
      { file: 'src/main.ts', at: 'express()', message: SERVER },
      { file: 'src/main.ts', at: 'fetch(', message: CALL },
    ],
  }),
  invalidCase({
    name: "the HTTP instrumentation alone does not instrument Node's global fetch (undici)",
    files: {
      'src/tracing.ts': `import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
`,
      'src/main.ts': `import './tracing';
import express from 'express';

const app = express();
app.get('/orders/:id', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.id}\`)).json()));
`,
    },
    options: CALLS_ONLY,
    errors: [{ file: 'src/main.ts', at: 'fetch(', message: CALL }],
  }),
  invalidCase({
    name: 'tracing set up in a shared library counts only for the services that import it',
    files: monorepo({
      'libs/telemetry/src/index.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';

export const sdk = new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] });
`,
      'services/orders/src/main.ts': `import { sdk } from '@acme/telemetry';
import express from 'express';

sdk.start();
const app = express();
app.get('/orders/:sku', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.sku}\`)).json()));
`,
      'services/checkout/src/main.ts': `import express from 'express';

const app = express();
app.get('/checkout/:sku', async (req, res) => res.json(await (await fetch(\`http://inventory:3000/stock/\${req.params.sku}\`)).json()));
`,
      'services/inventory/src/main.ts': port,
    }),
    options: CALLS_ONLY,
    errors: [{ file: 'services/checkout/src/main.ts', at: 'fetch(', message: CALL }],
  }),

  // ── broker messages ──
  invalidCase({
    name: 'kafkajs: inside eachMessage, a message without headers and a call without the ID',
    files: one(`import { Kafka } from 'kafkajs';

const kafka = new Kafka({ clientId: 'billing', brokers: ['kafka:9092'] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'billing' });

export async function start() {
  await consumer.run({
    eachMessage: async ({ message }) => {
      await producer.send({ topic: 'invoices.created', messages: [{ key: message.key, value: message.value }] });
      await fetch('http://ledger:3000/entries', { method: 'POST', body: message.value });
    },
  });
}
`),
    errors: [
      { at: 'producer.send(', message: /^`producer\.send\(\)` publishes a message without a correlation ID \(x-request-id, x-correlation-id, traceparent\) in its headers/ },
      { at: 'fetch(', message: CALL },
    ],
  }),
  invalidCase({
    name: 'kafkajs: only some of the messages carry the ID',
    files: one(`import { Kafka } from 'kafkajs';

const kafka = new Kafka({ brokers: ['kafka:9092'] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'billing' });

await consumer.run({
  eachMessage: async ({ message }) => {
    const requestId = message.headers?.['x-request-id']?.toString() ?? '';
    await producer.send({
      topic: 'invoices',
      messages: [
        { value: 'created', headers: { 'x-request-id': requestId } },
        { value: 'audit', headers: { source: 'billing' } },
      ],
    });
  },
});
`),
    errors: [{ at: 'producer.send(', message: MESSAGE }],
  }),
  invalidCase({
    name: 'amqplib: publish and sendToQueue without the ID, inside channel.consume',
    files: one(`import amqp from 'amqplib';

const connection = await amqp.connect('amqp://rabbit', { timeout: 5000 });
const channel = await connection.createChannel();

await channel.consume('orders', async (msg) => {
  if (!msg) return;
  channel.publish('events', 'order.accepted', msg.content, { persistent: true, headers: { source: 'orders' } });
  channel.sendToQueue('emails', msg.content);
  channel.ack(msg);
});
`),
    errors: [
      { at: 'channel.publish(', message: MESSAGE },
      { at: 'channel.sendToQueue(', message: MESSAGE },
    ],
  }),
  invalidCase({
    name: 'kafkajs: a message sent from an express handler (the server reads the ID)',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { Kafka } from 'kafkajs';
import { correlationMiddleware } from '@acme/correlation';

const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();

const app = express();
app.use(correlationMiddleware);
app.post('/orders', async (req, res) => {
  await producer.send({ topic: 'orders.placed', messages: [{ key: req.body.id, value: JSON.stringify(req.body) }] });
  res.status(202).end();
});
`,
    }),
    errors: [{ file: 'services/orders/src/main.ts', at: 'producer.send(', message: MESSAGE }],
  }),
  invalidCase({
    name: 'Nest ClientProxy.emit of a plain payload from a controller',
    files: one(`import { Controller, Inject, Post } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Controller('orders')
export class OrdersController {
  constructor(@Inject('EVENTS') private readonly events: ClientProxy) {}

  @Post()
  create() {
    return this.events.emit('order_placed', { id: '1' });
  }
}
`),
    errors: [{ at: 'this.events.emit(', message: MESSAGE }],
  }),

  // ── servers ──
  invalidCase({
    name: 'server: an express app with no correlation anywhere',
    files: one(`import express from 'express';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
`),
    errors: [{ at: 'express()', message: /^This express server never reads or creates a correlation ID \(x-request-id, x-correlation-id, traceparent\)/ }],
  }),
  invalidCase({
    name: 'server and call: an express app with no correlation anywhere calling another service',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.get('/orders/:id', async (req, res) => res.json((await axios.get(\`http://inventory:3000/stock/\${req.params.id}\`)).data));
app.listen(3000);
`),
    errors: [
      { at: 'express()', message: SERVER },
      { at: 'axios.get(', message: CALL },
    ],
  }),
  invalidCase({
    name: 'server: reported once per service, at the first server',
    files: {
      'src/app.ts': `import express from 'express';

export const app = express();
app.get('/orders', (_req, res) => res.json([]));
`,
      'src/main.ts': `import http from 'node:http';
import { app } from './app';

http.createServer(app).listen(3000);
`,
    },
    errors: [{ file: 'src/app.ts', at: 'express()', message: SERVER }],
  }),
  invalidCase({
    name: 'server: NestFactory.create( in a service without correlation is reported; fastify (which creates request.id itself) and the service with the shared middleware are not',
    files: monorepo({
      'libs/correlation/src/index.ts': correlationLib,
      'services/orders/src/main.ts': `import express from 'express';
import { correlationMiddleware } from '@acme/correlation';

const app = express();
app.use(correlationMiddleware);
app.listen(3000);
`,
      'services/inventory/src/main.ts': `import fastify from 'fastify';

const app = fastify({ logger: true });
app.get('/stock', async () => []);
await app.listen({ port: 3000 });
`,
      'services/payments/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();
`,
    }),
    errors: [
      { file: 'services/payments/src/main.ts', at: 'NestFactory.create(', message: /^This nest server/ },
    ],
  }),
  invalidCase({
    name: 'server: new Koa()',
    files: one(`import Koa from 'koa';

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = 'ok';
});
app.listen(3000);
`),
    errors: [{ at: 'new Koa()', message: /^This koa server/ }],
  }),
  invalidCase({
    name: 'server: a correlation header mentioned in another service does not count',
    files: monorepo({
      'services/orders/src/main.ts': `import express from 'express';

const app = express();
app.use((req, _res, next) => {
  req.headers['x-request-id'] ??= crypto.randomUUID();
  next();
});
app.listen(3000);
`,
      'services/checkout/src/main.ts': `import express from 'express';

const app = express();
app.get('/checkout', (_req, res) => res.end());
app.listen(3001);
`,
    }),
    errors: [{ file: 'services/checkout/src/main.ts', at: 'express()', message: SERVER }],
  }),
  invalidCase({
    name: 'server: correlationModules replaces the default list',
    files: one(`import express from 'express';
import rTracer from 'cls-rtracer';

const app = express();
app.use(rTracer.expressMiddleware());
app.listen(3000);
`),
    options: { correlationModules: ['@acme/request-context'] },
    errors: [{ at: 'express()', message: SERVER }],
  }),

  // ── options ──
  invalidCase({
    name: "headers: ['x-trace-id'] — x-request-id no longer counts, on the call or at the server",
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.use((req, _res, next) => {
  req.headers['x-request-id'] ??= crypto.randomUUID();
  next();
});
app.get('/stock/:sku', async (req, res) => {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${req.params.sku}\`, { headers: { 'x-request-id': String(req.headers['x-request-id']) } });
  res.json(data);
});
`),
    options: { headers: ['x-trace-id'] },
    errors: [
      { at: 'express()', message: /correlation ID \(x-trace-id\)/ },
      { at: 'axios.get(', message: /does not pass on its correlation ID \(x-trace-id\)/ },
    ],
  }),
  invalidCase({
    name: "kinds: ['rpc'] with thirdParty: a Nest ClientProxy.send whose target is not known",
    files: one(`import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';

@Controller('orders')
export class OrdersController {
  constructor(@Inject('ORDERS') private readonly client: ClientProxy) {}

  @Get(':id')
  find(@Param('id') id: string) {
    return this.client.send({ cmd: 'get_order' }, id);
  }
}
`),
    options: { kinds: ['rpc'], thirdParty: true, checkServers: false },
    errors: [{ at: 'this.client.send(', message: CALL }],
  }),
  invalidCase({
    name: "kinds: ['rpc'] — a Nest ClientProxy.send to a TCP microservice of the workspace",
    files: monorepo({
      'services/gateway/src/orders.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';

const orders = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: 'orders', port: 3001 } });

@Controller('orders')
export class OrdersController {
  @Get(':id')
  find(@Param('id') id: string) {
    return orders.send({ cmd: 'get_order' }, id);
  }
}
`,
      'services/orders/src/main.ts': port,
    }),
    options: { kinds: ['rpc'], checkServers: false },
    errors: [{ file: 'services/gateway/src/orders.controller.ts', at: 'orders.send(', message: CALL }],
  }),
  invalidCase({
    name: 'a suppression for another rule does not apply',
    files: one(`import express from 'express';
import axios from 'axios';

const app = express();
app.get('/legacy/:id', async (req, res) => {
  // breakwater-disable-next-line missing-timeout -- bounded by the mesh
  const { data } = await axios.get(\`http://erp:8080/orders/\${req.params.id}\`);
  res.json(data);
});
`),
    options: CALLS_ONLY,
    errors: [{ at: 'axios.get(', message: CALL }],
  }),
  invalidCase({
    name: 'a server made in a shared library that a service loads by name, where no service reads an ID',
    files: monorepo({
      ...apiMain(`module.exports = (req, res) => res.json({ ok: true });
`),
    }),
    errors: [{ file: 'libs/common/src/server.js', at: 'express()', message: SERVER }],
  }),
  invalidCase({
    name: 'a shared fetch helper (loaded by name) called from a handler module, to localhost unless the packet names a host',
    files: monorepo({
      ...apiMain(`const { fetch } = require('./common')(['fetch']);

module.exports = async (req, res) => {
  const { host = 'localhost' } = req.body;
  res.json(await fetch({ url: \`http://\${host}:5959/conduit\`, method: 'post', body: JSON.stringify(req.body) }));
};
`),
    }),
    options: CALLS_ONLY,
    errors: [{ file: 'services/api/src/forward.js', at: 'fetch({', message: CALL }],
  }),
  invalidCase({
    name: 'a helper that fills in missing headers, called without the ID',
    files: monorepo({
      'libs/http/src/index.ts': postJsonLib,
      'services/gateway/src/main.ts': `import express from 'express';
import { postJson } from '@acme/http';

const app = express();
app.post('/orders', async (req, res) => res.json(await postJson('http://orders:3000/orders', { body: JSON.stringify(req.body) })));
`,
    }),
    options: CALLS_ONLY,
    errors: [{ file: 'services/gateway/src/main.ts', at: "postJson('http://orders", message: CALL }],
  }),
  invalidCase({
    name: 'a host written as the default of a value known only at run time (`host || ...`)',
    files: one(`import express from 'express';

const app = express();
app.get('/stock', async (req, res) => {
  const host = req.query.host || 'inventory';
  res.json(await (await fetch(\`http://\${host}:3000/stock\`, { signal: AbortSignal.timeout(2000) })).json());
});
`),
    options: CALLS_ONLY,
    errors: [{ at: 'fetch(`http', message: CALL }],
  }),
];

runRuleTests('missing-correlation-id', { valid, invalid });
