// Database and cache clients. Their timeouts belong on the pool or client, so that is where findings go.
import type { LibrarySpec, Operation, TypeSpec } from '../types';

const query: Operation = { does: 'request', optionsArgs: [0] };

// `pool.on('connect', client => client.query('SET statement_timeout …'))` may bound every query: we cannot see, so stay
// silent. A handler of any other event (`error`, `remove`) sets nothing.
const pgClient: TypeSpec = { members: { query, connect: { does: 'returns', type: 'PgClient' }, on: { does: 'intercept', whenFirstArg: ['connect', 'acquire'] } } };

export const pg: LibrarySpec = {
  id: 'pg',
  name: 'node-postgres (pg)',
  kind: 'database',
  modules: ['pg', 'pg-pool'],
  module: {
    construct: { does: 'create', type: 'PgClient', role: 'pool', optionsArgs: [0] },
    members: {
      Pool: { does: 'create', type: 'PgClient', role: 'pool', optionsArgs: [0] },
      Client: { does: 'create', type: 'PgClient', role: 'connection', optionsArgs: [0] },
    },
  },
  types: { PgClient: pgClient },
  timeout: {
    options: [
      { path: ['statement_timeout'], bounds: 'request', none: [0] },
      { path: ['query_timeout'], bounds: 'request', none: [0] },
      { path: ['connectionTimeoutMillis'], bounds: 'connect', none: [0] },
    ],
    urlParameters: [
      // pg-connection-string passes query parameters on as startup parameters; the JS client ignores connect_timeout.
      { option: ['connectionString'], pattern: 'statement_timeout(=|%3D)[1-9]', bounds: 'request' },
      { option: ['options'], pattern: 'statement_timeout\\s*=\\s*[1-9]', bounds: 'request' },
    ],
    default: { bounded: false, detail: 'pg has no connection or query timeout by default (connectionTimeoutMillis: 0, no statement_timeout or query_timeout)' },
    fixAt: 'client',
    fix: 'set `statement_timeout` (or `query_timeout`) and `connectionTimeoutMillis`',
    insert: { key: 'statement_timeout', value: '{ms}' },
  },
  source: 'node-postgres packages/pg/lib/defaults.js (statement_timeout, query_timeout: false), lib/client.js (connectionTimeoutMillis: 0 = none), pg-connection-string index.js (URL parameters become config)',
};

const mysqlPool: TypeSpec = {
  members: {
    // `pool.on('connection', conn => conn.query('SET SESSION max_execution_time …'))` may bound every query.
    on: { does: 'intercept', whenFirstArg: ['connection', 'acquire'] },
    query,
    execute: query,
    getConnection: { does: 'returns', type: 'MysqlPool' },
    promise: { does: 'returns', type: 'MysqlPool' },
  },
};

export const mysql2: LibrarySpec = {
  id: 'mysql2',
  name: 'mysql2',
  kind: 'database',
  modules: ['mysql2', 'mysql2/promise', 'mysql'],
  module: {
    members: {
      createPool: { does: 'create', type: 'MysqlPool', role: 'pool', optionsArgs: [0], urlArg: 0 },
      createConnection: { does: 'create', type: 'MysqlPool', role: 'connection', optionsArgs: [0], urlArg: 0 },
      createPoolCluster: { does: 'create', type: 'MysqlPool', role: 'pool', optionsArgs: [0] },
    },
  },
  types: { MysqlPool: mysqlPool },
  timeout: {
    // mysql2 has no pool-wide query timeout: each query takes `{ sql, timeout }`.
    options: [
      { path: ['timeout'], bounds: 'request', none: [0] },
      { path: ['connectTimeout'], bounds: 'connect' },
    ],
    default: { bounded: false, detail: 'mysql2 queries have no timeout by default (only connecting is bounded, at 10 s); pass { sql, timeout } per query' },
    fixAt: 'client',
    fix: 'pass `{ sql, timeout: ms }` to each query',
  },
  source: 'mysql2 lib/connection_config.js (connectTimeout 10000), lib/commands/query.js (per-query timeout); no pool-level query timeout',
};

const mongoTimeouts = [
  { path: ['timeoutMS'], bounds: 'request' as const, none: [0] },
  { path: ['socketTimeoutMS'], bounds: 'request' as const, none: [0] },
  { path: ['serverSelectionTimeoutMS'], bounds: 'connect' as const },
  { path: ['connectTimeoutMS'], bounds: 'connect' as const },
];
const mongoUrlTimeouts = [
  { option: ['$url'], pattern: '(timeoutMS|socketTimeoutMS)=[1-9]', bounds: 'request' as const },
];

