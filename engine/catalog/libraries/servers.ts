// Inbound servers (where requests arrive, and so where a correlation ID starts) and tracing that propagates context
// on outbound calls. Handlers are the functions a framework calls per request.
import type { LibrarySpec, Operation, TypeSpec } from '../types';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use'];

function router(framework: string, extra: Record<string, Operation> = {}): TypeSpec {
  const members: Record<string, Operation> = Object.fromEntries(VERBS.map((verb) => [verb, { does: 'serve', framework, handlers: 'functions', returns: 'Router' }]));
  return { members: { ...members, ...extra } };
}

export const express: LibrarySpec = {
  id: 'express',
  name: 'Express',
  kind: 'http',
  modules: ['express'],
  module: {
    call: { does: 'server', framework: 'express', type: 'Router' },
    // `express.Router()` makes a router; `Express`, `Application`, `Router` also name the types in annotations.
    members: { Router: { does: 'returns', type: 'Router' }, Express: { does: 'is', type: 'Router' }, Application: { does: 'is', type: 'Router' } },
  },
  types: { Router: router('express', { route: { does: 'returns', type: 'Router' } }) },
  injectable: { Router: 'Router', Express: 'Router', Application: 'Router' },
  source: 'Express 4/5 API reference (app.METHOD(path, ...handlers), express.Router())',
};

export const fastify: LibrarySpec = {
  id: 'fastify',
  name: 'Fastify',
  kind: 'http',
  modules: ['fastify'],
  module: {
    call: { does: 'server', framework: 'fastify', type: 'FastifyInstance' },
    members: { fastify: { does: 'server', framework: 'fastify', type: 'FastifyInstance' }, FastifyInstance: { does: 'is', type: 'FastifyInstance' } },
  },
  types: {
    FastifyInstance: router('fastify', {
      route: { does: 'serve', framework: 'fastify', handlers: { option: 'handler' } },
      addHook: {
        does: 'serve',
        framework: 'fastify',
        handlers: 'functions',
        whenFirstArg: ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onError', 'onTimeout', 'onRequestAbort'],
      },
    }),
  },
  injectable: { FastifyInstance: 'FastifyInstance' },
  source: 'Fastify docs/Reference/Routes.md (fastify.METHOD(path, [options], handler), fastify.route({ handler }))',
};

export const koa: LibrarySpec = {
  id: 'koa',
  name: 'Koa',
  kind: 'http',
  modules: ['koa'],
  module: { construct: { does: 'server', framework: 'koa', type: 'Router' } },
  types: { Router: router('koa') },
  source: 'Koa API (app.use(fn))',
};

export const koaRouter: LibrarySpec = {
  id: '@koa/router',
  name: 'Koa router',
  kind: 'http',
  modules: ['@koa/router', 'koa-router'],
  module: { construct: { does: 'returns', type: 'Router' } },
  types: { Router: router('koa') },
  source: '@koa/router (router.get(path, ...middleware))',
};

export const nestCore: LibrarySpec = {
  id: '@nestjs/core',
  name: 'NestJS application',
  kind: 'http',
  modules: ['@nestjs/core'],
  module: { members: { NestFactory: { does: 'is', type: 'NestFactory' } } },
  types: { NestFactory: { members: { create: { does: 'server', framework: 'nest', type: 'NestApp' }, createMicroservice: { does: 'server', framework: 'nest', type: 'NestApp' } } }, NestApp: {} },
  source: 'NestJS docs "First steps" (NestFactory.create(AppModule))',
};

const handler: Operation = { does: 'handler-decorator', framework: 'nest' };

export const nestCommon: LibrarySpec = {
  id: '@nestjs/common',
  name: 'NestJS controllers',
  kind: 'http',
  modules: ['@nestjs/common'],
  module: { members: Object.fromEntries(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options'].map((name) => [name, handler])) },
  source: 'NestJS docs "Controllers" (route handler decorators)',
};

export const openTelemetry: LibrarySpec = {
  id: 'opentelemetry',
  name: 'OpenTelemetry',
  kind: 'http',
  modules: ['@opentelemetry/sdk-node', '@opentelemetry/instrumentation', '@opentelemetry/auto-instrumentations-node', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-grpc', '@opentelemetry/sdk-trace-node'],
  module: {
    members: {
      NodeSDK: { does: 'tracing', role: 'sdk', instrumentationsOption: { arg: 0, path: ['instrumentations'] } },
      NodeTracerProvider: { does: 'is', type: 'Provider' },
      registerInstrumentations: { does: 'tracing', role: 'register', instrumentationsOption: { arg: 0, path: ['instrumentations'] } },
      getNodeAutoInstrumentations: { does: 'tracing', role: 'instrumentation', covers: 'all' },
      HttpInstrumentation: { does: 'tracing', role: 'instrumentation', covers: 'http' },
      // `import '@opentelemetry/auto-instrumentations-node/register'` is seen as an import, in link.
      UndiciInstrumentation: { does: 'tracing', role: 'instrumentation', covers: 'undici' },
      GrpcInstrumentation: { does: 'tracing', role: 'instrumentation', covers: 'grpc' },
    },
  },
  source: 'OpenTelemetry JS: NodeSDK({ instrumentations }), registerInstrumentations(); the http/undici/grpc instrumentations inject traceparent on outbound calls',
};
