// shared-connection-pool: one limiter, or one agent with a total socket cap, shared by calls to several downstreams.
// Findings sit at the creating expression of the limiter or agent.
import { invalidCase, monorepo, runRuleTests, type InvalidCase, type RuleCase } from '../rule-tester';

const one = (code: string) => ({ 'src/index.ts': code });

const TWO = /is shared by calls to 2 downstreams \((inventory, pricing|pricing, inventory)\)/;
const TWO_HOSTS = /is shared by calls to 2 hosts \((inventory, pricing|pricing, inventory)\)/;

/** A generic wrapper: where it goes is decided by each caller. */
const rpcLib = `export async function rpc<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return (await res.json()) as T;
}
`;

const valid: RuleCase[] = [
  // ── limiters with one downstream ──
  {
    name: 'p-limit used for one downstream only',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const inventoryLimit = pLimit(10);

export const stock = (sku: string) => inventoryLimit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const reserve = (sku: string) => inventoryLimit(() => axios.post('http://inventory:3000/reservations', { sku }));
`),
  },
  {
    name: 'one p-limit per downstream',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const inventoryLimit = pLimit(10);
const pricingLimit = pLimit(10);

export const stock = (sku: string) => inventoryLimit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => pricingLimit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
  },
  {
    name: 'p-queue used for one downstream (a batch job)',
    files: one(`import got from 'got';
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 4 });