const mongoCollection: TypeSpec = { otherMembers: { does: 'request', optionsArgs: [] }, exceptMembers: ['collectionName', 'dbName', 'namespace'] };

export const mongodb: LibrarySpec = {
  id: 'mongodb',
  name: 'MongoDB Node driver',
  kind: 'database',
  modules: ['mongodb'],
  module: {
    members: {
      MongoClient: { does: 'is', type: 'MongoClientClass' },
    },
  },
  types: {
    MongoClientClass: {
      construct: { does: 'create', type: 'MongoClient', role: 'pool', urlArg: 0, optionsArgs: [1] },
      members: { connect: { does: 'create', type: 'MongoClient', role: 'pool', urlArg: 0, optionsArgs: [1] } },
    },
    MongoClient: { members: { db: { does: 'returns', type: 'MongoDb' }, connect: { does: 'returns', type: 'MongoClient' } } },
    MongoDb: { members: { collection: { does: 'returns', type: 'MongoCollection' } } },
    MongoCollection: mongoCollection,
  },
  timeout: {
    options: mongoTimeouts,
    urlParameters: mongoUrlTimeouts,
    default: { bounded: false, detail: "the MongoDB driver's operations have no timeout by default (socketTimeoutMS: 0, no timeoutMS)" },
    fixAt: 'client',
    fix: 'set `timeoutMS` (driver 6.11+) or `socketTimeoutMS`',
    insert: { key: 'socketTimeoutMS', value: '{ms}' },
  },
  source: 'mongodb src/connection_string.ts (socketTimeoutMS 0, connectTimeoutMS 30000, serverSelectionTimeoutMS 30000, timeoutMS unset)',
};

export const mongoose: LibrarySpec = {
  id: 'mongoose',
  name: 'Mongoose',
  kind: 'database',
  modules: ['mongoose', '@nestjs/mongoose'],
  module: {
    members: {
      connect: { does: 'create', type: 'MongooseConnection', role: 'pool', urlArg: 0, optionsArgs: [1] },
      createConnection: { does: 'create', type: 'MongooseConnection', role: 'pool', urlArg: 0, optionsArgs: [1] },
      // @nestjs/mongoose
      MongooseModule: { does: 'is', type: 'MongooseModule' },
    },
  },
  types: {
    MongooseConnection: {},
    MongooseModule: { members: { forRoot: { does: 'create', type: 'MongooseConnection', role: 'pool', urlArg: 0, optionsArgs: [1] } } },
  },
  timeout: {
    options: mongoTimeouts,
    urlParameters: mongoUrlTimeouts,
    default: { bounded: false, detail: "Mongoose passes no operation timeout to the MongoDB driver by default (socketTimeoutMS: 0, no timeoutMS)" },
    fixAt: 'client',
    fix: 'set `timeoutMS` (driver 6.11+) or `socketTimeoutMS` in the connection options',
    insert: { key: 'socketTimeoutMS', value: '{ms}' },
  },
  source: 'mongoose docs/connections.md (options are passed to the MongoDB driver)',
};

/** An ioredis connection: every command is a call, but for its own housekeeping. */
const ioredisConnection: TypeSpec = { otherMembers: { does: 'request', optionsArgs: [] }, exceptMembers: ['on', 'once', 'off', 'quit', 'disconnect', 'duplicate', 'pipeline', 'multi', 'status', 'options', 'defineCommand'] };

export const ioredis: LibrarySpec = {
  id: 'ioredis',
  name: 'ioredis',
  kind: 'cache',
  modules: ['ioredis'],
  module: {
    construct: { does: 'create', type: 'Redis', role: 'connection', optionsArgs: 'last-object', urlArg: 0 },
    members: {
      Redis: { does: 'create', type: 'Redis', role: 'connection', optionsArgs: 'last-object', urlArg: 0 },
      Cluster: { does: 'create', type: 'Redis', role: 'connection', optionsArgs: [1] },
    },
  },
  types: { Redis: ioredisConnection },
  timeout: {
    options: [
      { path: ['commandTimeout'], bounds: 'request', none: [0] },
      // A Cluster takes its nodes' options in `redisOptions`.
      { path: ['redisOptions', 'commandTimeout'], bounds: 'request', none: [0] },
      { path: ['connectTimeout'], bounds: 'connect' },
    ],
    default: { bounded: false, detail: 'ioredis commands have no timeout by default (no commandTimeout)' },
    fixAt: 'client',
    fix: 'set `commandTimeout` (ms)',
    insert: { key: 'commandTimeout', value: '{ms}' },
  },
  source: 'ioredis lib/redis/RedisOptions.ts (commandTimeout unset, connectTimeout 10000, maxRetriesPerRequest 20; null queues forever)',
};

