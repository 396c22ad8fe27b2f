// cross-service-db-access: each service hides its database. Another service that connects to it (connection level),
// or imports the other service's code that reaches it (source level), is reported. A connection finding sits at the
// client's creating expression (`new Pool(`, `mongoose.connect(`, `new Redis(`); an import finding at the module
// specifier string (its opening quote).
import { invalidCase, runRuleTests, type InvalidCase, type RuleCase } from '../rule-tester';

/**
 * An npm workspace `shop`: `services/<name>` are services (`@shop/<name>`, with a start script), `libs/<name>` are
 * shared libraries (`@shop/<name>`). Every service named in `services` gets a `src/main.ts`, so it exists even when the
 * case writes no code for it.
 */
function monorepo(files: Record<string, string>, services: string[] = ['orders', 'shipping']): Record<string, string> {
  const all: Record<string, string> = { 'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*', 'libs/*'] }) };
  for (const name of services) all[`services/${name}/src/main.ts`] = `export const port = 3000;\n`;
  for (const file of [...Object.keys(files), ...Object.keys(all)]) {
    const match = /^(services|libs)\/([^/]+)\//.exec(file);
    if (!match) continue;
    const [, container, name] = match;
    all[`${container}/${name}/package.json`] =
      container === 'services'
        ? JSON.stringify({ name: `@shop/${name}`, private: true, scripts: { start: 'node dist/main.js' } })
        : JSON.stringify({ name: `@shop/${name}`, version: '1.0.0', main: 'dist/index.js' });
  }
  // The case's own files come last: its first source file is the default file of its findings.
  const ordered: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) ordered[file] = text;
  for (const [file, text] of Object.entries(all)) if (!(file in ordered)) ordered[file] = text;
  return ordered;
}

/** A docker-compose.yml at the root: each workspace service built from its folder, with the environment given. */
function compose(services: Record<string, { environment?: Record<string, string> | string[]; build?: string }>, extra = ''): string {
  const lines = ['services:'];
  for (const [name, { environment, build }] of Object.entries(services)) {
    lines.push(`  ${name}:`, `    build: ${build ?? `./services/${name}`}`);
    if (Array.isArray(environment)) lines.push('    environment:', ...environment.map((item) => `      - ${item}`));
    else if (environment) lines.push('    environment:', ...Object.entries(environment).map(([key, value]) => `      ${key}: ${value}`));
  }
  return `${lines.join('\n')}\n${extra}`;
}

const ORDERS_DB = 'connects to the database of the orders service';
const REACHES_ORDERS_DB = /imports '.*' from the orders service, which uses its database/;

// ── shared fixtures ──

/** `services/<name>/src/db.ts`: a pg pool on the URL in `variable`. */
const pgPool = (variable: string) => `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.${variable}, statement_timeout: 5000 });
`;

/** The orders service's data access: its pool, and a repository that queries through it. */
const ordersData = {
  'services/orders/src/db.ts': pgPool('ORDERS_DATABASE_URL'),
  'services/orders/src/repository.ts': `import { pool } from './db';

export async function findOrder(id: string) {
  const { rows } = await pool.query('select * from orders where id = $1', [id]);
  return rows[0];
}
`,
  'services/orders/src/money.ts': `export function formatCents(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}
`,
};

