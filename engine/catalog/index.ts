// The catalog: every client library Breakwater knows, as data, plus the in-house clients a team declares in
// breakwater.json. Adding a library means adding an entry under libraries/, not editing rules.
import type { InHouseClient } from '../config/config';
import type { LibrarySpec, Operation, TypeSpec } from './types';
import { axios, globalFetch, got, httpProxy, httpProxyMiddleware, ky, nestAxios, nodeFetch, nodeHttp, superagent, undici } from './libraries/http';
import { grpcJs, nestMicroservices } from './libraries/grpc';
import { ioredis, knex, mongodb, mongoose, mysql2, nestIoredis, nodeRedis, pg, postgresJs, prisma, typeorm } from './libraries/databases';
import { amqplib, kafkajs } from './libraries/brokers';
import { express, fastify, koa, koaRouter, nestCommon, nestCore, openTelemetry } from './libraries/servers';
import { asyncQueue, bottleneck, cockatiel, opossum, pLimit, pQueue } from './libraries/resilience';
import { awsSdkV3, octokit, slackWebApi, stripe } from './libraries/sdks';

export type { LibrarySpec, TypeSpec, Operation, TimeoutSpec, TimeoutOption, PolicySpec } from './types';

export const BUILT_IN_LIBRARIES: readonly LibrarySpec[] = [
  globalFetch,
  nodeFetch,
  axios,
  got,
  ky,
  superagent,
  undici,
  nodeHttp,
  nestAxios,
  stripe,
  octokit,
  slackWebApi,
  awsSdkV3,
  httpProxyMiddleware,
  httpProxy,
  grpcJs,
  nestMicroservices,
  pg,
  postgresJs,
  mysql2,
  mongodb,
  mongoose,
  ioredis,
  nestIoredis,
  nodeRedis,
  typeorm,
  prisma,
  knex,
  kafkajs,
  amqplib,
  opossum,
  cockatiel,
  pLimit,
  pQueue,
  bottleneck,
  asyncQueue,
  express,
  fastify,
  koa,
  koaRouter,
  nestCommon,
  nestCore,
  openTelemetry,
];

/** Libraries that decide how long a call may wait: clients with a timeout, and policies that can bound a call. */
export function affectsTimeouts(library: LibrarySpec): boolean {
  return !!library.timeout || JSON.stringify([library.module, library.types ?? {}]).includes('"timeoutOption"');
}

export interface Catalog {
  libraries: readonly LibrarySpec[];
  /** The library an import specifier loads (`axios`, `mysql2/promise`, `node:https`). */
  forModule(specifier: string): LibrarySpec | undefined;
  /** The library a global name stands for (`fetch`). */
  forGlobal(name: string): LibrarySpec | undefined;
  /** A named type of a library; `undefined` name means the module itself. */
  type(library: LibrarySpec, name: string | undefined): TypeSpec | undefined;
}

export function createCatalog(inHouse: readonly InHouseClient[] = []): Catalog {
  const libraries = [...inHouse.map(inHouseLibrary), ...BUILT_IN_LIBRARIES];
  const byModule = new Map<string, LibrarySpec>();
  const byGlobal = new Map<string, LibrarySpec>();
  for (const library of libraries) {
    for (const specifier of library.modules) if (!byModule.has(specifier)) byModule.set(specifier, library);
    for (const name of library.globals ?? []) byGlobal.set(name, library);
  }
  return {
    libraries,
    forModule(specifier) {
      const exact = byModule.get(specifier);
      if (exact) return exact;
      // `axios/index.js`, `pg/lib/index`: a deep import of a known library is still that library.
      const [name] = specifier.startsWith('@') ? [specifier.split('/').slice(0, 2).join('/')] : [specifier.split('/')[0]];
      const deep = name !== specifier ? byModule.get(name) : undefined;
      return deep ?? libraries.find((library) => library.modulePrefixes?.some((prefix) => name.startsWith(prefix)));
    },
    forGlobal: (name) => byGlobal.get(name),
    type: (library, name) => (name === undefined ? library.module : library.types?.[name]),
  };
}

/** A breakwater.json `clients` entry becomes a catalog entry like the built-in ones. */
function inHouseLibrary(client: InHouseClient): LibrarySpec {
  const exportName = client.export ?? 'default';
  const options = client.optionsArgument;
  const operation: Operation =
    client.role === 'factory'
      ? { does: 'create', type: 'Client', role: 'client', optionsArgs: [options ?? 0] }
      : { does: 'request', urlArg: 0, optionsArgs: [options ?? 1] };
  const clientType: TypeSpec = {};
  const request: Operation = { does: 'request', urlArg: 0, optionsArgs: [1, 0] };
  if (client.methods) clientType.members = Object.fromEntries(client.methods.map((method) => [method, request]));
  else clientType.otherMembers = request;
  const entry: TypeSpec = { call: operation, construct: operation };
  return {
    id: client.module,
    name: `${client.module} (in-house)`,
    kind: client.kind,
    modules: [client.module],
    module: exportName === 'default' ? entry : { members: { [exportName]: operation } },
    types: { Client: clientType },
    timeout: {
      options: (client.timeoutOptions ?? ['timeout']).map((name) => ({ path: name.split('.'), bounds: 'request' as const, none: [0] })),
      signalOptions: client.signalOptions ?? ['signal'],
      default:
        client.defaultTimeoutMs != null
          ? { bounded: true, ms: client.defaultTimeoutMs, detail: `${client.module} times out after ${client.defaultTimeoutMs} ms by default` }
          : { bounded: false, detail: `${client.module} has no timeout by default (as declared in breakwater.json)` },
      fixAt: client.role === 'factory' ? 'client' : 'call',
      fix: `set \`${(client.timeoutOptions ?? ['timeout'])[0]}\` (ms) in its options`,
    },
    source: 'breakwater.json',
  };
}