export const nodeRedis: LibrarySpec = {
  id: 'redis',
  name: 'node-redis',
  kind: 'cache',
  modules: ['redis', '@redis/client'],
  module: {
    members: {
      createClient: { does: 'create', type: 'RedisClient', role: 'connection', optionsArgs: [0] },
      createCluster: { does: 'create', type: 'RedisClient', role: 'connection', optionsArgs: [0] },
    },
  },
  types: { RedisClient: { otherMembers: { does: 'request', optionsArgs: [] }, exceptMembers: ['on', 'once', 'off', 'connect', 'quit', 'disconnect', 'duplicate', 'multi', 'isOpen', 'isReady'] } },
  timeout: {
    options: [
      { path: ['socket', 'socketTimeout'], bounds: 'request', none: [0] },
      { path: ['commandOptions', 'timeout'], bounds: 'request', none: [0] },
      { path: ['socket', 'connectTimeout'], bounds: 'connect' },
    ],
    default: { bounded: false, detail: 'node-redis commands have no timeout by default' },
    fixAt: 'client',
    fix: 'set `commandOptions: { timeout: ms }` (node-redis 5.6+) or `socket.socketTimeout`',
  },
  source: 'node-redis packages/client/lib/client/socket.ts (connectTimeout 5000, socketTimeout unset), commands-queue.ts (v5.6+ commandOptions.timeout, unset)',
};