const valid: RuleCase[] = [
  {
    name: "each app's own tsconfig.app.json maps `@/*` to its own src, whatever the root's paths say",
    files: {
      'package.json': JSON.stringify({ name: 'nodes', private: true, workspaces: ['apps/*'] }),
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['apps/orders/src/*'] } } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }),
      'apps/orders/package.json': JSON.stringify({ name: 'orders', scripts: { start: 'next start' } }),
      'apps/orders/tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'apps/orders/tsconfig.app.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } }),
      'apps/orders/src/db.ts': `import { Pool } from 'pg';\nexport const db = new Pool({ connectionString: 'postgres://orders-db:5432/orders', statement_timeout: 5000 });\n`,
      'apps/orders/src/list.ts': `import { db } from '@/db';\nimport { rates } from '@/rates';\nexport const list = () => db.query('select * from orders').then(() => rates);\n`,
      'apps/orders/src/rates.ts': `export const rates = [1, 2];\n`,
      'apps/billing/package.json': JSON.stringify({ name: 'billing', scripts: { start: 'next start' } }),
      'apps/billing/tsconfig.app.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } }),
      'apps/billing/src/db.ts': `import { Pool } from 'pg';\nexport const db = new Pool({ connectionString: 'postgres://billing-db:5432/billing', statement_timeout: 5000 });\n`,
      'apps/billing/src/invoices.ts': `import { db } from '@/db';\nexport const invoices = () => db.query('select * from invoices');\n`,
    },
  },
  // ── a service using its own database ──
  {
    name: 'pg Pool in orders reading ORDERS_DATABASE_URL',
    files: monorepo({ 'services/orders/src/db.ts': pgPool('ORDERS_DATABASE_URL') }),
  },
  {
    name: 'literal postgres://orders-db:5432/orders used from orders',
    files: monorepo({
      'services/orders/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://app:secret@orders-db:5432/orders', statement_timeout: 5000 });
`,
    }),
  },
  {
    name: 'a URL whose database is named after orders, used from orders',
    files: monorepo({
      'services/orders/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://postgres:5432/orders' });
`,
    }),
  },
  {
    name: 'DATABASE_URL from docker-compose `environment` pointing at orders-db, read in orders',
    files: monorepo({
      'services/orders/src/db.ts': pgPool('DATABASE_URL'),
      'docker-compose.yml': compose({
        orders: { environment: { DATABASE_URL: 'postgres://app:secret@orders-db:5432/orders' } },
        shipping: { environment: { PORT: '3000' } },
      }),
    }),
  },
  {
    name: 'DATABASE_URL from a .env file in the orders folder, read in orders',
    files: monorepo({
      'services/orders/src/db.ts': pgPool('DATABASE_URL'),
      'services/orders/.env': `# local development\nDATABASE_URL="postgres://app:secret@orders-db:5432/orders"\n`,
    }),
  },
  {
    name: 'each service reads its own DATABASE_URL, and docker-compose points each at its own database',
    files: monorepo({
      'services/orders/src/db.ts': pgPool('DATABASE_URL'),
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'docker-compose.yml': compose({
        orders: { environment: ['DATABASE_URL=postgres://orders-db:5432/orders'] },
        shipping: { environment: ['DATABASE_URL=postgres://shipping-db:5432/shipping'] },
      }),
    }),
  },
  {
    name: 'mongoose.connect in orders to orders-mongo',
    files: monorepo({
      'services/orders/src/db.ts': `import mongoose from 'mongoose';

export const connection = mongoose.connect('mongodb://orders-mongo:27017/orders', { timeoutMS: 5000 });
`,
    }),
  },
  {
    name: 'MongoClient in orders reading ORDERS_MONGO_URL',
    files: monorepo({
      'services/orders/src/db.ts': `import { MongoClient } from 'mongodb';

export const mongo = new MongoClient(process.env.ORDERS_MONGO_URL as string, { timeoutMS: 5000 });
`,
    }),
  },
  {
    name: 'ioredis in orders reading ORDERS_REDIS_URL',
    files: monorepo({
      'services/orders/src/cache.ts': `import Redis from 'ioredis';

export const redis = new Redis(process.env.ORDERS_REDIS_URL as string, { commandTimeout: 500 });
`,
    }),
  },
  {
    name: 'node-redis in orders reading ORDERS_REDIS_URL',
    files: monorepo({
      'services/orders/src/cache.ts': `import { createClient } from 'redis';

export const redis = createClient({ url: process.env.ORDERS_REDIS_URL });
`,
    }),
  },

  // ── breakwater.json `databases` ──
  {
    name: 'databases: { reporting: analytics } — analytics uses its own reporting database',
    files: monorepo(
      {
        'services/analytics/src/db.ts': `import { Pool } from 'pg';

export const reporting = new Pool({ connectionString: 'postgres://warehouse:5432/reporting' });
`,
      },
      ['analytics', 'shipping'],
    ),
    config: { databases: { reporting: 'analytics' } },
  },
  {
    name: 'databases wins over the name: orders-db declared as shipping\'s is used by shipping',
    files: monorepo({
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://orders-db:5432/shipments' });
`,
    }),
    config: { databases: { 'orders-db': 'shipping' } },
  },
  {
    name: 'databases by environment variable: LEGACY_DATABASE_URL declared as shipping\'s',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('LEGACY_DATABASE_URL'),
    }),
    config: { databases: { LEGACY_DATABASE_URL: 'shipping' } },
  },
  {
    name: 'databases wins over an environment variable that names another service',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('ORDERS_EXPORT_DATABASE_URL'),
    }),
    config: { databases: { ORDERS_EXPORT_DATABASE_URL: 'shipping' } },
  },

  // ── option allow: databases shared by design ──
  {
    name: 'allow: a shared read replica, by environment variable',
    files: monorepo({
      ...ordersData,
      'services/shipping/src/replica.ts': pgPool('ORDERS_REPLICA_URL'),
    }),
    options: { allow: ['ORDERS_REPLICA_URL'] },
  },
  {
    name: 'allow: a shared database, by host',
    files: monorepo({
      'services/shipping/src/replica.ts': `import { Pool } from 'pg';

export const replica = new Pool({ connectionString: 'postgres://reader@orders-db:5432/orders' });
`,
    }),
    options: { allow: ['orders-db'] },
  },
  {
    name: 'allow: a shared database, by database name',
    files: monorepo({
      'services/shipping/src/replica.ts': `import { Pool } from 'pg';

export const replica = new Pool({ connectionString: 'postgres://reader@pg-replica:5432/orders' });
`,
    }),
    options: { allow: ['orders'] },
  },

  // ── owner cannot be told: silent ──
  {
    name: 'a database used by two services where nothing names an owner',
    files: monorepo({
      'services/orders/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://pg-main:5432/app' });
`,
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://pg-main:5432/app' });
`,
    }),
  },
  {
    name: 'two services read DATABASE_URL and nothing says what it holds',
    files: monorepo({
      'services/orders/src/db.ts': pgPool('DATABASE_URL'),
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
    }),
  },
  {
    name: 'local development: two services\' caches on localhost at different ports are different servers',
    files: monorepo({
      'services/orders/src/cache.ts': `import Redis from 'ioredis';

export const redis = new Redis(process.env.ORDERS_REDIS_URL as string, { commandTimeout: 500 });
`,
      'services/orders/.env': `ORDERS_REDIS_URL=redis://localhost:6379\n`,
      'services/shipping/src/cache.ts': `import Redis from 'ioredis';

export const redis = new Redis(process.env.REDIS_URL as string, { commandTimeout: 500 });
`,
      'services/shipping/.env': `REDIS_URL=redis://localhost:6380\n`,
    }),
  },
  {
    name: 'a .env.example is not the environment',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'services/shipping/.env.example': `DATABASE_URL=postgres://orders-db:5432/orders\n`,
    }),
  },
  {
    name: 'docker-compose environment of a compose service that is not built from a workspace folder',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'docker-compose.yml': compose({ 'shipping-worker': { build: './workers/shipping', environment: { DATABASE_URL: 'postgres://orders-db:5432/orders' } } }),
    }),
  },

  // ── source level ──
  {
    name: 'importing another service\'s pure helper (no database) is not this rule\'s concern',
    files: monorepo({
      'services/shipping/src/label.ts': `import { formatCents } from '../../orders/src/money';

export const label = (cents: number) => \`Shipping: \${formatCents(cents)}\`;
`,
      ...ordersData,
    }),
  },
  {
    name: 'a module of orders that sits next to the database code but does not import it',
    files: monorepo({
      'services/shipping/src/label.ts': `import { formatCents } from '@shop/orders/money';

export const label = (cents: number) => formatCents(cents);
`,
      ...ordersData,
    }),
  },
  {
    name: 'a type-only import from orders\' db module brings in no code',
    files: monorepo({
      'services/shipping/src/orders.ts': `import type { Pool } from '../../orders/src/db';

export type OrdersPool = Pool;
`,
      'services/orders/src/db.ts': `import { Pool } from 'pg';

export type { Pool };
export const pool = new Pool({ connectionString: process.env.ORDERS_DATABASE_URL, statement_timeout: 5000 });
`,
    }),
  },
  {
    name: 'a plain import whose names are only used as types (the compiler drops it): no code of orders is loaded',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { Order, OrderRow } from '../../orders/src/entities';

interface Shipment extends OrderRow { carrier: string }
export function describe(order: Order, shipment: Shipment): string {
  const copy = order as Order;
  return \`\${copy.id} by \${shipment.carrier}\`;
}
export type Orders = typeof Order[];
`,
      'services/orders/src/entities.ts': `import { pool } from './db';

export interface OrderRow { id: string }
export class Order { id = ''; static all() { return pool.query('select * from orders'); } }
`,
      ...ordersData,
    }),
  },
  {
    name: 'checkImports: false — an import of orders\' data access is not checked',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { findOrder } from '../../orders/src/repository';

export const orderFor = (id: string) => findOrder(id);
`,
      ...ordersData,
    }),
    options: { checkImports: false },
  },
  {
    name: 'a shared library (libs/db) with a pool, imported by two services: libraries are not services',
    files: monorepo({
      'libs/db/src/index.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });
export const query = (text: string, values: unknown[] = []) => pool.query(text, values);
`,
      'services/orders/src/repository.ts': `import { query } from '@shop/db';

export const findOrder = (id: string) => query('select * from orders where id = $1', [id]);
`,
      'services/shipping/src/repository.ts': `import { query } from '@shop/db';

export const findShipment = (id: string) => query('select * from shipments where id = $1', [id]);
`,
    }),
  },
  {
    name: 'a service importing its own database module',
    files: monorepo({
      ...ordersData,
      'services/orders/src/handler.ts': `import { findOrder } from './repository';
import { pool } from './db';

export const getOrder = (id: string) => findOrder(id);
export const health = () => pool.query('select 1');
`,
    }),
  },

  // ── suppression ──
  {
    name: 'suppressed with a justification',
    files: monorepo({
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

// breakwater-disable-next-line cross-service-db-access -- read-only migration job, removed after the split (SHOP-412)
export const legacy = new Pool({ connectionString: process.env.ORDERS_DATABASE_URL, statement_timeout: 5000 });
`,
    }),
  },
];

const invalid: InvalidCase[] = [
  // ── connection level: who owns the database ──
  invalidCase({
    name: 'pg Pool in shipping reading ORDERS_DATABASE_URL',
    files: monorepo({ 'services/shipping/src/db.ts': pgPool('ORDERS_DATABASE_URL') }),
    errors: [{ at: 'new Pool(', message: /`new Pool\(\)` in shipping connects to the database of the orders service \(ORDERS_DATABASE_URL\)[\s\S]*Why: its environment variable ORDERS_DATABASE_URL names orders/ }],
  }),
  invalidCase({
    name: 'literal postgres://orders-db:5432/orders used from shipping',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { Pool } from 'pg';

export const ordersDb = new Pool({ connectionString: 'postgres://app:secret@orders-db:5432/orders', statement_timeout: 5000 });
`,
    }),
    errors: [{ at: 'new Pool(', message: /connects to the database of the orders service \(orders\)[\s\S]*Why: its host orders-db names orders/ }],
  }),
  invalidCase({
    name: 'a URL whose only clue is the database name, used from shipping',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { Pool } from 'pg';

export const ordersDb = new Pool({ connectionString: 'postgres://postgres:5432/orders' });
`,
    }),
    errors: [{ at: 'new Pool(', message: /connects to the database of the orders service \(orders\)[\s\S]*Why: its database is named orders/ }],
  }),
  invalidCase({
    name: 'a host that is a compose service built from the orders folder',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { Pool } from 'pg';

export const ordersDb = new Pool({ connectionString: 'postgres://store:5432/app' });
`,
      'docker-compose.yml': compose({ store: { build: './services/orders' }, shipping: {} }),
    }),
    errors: [{ at: 'new Pool(', message: /connects to the database of the orders service \(app\)[\s\S]*Why: its host store names orders/ }],
  }),
  invalidCase({
    name: 'DATABASE_URL from docker-compose `environment` (map) pointing at orders-db, read in shipping',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'docker-compose.yml': compose({
        orders: { environment: { DATABASE_URL: 'postgres://orders-db:5432/orders' } },
        shipping: { environment: { DATABASE_URL: 'postgres://app:secret@orders-db:5432/orders', PORT: '3000' } },
      }),
    }),
    errors: [{ at: 'new Pool(', message: /in shipping connects to the database of the orders service \(orders\)[\s\S]*Why: its host orders-db names orders/ }],
  }),
  invalidCase({
    name: 'DATABASE_URL from docker-compose `environment` (list, build.context) pointing at orders-db, read in shipping',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'docker-compose.yml': `services:
  shipping:
    build:
      context: ./services/shipping
    environment:
      - PORT=3000
      - DATABASE_URL=postgres://orders-db:5432/orders
  orders-db:
    image: postgres:16
`,
    }),
    errors: [{ at: 'new Pool(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'DATABASE_URL from a .env file in the shipping folder pointing at orders-db',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'services/shipping/.env': `PORT=3000\nexport DATABASE_URL='postgres://app:secret@orders-db:5432/orders'\n`,
    }),
    errors: [{ at: 'new Pool(', message: /connects to the database of the orders service \(orders\)[\s\S]*Why: its host orders-db names orders/ }],
  }),
  invalidCase({
    name: 'DATABASE_URL from a .env.local file whose URL names only the database',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('DATABASE_URL'),
      'services/shipping/.env.local': `DATABASE_URL=postgres://localhost:5432/orders\n`,
    }),
    errors: [{ at: 'new Pool(', message: /\(orders\)[\s\S]*Why: its database is named orders/ }],
  }),
  invalidCase({
    name: 'a literal URL to the database another service\'s connection names: the same owner',
    files: monorepo({
      'services/orders/src/db.ts': pgPool('ORDERS_DATABASE_URL'),
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://pg-main:5432/app' });
`,
      'docker-compose.yml': compose({ orders: { environment: { ORDERS_DATABASE_URL: 'postgres://pg-main:5432/app' } }, shipping: {} }),
    }),
    errors: [{ file: 'services/shipping/src/db.ts', at: 'new Pool(', message: /connects to the database of the orders service \(app\)[\s\S]*Why: its environment variable ORDERS_DATABASE_URL names orders/ }],
  }),

  // ── other libraries ──
  invalidCase({
    name: 'mongoose.connect in shipping to orders-mongo',
    files: monorepo({
      'services/shipping/src/db.ts': `import mongoose from 'mongoose';

export const connection = mongoose.connect('mongodb://orders-mongo:27017/orders', { timeoutMS: 5000 });
`,
    }),
    errors: [{ at: 'mongoose.connect(', message: /`mongoose\.connect\(\)` in shipping connects to the database of the orders service/ }],
  }),
  invalidCase({
    name: 'MongoClient in shipping reading ORDERS_MONGO_URL',
    files: monorepo({
      'services/shipping/src/db.ts': `import { MongoClient } from 'mongodb';

export const mongo = new MongoClient(process.env.ORDERS_MONGO_URL as string, { timeoutMS: 5000 });
`,
    }),
    errors: [{ at: 'new MongoClient(', message: /connects to the database of the orders service \(ORDERS_MONGO_URL\)[\s\S]*Why: its environment variable ORDERS_MONGO_URL names orders/ }],
  }),
  invalidCase({
    name: 'ioredis in shipping reading ORDERS_REDIS_URL',
    files: monorepo({
      'services/shipping/src/cache.ts': `import Redis from 'ioredis';

export const redis = new Redis(process.env.ORDERS_REDIS_URL as string, { commandTimeout: 500 });
`,
    }),
    errors: [{ at: 'new Redis(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'ioredis in shipping to the orders-redis host',
    files: monorepo({
      'services/shipping/src/cache.ts': `import Redis from 'ioredis';

export const redis = new Redis('redis://orders-redis:6379', { commandTimeout: 500 });
`,
    }),
    errors: [{ at: 'new Redis(', message: /connects to the database of the orders service \(orders-redis\)[\s\S]*Why: its host orders-redis names orders/ }],
  }),
  invalidCase({
    name: 'node-redis createClient in shipping reading ORDERS_REDIS_URL',
    files: monorepo({
      'services/shipping/src/cache.ts': `import { createClient } from 'redis';

export const redis = createClient({ url: process.env.ORDERS_REDIS_URL });
`,
    }),
    errors: [{ at: 'createClient(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'mysql2 createPool in shipping to orders-db',
    files: monorepo({
      'services/shipping/src/db.ts': `import mysql from 'mysql2/promise';

export const pool = mysql.createPool('mysql://app@orders-db:3306/orders');
`,
    }),
    errors: [{ at: 'mysql.createPool(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'pg Pool in shipping configured with host and database options',
    files: monorepo({
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ host: 'orders-db', port: 5432, database: 'orders', user: 'app' });
`,
    }),
    errors: [{ at: 'new Pool(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'TypeORM DataSource in shipping reading ORDERS_DATABASE_URL',
    files: monorepo({
      'services/shipping/src/data-source.ts': `import { DataSource } from 'typeorm';

export const dataSource = new DataSource({ type: 'postgres', url: process.env.ORDERS_DATABASE_URL, extra: { statement_timeout: 5000 } });
`,
    }),
    errors: [{ at: 'new DataSource(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'knex in shipping reading ORDERS_DATABASE_URL',
    files: monorepo({
      'services/shipping/src/db.ts': `import knex from 'knex';

export const db = knex({ client: 'pg', connection: process.env.ORDERS_DATABASE_URL });
`,
    }),
    errors: [{ at: 'knex(', message: ORDERS_DB }],
  }),
  invalidCase({
    name: 'Prisma Client in shipping with the orders datasource URL',
    files: monorepo({
      'services/shipping/src/db.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({ datasources: { db: { url: process.env.ORDERS_DATABASE_URL } } });
`,
    }),
    errors: [{ at: 'new PrismaClient(', message: ORDERS_DB }],
  }),

  // ── breakwater.json `databases` ──
  invalidCase({
    name: 'databases: { reporting: analytics } — shipping connects to the reporting database',
    files: monorepo(
      {
        'services/shipping/src/reports.ts': `import { Pool } from 'pg';

export const reporting = new Pool({ connectionString: 'postgres://warehouse:5432/reporting' });
`,
        'services/analytics/src/db.ts': `import { Pool } from 'pg';

export const reporting = new Pool({ connectionString: 'postgres://warehouse:5432/reporting' });
`,
      },
      ['analytics', 'shipping'],
    ),
    config: { databases: { reporting: 'analytics' } },
    errors: [{ at: 'new Pool(', message: /connects to the database of the analytics service \(reporting\)[\s\S]*Why: breakwater\.json declares reporting as analytics's/ }],
  }),
  invalidCase({
    name: 'databases wins over the name: orders-db declared as shipping\'s, used by orders',
    files: monorepo({
      'services/orders/src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://orders-db:5432/orders' });
`,
    }),
    config: { databases: { 'orders-db': 'shipping' } },
    errors: [{ at: 'new Pool(', message: /`new Pool\(\)` in orders connects to the database of the shipping service/ }],
  }),

  // ── option allow covers only what it names ──
  invalidCase({
    name: 'allow lists the replica, not the primary',
    files: monorepo({
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

export const replica = new Pool({ connectionString: process.env.ORDERS_REPLICA_URL });
export const primary = new Pool({ connectionString: process.env.ORDERS_DATABASE_URL });
`,
    }),
    options: { allow: ['ORDERS_REPLICA_URL'] },
    errors: [{ at: 'new Pool(', nth: 1, message: /\(ORDERS_DATABASE_URL\)/ }],
  }),

  // ── source level: imports of another service's code that reaches its database ──
  invalidCase({
    name: 'relative import of orders\' db module that creates a pg Pool',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { pool } from '../../orders/src/db';

export const countOrders = () => pool.query('select count(*) from orders');
`,
      ...ordersData,
    }),
    errors: [{ at: "'../../orders/src/db'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'an import used as a value as well as a type: a class extended, a decorator argument, decorator metadata',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { Order } from '../../orders/src/entities';

export class Shipped extends Order { carrier = '' }
export const describe = (order: Order) => order.id;
`,
      'services/shipping/src/repository.ts': `import { Order } from '../../orders/src/entities';

function InjectRepository(entity: unknown) { return (..._args: unknown[]) => undefined; }
export class Orders {
  constructor(@InjectRepository(Order) private readonly repository: unknown) {}
}
`,
      'services/shipping/src/metadata.ts': `import { Order } from '../../orders/src/entities';

function Injectable() { return (..._args: unknown[]) => undefined; }
@Injectable()
export class OrderReader {
  // With emitDecoratorMetadata the parameter's type is emitted as a value.
  constructor(private readonly order: Order) {}
}
`,
      'services/orders/src/entities.ts': `import { pool } from './db';

export class Order { id = ''; static all() { return pool.query('select * from orders'); } }
`,
      ...ordersData,
    }),
    errors: [
      { file: 'services/shipping/src/metadata.ts', at: "'../../orders/src/entities'", message: REACHES_ORDERS_DB },
      { file: 'services/shipping/src/orders.ts', at: "'../../orders/src/entities'", message: REACHES_ORDERS_DB },
      { file: 'services/shipping/src/repository.ts', at: "'../../orders/src/entities'", message: REACHES_ORDERS_DB },
    ],
  }),
  invalidCase({
    name: 'workspace package name import (@shop/orders/db)',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { pool } from '@shop/orders/db';

export const countOrders = () => pool.query('select count(*) from orders');
`,
      ...ordersData,
    }),
    errors: [{ at: "'@shop/orders/db'", message: /shipping imports '@shop\/orders\/db' from the orders service, which uses its database \(pg\)/ }],
  }),
  invalidCase({
    name: 'tsconfig paths alias import of a module that imports the db module',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { findOrder } from '@orders/repository';

export const orderFor = (id: string) => findOrder(id);
`,
      'services/shipping/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@orders/*': ['../orders/src/*'] } } }),
      ...ordersData,
    }),
    errors: [{ at: "'@orders/repository'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'workspace package import of a module that queries through a shared library pool',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { findOrder } from '@shop/orders/repository';

export const orderFor = (id: string) => findOrder(id);
`,
      'libs/db/src/index.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });
`,
      'services/orders/src/repository.ts': `import { pool } from '@shop/db';

export async function findOrder(id: string) {
  const { rows } = await pool.query('select * from orders where id = $1', [id]);
  return rows[0];
}
`,
    }),
    errors: [{ at: "'@shop/orders/repository'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'workspace package root import whose index re-exports the db module',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { pool } from '@shop/orders';

export const countOrders = () => pool.query('select count(*) from orders');
`,
      'services/orders/src/index.ts': `export * from './db';
export { formatCents } from './money';
`,
      ...ordersData,
    }),
    errors: [{ at: "'@shop/orders'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'import of a module that queries through a shared library\'s query() helper',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { findOrder } from '@shop/orders/repository';

export const orderFor = (id: string) => findOrder(id);
`,
      'libs/db/src/index.ts': `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });

export const query = (text: string, values: unknown[] = []) => pool.query(text, values);
`,
      'services/orders/src/repository.ts': `import { query } from '@shop/db';

export const findOrder = (id: string) => query('select * from orders where id = $1', [id]);
`,
    }),
    errors: [{ at: "'@shop/orders/repository'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'CommonJS require of orders\' repository',
    files: monorepo({
      'services/shipping/src/orders.js': `const { findOrder } = require('../../orders/src/repository');

exports.orderFor = (id) => findOrder(id);
`,
      ...ordersData,
    }),
    errors: [{ at: "'../../orders/src/repository'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'only the import that reaches the database is reported, not the pure helper beside it',
    files: monorepo({
      'services/shipping/src/orders.ts': `import { formatCents } from '../../orders/src/money';
import { findOrder } from '../../orders/src/repository';

export const orderTotal = async (id: string) => formatCents((await findOrder(id)).total_cents);
`,
      ...ordersData,
    }),
    errors: [{ at: "'../../orders/src/repository'", message: REACHES_ORDERS_DB }],
  }),
  invalidCase({
    name: 'a connection and an import in the same service are both reported',
    files: monorepo({
      'services/shipping/src/db.ts': pgPool('ORDERS_DATABASE_URL'),
      'services/shipping/src/orders.ts': `import { findOrder } from '../../orders/src/repository';

export const orderFor = (id: string) => findOrder(id);
`,
      ...ordersData,
    }),
    errors: [
      { at: 'new Pool(', message: ORDERS_DB },
      { file: 'services/shipping/src/orders.ts', at: "'../../orders/src/repository'", message: REACHES_ORDERS_DB },
    ],
  }),

  // ── suppression ──
  invalidCase({
    name: 'a suppression for another rule does not apply',
    files: monorepo({
      'services/shipping/src/db.ts': `import { Pool } from 'pg';

// breakwater-disable-next-line missing-timeout -- short-lived job
export const legacy = new Pool({ connectionString: process.env.ORDERS_DATABASE_URL });
`,
    }),
    errors: [{ at: 'new Pool(', message: ORDERS_DB }],
  }),
];

// Kubernetes manifests give a service its environment like docker-compose does.
const k8sShipping = (url: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shipping
spec:
  template:
    spec:
      containers:
        - name: shipping
          image: ghcr.io/shop/shipping:1.4
          env:
            - name: DATABASE_URL
              value: ${url}
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: shipping-db, key: password } }
`;
invalid.push(
  invalidCase({
    name: 'DATABASE_URL from a Kubernetes Deployment points shipping at orders-db',
    files: monorepo({ 'services/shipping/src/db.ts': pgPool('DATABASE_URL'), 'k8s/shipping.yaml': k8sShipping('postgres://orders-db:5432/orders') }),
    errors: [{ file: 'services/shipping/src/db.ts', at: 'new Pool(', message: ORDERS_DB }],
  }),
);
valid.push({
  name: 'DATABASE_URL from a Kubernetes Deployment points shipping at its own database',
  files: monorepo({ 'services/shipping/src/db.ts': pgPool('DATABASE_URL'), 'deploy/k8s/shipping.yaml': `---\n${k8sShipping('postgres://shipping-db:5432/shipping')}` }),
});

valid.push(
  {
    name: 'a cache server shared as infrastructure: one service names it in its variable, another reads plain REDIS_URL',
    files: monorepo(
      {
        'services/inventory/src/cache.ts': `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.INVENTORY_REDIS_URL!, { commandTimeout: 500 });\n`,
        'services/shipping/src/cache.ts': `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 500 });\n`,
        'docker-compose.yml': compose({ inventory: { environment: { INVENTORY_REDIS_URL: 'redis://redis:6379' } }, shipping: { environment: { REDIS_URL: 'redis://redis:6379' } } }),
      },
      ['inventory', 'shipping'],
    ),
  },
  {
    name: "orders-worker uses the orders database: one bounded context, deployed apart",
    files: monorepo({ 'services/orders-worker/src/db.ts': pgPool('ORDERS_DATABASE_URL') }, ['orders', 'orders-worker']),
  },
  {
    name: 'an interface imported without `type` from another service brings in no code',
    files: monorepo({
      'services/orders/src/repository.ts': `import { Pool } from 'pg';\nconst pool = new Pool({ statement_timeout: 1000 });\nexport interface Order { id: string; total: number }\nexport const findOrder = (id: string) => pool.query('select 1', [id]);\n`,
      'services/shipping/src/total.ts': `import { Order } from '../../orders/src/repository';\nexport const total = (order: Order) => order.total;\n`,
    }),
  },
);

runRuleTests('cross-service-db-access', { valid, invalid });