export async function syncAll(skus: string[]) {
  await Promise.all(skus.map((sku) => queue.add(() => got.put(\`http://inventory:3000/stock/\${sku}\`, { json: { sync: true } }))));
}
`),
  },
  {
    name: 'bottleneck used for one third-party API',
    files: one(`import axios from 'axios';
import Bottleneck from 'bottleneck';

const stripeLimiter = new Bottleneck({ maxConcurrent: 5, minTime: 20 });

export const charge = (amount: number) => stripeLimiter.schedule(() => axios.post('https://api.stripe.com/v1/charges', { amount }));
export const refund = (id: string) => stripeLimiter.schedule({ priority: 1 }, () => axios.post('https://api.stripe.com/v1/refunds', { charge: id }));
`),
  },
  {
    name: 'cockatiel bulkhead per downstream',
    files: one(`import { bulkhead } from 'cockatiel';

const inventoryBulkhead = bulkhead(10, 50);
const pricingBulkhead = bulkhead(10, 50);

export const stock = (sku: string) => inventoryBulkhead.execute(() => fetch(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => pricingBulkhead.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`),
  },
  {
    name: 'two hosts of one workspace service are one downstream',
    files: monorepo({
      'services/orders/src/index.ts': `import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const reserve = (sku: string) => limit(() => axios.post('http://inventory-service:3000/reservations', { sku }));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
    }),
  },
  {
    name: 'a generic rpc wrapper whose only limited caller goes to one downstream',
    files: {
      'src/rpc.ts': rpcLib,
      'src/index.ts': `import pLimit from 'p-limit';
import { rpc } from './rpc';

const inventoryLimit = pLimit(5);

export const stock = (sku: string) => inventoryLimit(() => rpc(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => rpc(\`http://pricing:3000/quotes/\${sku}\`);
`,
    },
  },
  {
    name: 'a limiter in a shared library is one per process: each service limits one downstream',
    files: monorepo({
      'libs/limits/src/index.ts': `import pLimit from 'p-limit';

export const outbound = pLimit(20);
`,
      'services/orders/src/index.ts': `import axios from 'axios';
import { outbound } from '@acme/limits';

export const stock = (sku: string) => outbound(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
`,
      'services/checkout/src/index.ts': `import { outbound } from '@acme/limits';

export const quote = (sku: string) => outbound(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
  },

  // ── targets that cannot be resolved prove nothing ──
  {
    name: 'calls whose targets cannot be resolved are not counted',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';
import { endpoints } from '@corp/config';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const proxy = (url: string) => limit(() => axios.get(url));
export const other = () => limit(() => fetch(endpoints.pricing));
`),
  },

  // ── policies that are not limiters ──
  {
    name: 'an opossum breaker without capacity is not a limiter',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const breaker = new CircuitBreaker((url: string) => axios.get(url), { timeout: 3000 });

export const stock = (sku: string) => breaker.fire(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => breaker.fire(\`http://pricing:3000/quotes/\${sku}\`);
`),
  },
  {
    name: 'cockatiel retry and breaker shared by two downstreams (no bulkhead)',
    files: one(`import { circuitBreaker, ConsecutiveBreaker, handleAll, retry, wrap } from 'cockatiel';

const policy = wrap(retry(handleAll, { maxAttempts: 2 }), circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }));

export const stock = (sku: string) => policy.execute(() => fetch(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => policy.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`),
  },

  // ── agents: per-origin caps are per origin ──
  {
    name: 'http.Agent with maxSockets shared by two hosts through axios httpAgent (maxSockets is per origin)',
    files: one(`import axios from 'axios';
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

const inventory = axios.create({ baseURL: 'http://inventory:3000', httpAgent: agent, timeout: 2000 });
const pricing = axios.create({ baseURL: 'http://pricing:3000', httpAgent: agent, timeout: 2000 });

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
export const quote = (sku: string) => pricing.get(\`/quotes/\${sku}\`);
`),
  },
  {
    name: 'http.Agent with maxTotalSockets used for one host',
    files: one(`import axios from 'axios';
import http from 'node:http';

const inventoryAgent = new http.Agent({ keepAlive: true, maxTotalSockets: 100 });
const inventory = axios.create({ baseURL: 'http://inventory:3000', httpAgent: inventoryAgent, timeout: 2000 });

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
export const reserve = (sku: string) => inventory.post('/reservations', { sku });
`),
  },
  {
    name: 'one agent with maxTotalSockets per host',
    files: one(`import http from 'node:http';

const inventoryAgent = new http.Agent({ maxTotalSockets: 50 });
const pricingAgent = new http.Agent({ maxTotalSockets: 50 });

export const stock = (sku: string) => http.get(\`http://inventory:3000/stock/\${sku}\`, { agent: inventoryAgent, signal: AbortSignal.timeout(2000) });
export const quote = (sku: string) => http.get(\`http://pricing:3000/quotes/\${sku}\`, { agent: pricingAgent, signal: AbortSignal.timeout(2000) });
`),
  },
  {
    name: 'undici Agent connections are per origin',
    files: one(`import { Agent, fetch } from 'undici';

const dispatcher = new Agent({ connections: 20, headersTimeout: 2000, bodyTimeout: 2000 });

export const stock = (sku: string) => fetch(\`http://inventory:3000/stock/\${sku}\`, { dispatcher });
export const quote = (sku: string) => fetch(\`http://pricing:3000/quotes/\${sku}\`, { dispatcher });
`),
  },
  {
    name: 'http.Agent with maxTotalSockets whose calls have unresolvable targets',
    files: one(`import http from 'node:http';

const agent = new http.Agent({ maxTotalSockets: 100 });

export const get = (url: string) => http.get(url, { agent });
export const stock = (sku: string) => http.get(\`http://inventory:3000/stock/\${sku}\`, { agent });
`),
  },

  // ── options ──
  {
    name: 'minDownstreams: 3 allows a limiter shared by two',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
    options: { minDownstreams: 3 },
  },
  {
    name: 'suppressed at the limiter with a justification',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

// breakwater-disable-next-line shared-connection-pool -- nightly export, both downstreams are read replicas
const limit = pLimit(4);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
  },
];

const batchFiles = {
  'src/db.ts': `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });
`,
  'src/main.ts': `import express from 'express';
import { pool } from './db';
const app = express();
app.use((req, _res, next) => { req.headers['x-request-id'] ??= 'id'; next(); });
app.get('/orders/:id', async (req, res) => res.json((await pool.query('select * from orders where id = $1', [req.params.id])).rows));
app.listen(3000);
`,
  'src/jobs/monthly-report.ts': `import { pool } from '../db';
export async function monthlyReport() {
  return pool.query('select customer_id, sum(total) from orders group by customer_id');
}
`,
};

const invalid: InvalidCase[] = [
  invalidCase({
    name: 'an aggregator: one limiter inside its own wrapper, around a shared fetch helper, for calls to two services',
    files: {
      'src/http.ts': `export async function fetchJson({ url }: { url: string }) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.json();
}
`,
      'src/upstream.ts': `import pLimit from 'p-limit';
import { fetchJson } from './http';

const upstreamLimit = pLimit(8);

async function getUpstreamJson({ url }: { service: string; url: string }) {
  return upstreamLimit(() => fetchJson({ url }));
}

export const price = (id: string) => getUpstreamJson({ service: 'pricing', url: \`\${process.env.PRICING_URL}/price/\${id}\` });
export const stock = (id: string) => getUpstreamJson({ service: 'inventory', url: \`\${process.env.INVENTORY_URL}/stock/\${id}\` });
`,
    },
    errors: [{ file: 'src/upstream.ts', at: 'pLimit(8)', message: /is shared by calls to 2 downstreams \((INVENTORY_URL, PRICING_URL|PRICING_URL, INVENTORY_URL)\)/ }],
  }),
  // ── one limiter, two downstreams ──
  invalidCase({
    name: 'p-limit shared by two downstreams: reported at pLimit()',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'pLimit(10)', message: /One limiter \(`pLimit\(\)`, a cap of 10\) is shared by calls to 2 downstreams/ }],
  }),
  invalidCase({
    name: 'p-queue shared by two downstreams',
    files: one(`import got from 'got';
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 8 });

export const stock = (sku: string) => queue.add(() => got(\`http://inventory:3000/stock/\${sku}\`).json());
export const quote = (sku: string) => queue.add(() => got(\`http://pricing:3000/quotes/\${sku}\`).json());
`),
    errors: [{ at: 'new PQueue(', message: /`new PQueue\(\)`, a cap of 8\)/ }],
  }),
  invalidCase({
    name: 'bottleneck shared by two downstreams, through schedule() and wrap()',
    files: one(`import axios from 'axios';
import Bottleneck from 'bottleneck';

const limiter = new Bottleneck({ maxConcurrent: 5 });

async function quote(sku: string) {
  return axios.get(\`http://pricing:3000/quotes/\${sku}\`);
}

export const stock = (sku: string) => limiter.schedule(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const limitedQuote = limiter.wrap(quote);
`),
    errors: [{ at: 'new Bottleneck(', message: TWO }],
  }),
  invalidCase({
    name: 'cockatiel bulkhead shared by two downstreams',
    files: one(`import { bulkhead } from 'cockatiel';

const outbound = bulkhead(10, 50);

export const stock = (sku: string) => outbound.execute(() => fetch(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => outbound.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'bulkhead(10', message: TWO }],
  }),
  invalidCase({
    name: 'cockatiel wrap(bulkhead, breaker) shared by two downstreams: reported at wrap()',
    files: one(`import { bulkhead, circuitBreaker, ConsecutiveBreaker, handleAll, wrap } from 'cockatiel';

const policy = wrap(bulkhead(10), circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }));

export const stock = (sku: string) => policy.execute(() => fetch(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => policy.execute(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'wrap(', message: /a cap of 10\) is shared by calls to 2 downstreams/ }],
  }),
  invalidCase({
    name: 'async.queue whose worker calls two downstreams',
    files: one(`import async from 'async';

type Task = { kind: 'stock' | 'quote'; sku: string };

const worker = async (task: Task) =>
  task.kind === 'stock' ? fetch(\`http://inventory:3000/stock/\${task.sku}\`) : fetch(\`http://pricing:3000/quotes/\${task.sku}\`);

export const tasks = async.queue(worker, 4);
`),
    errors: [{ at: 'async.queue(', message: /a cap of 4\)/ }],
  }),
  invalidCase({
    name: 'opossum breaker with capacity shared by two downstreams',
    files: one(`import axios from 'axios';
import CircuitBreaker from 'opossum';

const breaker = new CircuitBreaker((url: string) => axios.get(url), { timeout: 3000, capacity: 10 });

export const stock = (sku: string) => breaker.fire(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => breaker.fire(\`http://pricing:3000/quotes/\${sku}\`);
`),
    errors: [{ at: 'new CircuitBreaker(', message: /`new CircuitBreaker\(\)`, a cap of 10\)/ }],
  }),
  invalidCase({
    name: 'targets named by environment variables count as downstreams',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`\${process.env.INVENTORY_URL}/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`\${process.env.PRICING_URL}/quotes/\${sku}\`));
`),
    errors: [{ at: 'pLimit(', message: /2 downstreams \((INVENTORY_URL, PRICING_URL|PRICING_URL, INVENTORY_URL)\)/ }],
  }),
  invalidCase({
    name: 'a limiter with a cap from config (cap unknown)',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(Number(process.env.OUTBOUND_CONCURRENCY));

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'pLimit(', message: /One limiter \(`pLimit\(\)`\) is shared/ }],
  }),

  // ── reached through other functions and files ──
  invalidCase({
    name: 'limiter reached through client functions in other files',
    files: {
      'src/limit.ts': `import pLimit from 'p-limit';

export const limit = pLimit(20);
`,
      'src/clients/inventory.ts': `import axios from 'axios';

export async function loadStock(sku: string) {
  const { data } = await axios.get(\`http://inventory:3000/stock/\${sku}\`);
  return data;
}
`,
      'src/clients/pricing.ts': `import got from 'got';

export const loadQuote = (sku: string) => got(\`http://pricing:3000/quotes/\${sku}\`).json();
`,
      'src/index.ts': `import { limit } from './limit';
import { loadStock } from './clients/inventory';
import { loadQuote } from './clients/pricing';

export const stock = (sku: string) => limit(() => loadStock(sku));
export const quote = (sku: string) => limit(() => loadQuote(sku));
`,
    },
    errors: [{ file: 'src/limit.ts', at: 'pLimit(', message: TWO }],
  }),
  invalidCase({
    name: 'limiter reached through a project wrapper limited(fn)',
    files: {
      'src/limited.ts': `import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 10 });

export function limited<T>(fn: () => Promise<T>): Promise<T> {
  return queue.add(fn) as Promise<T>;
}
`,
      'src/index.ts': `import axios from 'axios';
import { limited } from './limited';

export const stock = (sku: string) => limited(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limited(() => fetch(\`http://pricing:3000/quotes/\${sku}\`));
`,
    },
    errors: [{ file: 'src/limited.ts', at: 'new PQueue(', message: TWO }],
  }),
  invalidCase({
    name: 'limiter around calls of a generic rpc(url) wrapper',
    files: {
      'src/rpc.ts': rpcLib,
      'src/index.ts': `import pLimit from 'p-limit';
import { rpc } from './rpc';

const limit = pLimit(5);

export const stock = (sku: string) => limit(() => rpc(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => rpc(\`http://pricing:3000/quotes/\${sku}\`));
`,
    },
    errors: [{ file: 'src/index.ts', at: 'pLimit(', message: TWO }],
  }),
  invalidCase({
    name: 'limiter inside a generic rpc(url) wrapper whose callers reach two downstreams',
    files: {
      'src/rpc.ts': `import pLimit from 'p-limit';

const limit = pLimit(16);

export function rpc<T>(url: string): Promise<T> {
  return limit(async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).json() as Promise<T>);
}
`,
      'src/index.ts': `import { rpc } from './rpc';

export const stock = (sku: string) => rpc(\`http://inventory:3000/stock/\${sku}\`);
export const quote = (sku: string) => rpc(\`http://pricing:3000/quotes/\${sku}\`);
`,
    },
    errors: [{ file: 'src/rpc.ts', at: 'pLimit(', message: TWO }],
  }),
  invalidCase({
    name: 'a shared-library limiter used by one service for two downstreams (reported in the library, once)',
    files: monorepo({
      'libs/limits/src/index.ts': `import pLimit from 'p-limit';

export const outbound = pLimit(20);
`,
      'services/orders/src/index.ts': `import axios from 'axios';
import { outbound } from '@acme/limits';

export const stock = (sku: string) => outbound(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => outbound(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
    errors: [{ file: 'libs/limits/src/index.ts', at: 'pLimit(', message: TWO }],
  }),
  invalidCase({
    name: 'in a workspace, downstreams are named by service',
    files: monorepo({
      'services/orders/src/index.ts': `import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`\${process.env.INVENTORY_URL}/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get('http://pricing-service:3000/quotes'));
`,
      'services/inventory/src/main.ts': `export const port = 3000;`,
      'services/pricing/src/main.ts': `export const port = 3000;`,
    }),
    errors: [{ file: 'services/orders/src/index.ts', at: 'pLimit(', message: TWO }],
  }),

  // ── agents with a total cap ──
  invalidCase({
    name: 'http.Agent with maxTotalSockets shared by two hosts through axios httpAgent',
    files: one(`import axios from 'axios';
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 20, maxTotalSockets: 100 });

const inventory = axios.create({ baseURL: 'http://inventory:3000', httpAgent: agent, timeout: 2000 });
const pricing = axios.create({ baseURL: 'http://pricing:3000', httpAgent: agent, timeout: 2000 });

export const stock = (sku: string) => inventory.get(\`/stock/\${sku}\`);
export const quote = (sku: string) => pricing.get(\`/quotes/\${sku}\`);
`),
    errors: [{ at: 'new http.Agent(', message: /The agent created by `new http\.Agent\(\)` caps sockets in total \(maxTotalSockets of 100 sockets\) and is shared by calls to 2 hosts/ }],
  }),
  invalidCase({
    name: 'http.Agent with maxTotalSockets shared by two hosts through the node:http agent option',
    files: one(`import * as http from 'node:http';

const agent = new http.Agent({ maxTotalSockets: 64 });

export const stock = (sku: string) => http.get(\`http://inventory:3000/stock/\${sku}\`, { agent, signal: AbortSignal.timeout(2000) });
export const quote = (sku: string) => http.get(\`http://pricing:3000/quotes/\${sku}\`, { agent, signal: AbortSignal.timeout(2000) });
`),
    errors: [{ at: 'new http.Agent(', message: TWO_HOSTS }],
  }),
  invalidCase({
    name: 'http.Agent with maxTotalSockets on axios calls directly (httpAgent in the call config)',
    files: one(`import axios from 'axios';
import { Agent } from 'http';

const agent = new Agent({ maxTotalSockets: 32 });

export const stock = (sku: string) => axios.get(\`http://inventory:3000/stock/\${sku}\`, { httpAgent: agent });
export const quote = (sku: string) => axios.get(\`http://pricing:3000/quotes/\${sku}\`, { httpAgent: agent });
`),
    errors: [{ at: 'new Agent(', message: TWO_HOSTS }],
  }),
  invalidCase({
    name: 'agent in another module with maxTotalSockets, shared by got clients',
    files: {
      'src/agent.ts': `import https from 'node:https';

export const sharedAgent = new https.Agent({ keepAlive: true, maxTotalSockets: 50 });
`,
      'src/index.ts': `import got from 'got';
import { sharedAgent } from './agent';

export const stock = (sku: string) => got(\`https://inventory:3000/stock/\${sku}\`, { agent: { https: sharedAgent } }).json();
export const quote = (sku: string) => got(\`https://pricing:3000/quotes/\${sku}\`, { agent: { https: sharedAgent } }).json();
`,
    },
    errors: [{ file: 'src/agent.ts', at: 'new https.Agent(', message: TWO_HOSTS }],
  }),

  // ── options ──
  invalidCase({
    name: 'minDownstreams: 3 reports a limiter shared by three',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
export const rates = (zip: string) => limit(() => axios.get(\`http://shipping:3000/rates/\${zip}\`));
`),
    options: { minDownstreams: 3 },
    errors: [{ at: 'pLimit(', message: 'is shared by calls to 3 downstreams' }],
  }),
  invalidCase({
    name: 'a suppression for another rule does not apply',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

// breakwater-disable-next-line unguarded-downstream-call
const limit = pLimit(10);

export const stock = (sku: string) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`));
export const quote = (sku: string) => limit(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`));
`),
    errors: [{ at: 'pLimit(', message: TWO }],
  }),
];

valid.push(
  {
    name: 'a rate limiter with no concurrency cap (p-queue intervalCap, Bottleneck minTime) holds no slot while a call is slow',
    files: one(`import axios from 'axios';
import PQueue from 'p-queue';
import Bottleneck from 'bottleneck';

const queue = new PQueue({ intervalCap: 100, interval: 10_000 });
const limiter = new Bottleneck({ minTime: 100 });
export const a = () => queue.add(() => axios.get('http://inventory:3000/a', { timeout: 1000 }));
export const b = () => queue.add(() => axios.get('http://pricing:3000/b', { timeout: 1000 }));
export const c = () => limiter.schedule(() => axios.get('http://inventory:3000/c', { timeout: 1000 }));
export const d = () => limiter.schedule(() => axios.get('http://pricing:3000/d', { timeout: 1000 }));
`),
  },
  {
    name: 'a limiter factory makes one limiter per downstream',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const makeLimiter = (n: number) => pLimit(n);
const inventory = makeLimiter(5);
const pricing = makeLimiter(2);
export const a = () => inventory(() => axios.get('http://inventory:3000/a', { timeout: 1000 }));
export const b = () => pricing(() => axios.get('http://pricing:3000/b', { timeout: 1000 }));
`),
  },
  {
    name: 'an agent with maxTotalSockets: Infinity (Node\'s default) caps nothing',
    files: one(`import http from 'node:http';
import axios from 'axios';

const agent = new http.Agent({ keepAlive: true, maxTotalSockets: Infinity });
export const a = () => axios.get('http://inventory:3000/a', { timeout: 1000, httpAgent: agent });
export const b = () => axios.get('http://pricing:3000/b', { timeout: 1000, httpAgent: agent });
`),
  },
  { name: 'separateBatchPools off (the default): a pool shared by handlers and a job is not reported', files: batchFiles },
  {
    name: 'separateBatchPools: a job with its own pool',
    files: {
      ...batchFiles,
      'src/jobs/monthly-report.ts': `import { Pool } from 'pg';
const reports = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 600000, max: 2 });
export async function monthlyReport() {
  return reports.query('select customer_id, sum(total) from orders group by customer_id');
}
`,
    },
    options: { separateBatchPools: true },
  },
);
invalid.push(
  invalidCase({
    name: 'separateBatchPools: one pool for handlers and a report job',
    files: batchFiles,
    options: { separateBatchPools: true },
    errors: [{ file: 'src/db.ts', at: 'new Pool(', message: 'serves both request handlers and batch jobs: give the jobs a pool of their own', related: ['src/jobs/monthly-report.ts:3'] }],
  }),
);