/** TypeORM, Prisma, knex: the ORM opens the pool, so its configuration is where a query timeout goes. */
export const typeorm: LibrarySpec = {
  id: 'typeorm',
  name: 'TypeORM',
  kind: 'database',
  modules: ['typeorm', '@nestjs/typeorm'],
  module: {
    members: {
      DataSource: { does: 'create', type: 'DataSource', role: 'pool', optionsArgs: [0] },
      createConnection: { does: 'create', type: 'DataSource', role: 'pool', optionsArgs: [0] },
      TypeOrmModule: { does: 'is', type: 'TypeOrmModule' },
    },
  },
  types: {
    DataSource: { members: { query } },
    TypeOrmModule: {
      members: {
        forRoot: { does: 'create', type: 'DataSource', role: 'pool', optionsArgs: [0] },
        forRootAsync: { does: 'create', type: 'DataSource', role: 'pool', optionsArgs: [0] },
      },
    },
  },
  timeout: {
    options: [
      { path: ['extra', 'statement_timeout'], bounds: 'request', none: [0] },
      { path: ['extra', 'query_timeout'], bounds: 'request', none: [0] },
      { path: ['extra', 'socketTimeoutMS'], bounds: 'request', none: [0] },
      // type: 'mongodb' takes the driver's options at the top level.
      { path: ['socketTimeoutMS'], bounds: 'request', none: [0] },
      { path: ['timeoutMS'], bounds: 'request', none: [0] },
      { path: ['connectTimeoutMS'], bounds: 'connect' },
      { path: ['extra', 'connectionTimeoutMillis'], bounds: 'connect' },
    ],
    default: { bounded: false, detail: 'TypeORM passes no query timeout to the database driver by default' },
    fixAt: 'client',
    fix: 'set `extra: { statement_timeout: ms }` (Postgres) or a per-query timeout',
  },
  inProcessWhen: { option: ['type'], values: ['sqlite', 'better-sqlite3', 'sqljs', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native'] },
  source: 'TypeORM docs/data-source-options.md (`extra` goes to the driver pool; maxQueryExecutionTime only logs)',
};

export const prisma: LibrarySpec = {
  id: 'prisma',
  name: 'Prisma Client',
  kind: 'database',
  modules: ['@prisma/client'],
  module: { members: { PrismaClient: { does: 'create', type: 'PrismaClient', role: 'pool', optionsArgs: [0] } } },
  types: { PrismaClient: {} },
  timeout: {
    // Prisma takes its query timeout from the datasource URL (`socket_timeout`), usually from the environment:
    // without a literal URL the verdict stays unknown.
    options: [],
    urlParameters: [{ option: ['datasources', 'db', 'url'], pattern: 'socket_timeout=[1-9]', bounds: 'request' }],
    onlyInUrl: true,
    default: { bounded: false, detail: 'Prisma queries have no timeout unless the datasource URL sets socket_timeout' },
    fixAt: 'client',
    fix: 'add `socket_timeout` to the datasource URL',
  },
  source: 'Prisma docs "Connection URLs" (socket_timeout: none by default; connect_timeout 5 s; pool_timeout 10 s)',
};

export const knex: LibrarySpec = {
  id: 'knex',
  name: 'knex',
  kind: 'database',
  modules: ['knex'],
  module: {
    call: { does: 'create', type: 'Knex', role: 'pool', optionsArgs: [0] },
    members: { knex: { does: 'create', type: 'Knex', role: 'pool', optionsArgs: [0] } },
  },
  types: { Knex: {} },
  timeout: {
    options: [
      { path: ['connection', 'statement_timeout'], bounds: 'request', none: [0] },
      { path: ['connection', 'query_timeout'], bounds: 'request', none: [0] },
      { path: ['acquireConnectionTimeout'], bounds: 'connect' },
    ],
    // `pool.afterCreate` may run `SET statement_timeout` on every connection: we cannot see inside it.
    unknowableOptions: ['pool.afterCreate'],
    default: { bounded: false, detail: 'knex queries have no timeout by default (only acquiring a connection is bounded, at 60 s)' },
    fixAt: 'client',
    fix: 'set `connection.statement_timeout` or call `.timeout(ms)` on queries',
  },
  inProcessWhen: { option: ['client'], values: ['sqlite3', 'better-sqlite3', 'sqlite'] },
  source: 'knex lib/client.js (acquireConnectionTimeout 60000), lib/query/querybuilder.js (per-query .timeout(ms))',
};

/** `RedisModule.forRoot({ type: 'single', url, options })` of @nestjs-modules/ioredis: an ioredis connection made by Nest. */
export const nestIoredis: LibrarySpec = {
  id: '@nestjs-modules/ioredis',
  name: 'NestJS RedisModule (@nestjs-modules/ioredis)',
  kind: 'cache',
  modules: ['@nestjs-modules/ioredis'],
  module: { members: { RedisModule: { does: 'is', type: 'RedisModule' } } },
  types: {
    RedisModule: {
      members: {
        forRoot: { does: 'create', type: 'Redis', role: 'connection', optionsArgs: [0] },
        // forRootAsync({ useFactory: () => options }): the factory's return value is the options.
        forRootAsync: { does: 'create', type: 'Redis', role: 'connection', optionsArgs: [0] },
      },
    },
    Redis: ioredisConnection,
  },
  timeout: {
    options: [
      { path: ['options', 'commandTimeout'], bounds: 'request', none: [0] },
      { path: ['options', 'connectTimeout'], bounds: 'connect' },
    ],
    default: { bounded: false, detail: 'the ioredis connection it makes has no command timeout by default (no commandTimeout)' },
    fixAt: 'client',
    fix: 'set `options: { commandTimeout: ms }`',
  },
  source: '@nestjs-modules/ioredis lib/redis.utils.ts (new Redis(url, options) from RedisModuleOptions), ioredis lib/redis/RedisOptions.ts (commandTimeout unset)',
};

/** postgres.js: `const sql = postgres(url, options)`, queries as tagged templates (`sql\`select …\``). */
export const postgresJs: LibrarySpec = {
  id: 'postgres',
  name: 'postgres.js',
  kind: 'database',
  modules: ['postgres'],
  module: { call: { does: 'create', type: 'Sql', role: 'pool', optionsArgs: [1, 0], urlArg: 0 } },
  types: { Sql: { call: { does: 'request', optionsArgs: [] }, members: { unsafe: { does: 'request', optionsArgs: [] }, begin: { does: 'request', optionsArgs: [] } } } },
  timeout: {
    options: [
      // Server parameters sent at connect: `connection: { statement_timeout: 5000 }` bounds every query.
      { path: ['connection', 'statement_timeout'], bounds: 'request', none: [0] },
      { path: ['connect_timeout'], bounds: 'connect', unit: 's' },
    ],
    default: { bounded: false, detail: 'postgres.js has no query timeout by default (connect_timeout 30 s bounds only connecting)' },
    fixAt: 'client',
    fix: 'set `connection: { statement_timeout: ms }`',
  },
  source: 'postgres README "Connection details" (idle_timeout 0, connect_timeout 30, connection: server parameters such as statement_timeout; no query timeout option)',
};
