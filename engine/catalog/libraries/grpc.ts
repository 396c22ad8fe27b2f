// gRPC and NestJS microservice clients: the deadline (or an rxjs timeout) is set per call.
import type { LibrarySpec, TypeSpec } from '../types';

/** Any method of a generated gRPC client is an RPC, except the plumbing every client has. */
const grpcClient: TypeSpec = {
  otherMembers: { does: 'request', optionsArgs: 'objects' },
  exceptMembers: ['close', 'getChannel', 'waitForReady', 'constructor', 'then'],
};

/** `loadPackageDefinition()` returns nested namespaces whose leaves are client constructors. */
const grpcPackage: TypeSpec = {
  otherMembers: { does: 'is', type: 'GrpcPackage' },
  construct: { does: 'create', type: 'GrpcClient', role: 'client', urlArg: 0, optionsArgs: [2] },
};

export const grpcJs: LibrarySpec = {
  id: '@grpc/grpc-js',
  name: '@grpc/grpc-js',
  kind: 'grpc',
  modules: ['@grpc/grpc-js', 'grpc'],
  module: {
    members: {
      loadPackageDefinition: { does: 'returns', type: 'GrpcPackage' },
      makeGenericClientConstructor: { does: 'returns', type: 'GrpcPackage' },
      Client: { does: 'create', type: 'GrpcClient', role: 'client', urlArg: 0, optionsArgs: [2] },
    },
  },
  types: { GrpcPackage: grpcPackage, GrpcClient: grpcClient },
  timeout: {
    options: [],
    deadlineOptions: ['deadline'],
    // A client interceptor may set a deadline on every call; Breakwater cannot see inside it.
    unknowableOptions: ['interceptors', 'interceptor_providers', 'grpc.service_config'],
    default: { bounded: false, detail: 'gRPC calls have no deadline by default' },
    fixAt: 'call',
    fix: 'pass `{ deadline: Date.now() + ms }` in the call options',
  },
  source: 'grpc-js src/client.ts (CallOptions.deadline), src/client-interceptors.ts (`deadline ?? Infinity`)',
};

const rxjsTimeout = [{ module: ['rxjs', 'rxjs/operators'], name: 'timeout' }];

export const nestMicroservices: LibrarySpec = {
  id: '@nestjs/microservices',
  name: 'NestJS microservices (ClientProxy)',
  kind: 'rpc',
  modules: ['@nestjs/microservices'],
  module: {
    members: {
      ClientProxy: { does: 'is', type: 'ClientProxy' },
      ClientGrpc: { does: 'is', type: 'ClientGrpc' },
      ClientGrpcProxy: { does: 'is', type: 'ClientGrpc' },
      ...Object.fromEntries(['ClientKafka', 'ClientRMQ', 'ClientRedis', 'ClientNats', 'ClientMqtt', 'ClientTCP'].map((name) => [name, { does: 'is' as const, type: 'ClientProxy' }])),
      ClientProxyFactory: { does: 'is', type: 'ClientProxyFactory' },
      ...Object.fromEntries(['MessagePattern', 'EventPattern', 'GrpcMethod', 'GrpcStreamMethod'].map((name) => [name, { does: 'handler-decorator' as const, framework: 'nest' }])),
    },
  },
  types: {
    ClientProxyFactory: { members: { create: { does: 'create', type: 'ClientProxy', role: 'client', optionsArgs: [0] } } },
    ClientProxy: {
      members: {
        send: { does: 'request', optionsArgs: [] },
        // The data may be a record built with headers (`new RmqRecordBuilder(data).setOptions({ headers })`).
        emit: { does: 'request', optionsArgs: [1], kind: 'broker', fireAndForget: true, headerPaths: [['options', 'headers']] },
      },
    },
    ClientGrpc: { members: { getService: { does: 'returns', type: 'GrpcService' } } },
    GrpcService: { otherMembers: { does: 'request', optionsArgs: 'objects', kind: 'grpc' } },
  },
  // The transport-specific clients are ClientProxy subclasses (ClientGrpcProxy implements ClientGrpc): judged the same way.
  injectable: {
    ClientProxy: 'ClientProxy',
    ClientGrpc: 'ClientGrpc',
    ClientGrpcProxy: 'ClientGrpc',
    ...Object.fromEntries(['ClientKafka', 'ClientRMQ', 'ClientRedis', 'ClientNats', 'ClientMqtt', 'ClientTCP'].map((name) => [name, 'ClientProxy'])),
  },
  timeout: {
    options: [],
    deadlineOptions: ['deadline'],
    chains: [{ method: 'pipe', when: 'operator', operators: rxjsTimeout }],
    default: { bounded: false, detail: 'ClientProxy.send() waits for a reply forever unless piped through rxjs timeout()' },
    fixAt: 'call',
    fix: 'pipe the reply through rxjs `timeout(ms)`',
  },
  source: '@nestjs/microservices client/client-proxy.ts (send() returns a cold Observable with no timeout)',
};