// Limiters made by a factory: each call of the factory makes one limiter, so each module-level call is one instance.
const limiterFactory = `import Bottleneck from 'bottleneck';

function createLimiter(options: { maxConcurrent: number }, prefix: string) {
  const max = Number(process.env[\`\${prefix}_MAX\`] ?? options.maxConcurrent);
  return new Bottleneck({ maxConcurrent: max, minTime: 10 });
}

export const LIMITERS = {
  inventory: createLimiter({ maxConcurrent: 10 }, 'INVENTORY'),
  pricing: createLimiter({ maxConcurrent: 4 }, 'PRICING'),
  shared: createLimiter({ maxConcurrent: 8 }, 'SHARED'),
};
`;
valid.push(
  {
    name: 'a Bottleneck factory called once per downstream at module level: each limiter, kept in an object, serves one downstream',
    files: {
      'src/limits.ts': limiterFactory,
      'src/stock.ts': `import axios from 'axios';
import { LIMITERS } from './limits';
export const stock = (sku: string) => LIMITERS.inventory.schedule(() => axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }));
export const reserve = (sku: string) => LIMITERS.inventory.schedule(() => axios.post('http://inventory:3000/reservations', { sku }, { timeout: 1000 }));
`,
      'src/quote.ts': `import axios from 'axios';
import { LIMITERS } from './limits';
export const quote = (sku: string) => LIMITERS.pricing.schedule(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`, { timeout: 1000 }));
`,
    },
  },
  {
    name: 'a factory-made limiter reached by one known downstream and calls whose targets are only known at run time',
    files: {
      'src/limits.ts': limiterFactory,
      'src/use.ts': `import axios from 'axios';
import { LIMITERS } from './limits';
export const stock = (sku: string) => LIMITERS.shared.schedule(() => axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }));
export const hook = (url: string) => LIMITERS.shared.schedule(() => axios.post(url, {}, { timeout: 1000 }));
`,
    },
  },
  {
    name: 'a limiter factory called per request makes a limiter per call, not a shared one',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const makeLimiter = (n: number) => pLimit(n);
export async function handler(skus: string[]) {
  const limit = makeLimiter(4);
  await Promise.all(skus.map((sku) => limit(() => axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }))));
  await limit(() => axios.get('http://pricing:3000/quotes', { timeout: 1000 }));
}
`),
  },
);
valid.push({
  name: 'a limiter picked among several at run time (one per downstream) runs code that branches on the same choice',
  files: one(`import axios from 'axios';
import Bottleneck from 'bottleneck';

const inventoryLimiter = new Bottleneck({ maxConcurrent: 10 });
const pricingLimiter = new Bottleneck({ maxConcurrent: 4 });
const limiterFor = (service: string) => (service === 'pricing' ? pricingLimiter : inventoryLimiter);

export function lookup(service: string, sku: string) {
  return limiterFor(service).schedule(() =>
    service === 'pricing'
      ? axios.get(\`http://pricing:3000/quotes/\${sku}\`, { timeout: 1000 })
      : axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }),
  );
}
`),
});
invalid.push(
  invalidCase({
    name: 'a Bottleneck made by a factory called at module level, kept in an object and shared by two downstreams: reported at the factory call',
    files: {
      'src/limits.ts': limiterFactory,
      'src/use.ts': `import axios from 'axios';
import { LIMITERS } from './limits';
export const stock = (sku: string) => LIMITERS.shared.schedule(() => axios.get(\`http://inventory:3000/stock/\${sku}\`, { timeout: 1000 }));
export const quote = (sku: string) => LIMITERS.shared.schedule(() => axios.get(\`http://pricing:3000/quotes/\${sku}\`, { timeout: 1000 }));
export const only = (sku: string) => LIMITERS.inventory.schedule(() => axios.get(\`http://inventory:3000/only/\${sku}\`, { timeout: 1000 }));
`,
    },
    errors: [{ file: 'src/limits.ts', at: "createLimiter({ maxConcurrent: 8 }", message: TWO }],
  }),
  invalidCase({
    name: 'a module-level limiter from a p-limit factory shared by two downstreams',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const makeLimiter = (n: number) => pLimit(n);
const limit = makeLimiter(4);
export const a = () => limit(() => axios.get('http://inventory:3000/a', { timeout: 1000 }));
export const b = () => limit(() => axios.get('http://pricing:3000/b', { timeout: 1000 }));
`),
    errors: [{ at: 'makeLimiter(4)', message: TWO }],
  }),
);

// Limiters handed in through parameters (dependency injection): each caller's object says which limiter runs the work.
const injectedLimits = `import Bottleneck from 'bottleneck';
export const LIMITERS = {
  inventory: new Bottleneck({ maxConcurrent: 10 }),
  pricing: new Bottleneck({ maxConcurrent: 4 }),
  play: new Bottleneck({ maxConcurrent: 8 }),
};
`;
const injectedMain = `import { LIMITERS } from './limits';
import { registerRoutes } from './routes';
registerRoutes({ LIMITERS, prefix: '/api' });
`;
valid.push({
  name: 'limiters injected through a parameter, one per downstream',
  files: {
    'src/limits.ts': injectedLimits,
    'src/main.ts': injectedMain,
    'src/routes.ts': `import axios from 'axios';
export function registerRoutes({ LIMITERS, prefix }: { LIMITERS: any; prefix: string }) {
  const stock = (sku: string) => LIMITERS.inventory.schedule(() => axios.get(\`http://inventory:3000\${prefix}/stock/\${sku}\`, { timeout: 1000 }));
  const quote = (sku: string) => LIMITERS.pricing.schedule(() => axios.get(\`http://pricing:3000\${prefix}/quotes/\${sku}\`, { timeout: 1000 }));
  return { stock, quote };
}
`,
  },
});
invalid.push(
  invalidCase({
    name: 'a limiter injected through a parameter (destructured) and shared by two downstreams',
    files: {
      'src/limits.ts': injectedLimits,
      'src/main.ts': injectedMain,
      'src/routes.ts': `import axios from 'axios';
export function registerRoutes({ LIMITERS, prefix }: { LIMITERS: any; prefix: string }) {
  const stock = (sku: string) => LIMITERS.play.schedule(() => axios.get(\`http://inventory:3000\${prefix}/stock/\${sku}\`, { timeout: 1000 }));
  const quote = (sku: string) => LIMITERS.play.schedule(() => axios.get(\`http://pricing:3000\${prefix}/quotes/\${sku}\`, { timeout: 1000 }));
  return { stock, quote };
}
`,
    },
    errors: [{ file: 'src/limits.ts', at: 'new Bottleneck({ maxConcurrent: 8 })', message: TWO }],
  }),
  invalidCase({
    name: 'a limiter injected through a parameter and used in functions nested in the receiver (an IIFE, a returned function)',
    files: {
      'src/limits.ts': injectedLimits,
      'src/main.ts': injectedMain,
      'src/routes.ts': `import axios from 'axios';
export function registerRoutes({ LIMITERS }: { LIMITERS: any }) {
  async function build(service: string, sku: string) {
    const task = (async () => {
      await LIMITERS.play.schedule(async () => {
        if (service === 'pricing') return axios.post('http://pricing:3000/quotes', { sku }, { timeout: 1000 });
        return axios.post('http://inventory:3000/reservations', { sku }, { timeout: 1000 });
      });
    })();
    return task;
  }
  return { build };
}
`,
    },
    errors: [{ file: 'src/limits.ts', at: 'new Bottleneck({ maxConcurrent: 8 })', message: TWO }],
  }),
);

// Class clients that build their URLs with `new URL(path, this.baseUrl)` and call an injected fetch (`this.fetchImpl`).
const urlClient = (name: string, host: string) => `const DEFAULT_BASE_URL = 'https://${host}';
export class ${name} {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  constructor(config?: { baseUrl?: string; fetch?: typeof fetch }) {
    this.baseUrl = config?.baseUrl ?? DEFAULT_BASE_URL;
    this.fetchImpl = config?.fetch ?? fetch;
  }
  async get(path: string): Promise<unknown> {
    return this.fetchJson(new URL(\`/v1/\${path}\`, this.baseUrl));
  }
  private async fetchJson(url: URL): Promise<unknown> {
    const response = await this.fetchImpl(url.toString(), { signal: AbortSignal.timeout(5000) });
    return response.json();
  }
}
`;
valid.push({
  name: 'class clients building URLs with new URL(path, this.baseUrl): one limiter each',
  files: {
    'src/data-api.ts': urlClient('DataApiClient', 'data-api.example.com'),
    'src/clob.ts': urlClient('ClobClient', 'clob.example.com'),
    'src/service.ts': `import pLimit from 'p-limit';
import { DataApiClient } from './data-api';
import { ClobClient } from './clob';
const dataLimit = pLimit(4);
const clobLimit = pLimit(4);
const data = new DataApiClient();
const clob = new ClobClient();
export const trades = (id: string) => dataLimit(() => data.get(\`trades/\${id}\`));
export const market = (id: string) => clobLimit(() => clob.get(\`markets/\${id}\`));
`,
  },
});
invalid.push(
  invalidCase({
    name: 'one limiter for two class clients that build their URLs with new URL(path, this.baseUrl)',
    files: {
      'src/data-api.ts': urlClient('DataApiClient', 'data-api.example.com'),
      'src/clob.ts': urlClient('ClobClient', 'clob.example.com'),
      'src/service.ts': `import pLimit from 'p-limit';
import { DataApiClient } from './data-api';
import { ClobClient } from './clob';
const upstreamLimit = pLimit(4);
const data = new DataApiClient();
const clob = new ClobClient();
export const trades = (id: string) => upstreamLimit(() => data.get(\`trades/\${id}\`));
export const market = (id: string) => upstreamLimit(() => clob.get(\`markets/\${id}\`));
`,
    },
    errors: [{ file: 'src/service.ts', at: 'pLimit(4)', message: /is shared by calls to 2 downstreams \((data-api.example.com, clob.example.com|clob.example.com, data-api.example.com)\)/ }],
  }),
);

// Work read from each item of a literal list (`ENGINES.map((engine) => runEngine(engine))`, then `engine.fn()` under
// the limiter): the list says which functions run, each with its own host.
const enginesList = (items: string) => `import axios from 'axios';
import pLimit from 'p-limit';

const engineLimit = pLimit(8);

async function searchNyaa(q: string) { return axios.get(\`https://nyaa.example/search?q=\${q}\`, { timeout: 1000 }); }
async function searchYts(q: string) { return axios.get(\`https://yts.example/api?q=\${q}\`, { timeout: 1000 }); }
async function searchMirror(q: string) { return axios.get(\`https://nyaa.example/mirror?q=\${q}\`, { timeout: 1000 }); }

const ENGINES = [${items}];

async function runEngine(engine: { name: string; fn: (q: string) => Promise<unknown> }, q: string) {
  return engineLimit(async () => engine.fn(q));
}

export async function search(q: string) {
  return Promise.all(ENGINES.map((engine) => runEngine(engine, q)));
}
`;
valid.push(
  {
    name: 'a limiter running a function of each item of a literal list, every item calling the same host',
    files: one(enginesList(`{ name: 'nyaa', fn: searchNyaa }, { name: 'mirror', fn: searchMirror }`)),
  },
  {
    name: 'a limiter running a function its callers hand in, when the callers pass functions from a parameter',
    files: one(`import axios from 'axios';
import pLimit from 'p-limit';

const engineLimit = pLimit(8);
export async function searchNyaa(q: string) { return axios.get(\`https://nyaa.example/search?q=\${q}\`, { timeout: 1000 }); }
export async function searchYts(q: string) { return axios.get(\`https://yts.example/api?q=\${q}\`, { timeout: 1000 }); }

async function runEngine(engine: { fn: (q: string) => Promise<unknown> }, q: string) {
  return engineLimit(async () => engine.fn(q));
}

export async function search(engines: Array<{ fn: (q: string) => Promise<unknown> }>, q: string) {
  return Promise.all(engines.map((engine) => runEngine(engine, q)));
}
`),
  },
);
invalid.push(
  invalidCase({
    name: 'a limiter running a function of each item of a literal list of objects, each item with its own host',
    files: one(enginesList(`{ name: 'nyaa', fn: searchNyaa }, { name: 'yts', fn: searchYts }`)),
    errors: [{ at: 'pLimit(8)', message: /is shared by calls to 2 downstreams \((nyaa.example, yts.example|yts.example, nyaa.example)\)/ }],
  }),
);

// A limiter and the work it runs both handed in by the caller (`guarded(name, limiter, factory)` running
// `limiter.schedule(() => Promise.resolve().then(factory))`): each caller's limiter runs that caller's work only.
const guardedCall = `export async function guarded(name: string, limiter: any, factory: () => Promise<unknown>) {
  const safe = limiter && typeof limiter.schedule === 'function' ? limiter : { schedule: (task: () => Promise<unknown>) => task() };
  return safe.schedule(() => Promise.resolve().then(factory));
}
`;
const scraperModule = (host: string) => `import axios from 'axios';
export const name = '${host}';
export async function searchMagnet(q: string) { return axios.get(\`https://${host}/search?q=\${q}\`, { timeout: 1000 }); }
`;
const scraperLimits = `import Bottleneck from 'bottleneck';
export const LIMITERS = {
  scraper: new Bottleneck({ maxConcurrent: 40 }),
  indexer: new Bottleneck({ maxConcurrent: 8 }),
};
`;
const scraperMain = (modules: string) => `import axios from 'axios';
import { LIMITERS } from './limits';
import { guarded } from './guarded';
const SCRAPERS = [${modules}];
export async function find(queries: string[]) {
  const scrapers = [...SCRAPERS].sort((a, b) => a.name.localeCompare(b.name));
  const tasks: Array<Promise<unknown>> = [];
  queries.forEach((q) => scrapers.forEach((scraper) => {
    tasks.push(guarded(scraper.name, LIMITERS.scraper, () => scraper.searchMagnet(q)));
  }));
  tasks.push(guarded('indexer', LIMITERS.indexer, () => axios.get('https://indexer.example/q', { timeout: 1000 })));
  return Promise.all(tasks);
}
`;
valid.push({
  name: 'limiters handed in with the work they run: each limiter runs one downstream',
  files: {
    'src/limits.ts': scraperLimits,
    'src/guarded.ts': guardedCall,
    'src/nyaa.ts': scraperModule('nyaa.example'),
    'src/main.ts': scraperMain(`require('./nyaa')`),
  },
});
invalid.push(
  invalidCase({
    name: 'a limiter handed in with the work it runs, the work calling a method of each module of a literal list',
    files: {
      'src/limits.ts': scraperLimits,
      'src/guarded.ts': guardedCall,
      'src/nyaa.ts': scraperModule('nyaa.example'),
      'src/yts.ts': scraperModule('yts.example'),
      'src/main.ts': scraperMain(`require('./nyaa'), require('./yts')`),
    },
    errors: [{ file: 'src/limits.ts', at: 'new Bottleneck({ maxConcurrent: 40 })', message: /is shared by calls to 2 downstreams \((nyaa.example, yts.example|yts.example, nyaa.example)\)/ }],
  }),
);

runRuleTests('shared-connection-pool', { valid, invalid });
