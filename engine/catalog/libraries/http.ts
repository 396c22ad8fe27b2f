// HTTP clients. Each entry cites where its defaults were checked.
import type { LibrarySpec, Operation, TimeoutChain, TypeSpec } from '../types';

const SIGNAL = ['signal'];

/** Verb methods shared by axios-like and got-like APIs: `get(url, options)` and `post(url, body, options)`. */
function verbMethods(withBody: number[], withoutBody: number[]): Record<string, Operation> {
  const methods: Record<string, Operation> = {};
  for (const verb of ['get', 'delete', 'head', 'options']) methods[verb] = { does: 'request', urlArg: 0, optionsArgs: withoutBody };
  for (const verb of ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']) methods[verb] = { does: 'request', urlArg: 0, optionsArgs: withBody };
  return methods;
}

// `fetch(new Request(url, init))`: a Request carries its init (see the evaluator's `Request` global).
const fetchCall: Operation = { does: 'request', urlArg: 0, optionsArgs: [1, 0] };

export const globalFetch: LibrarySpec = {
  id: 'fetch',
  name: 'fetch (Node global, undici)',
  kind: 'http',
  agentOptions: [['dispatcher']],
  modules: [],
  globals: ['fetch'],
  module: { call: fetchCall },
  timeout: {
    options: [],
    signalOptions: SIGNAL,
    default: { bounded: false, ms: 300_000, detail: "Node's fetch has no overall timeout (undici's headers and body timeouts are 300 s each, and a slow body can trickle forever)" },
    fixAt: 'call',
    fix: 'pass `signal: AbortSignal.timeout(ms)`',
    insert: { key: 'signal', value: 'AbortSignal.timeout({ms})' },
  },
  source: 'undici docs/docs/api/Dispatcher.md (headersTimeout, bodyTimeout default 300e3); Node fetch is undici',
};

export const nodeFetch: LibrarySpec = {
  id: 'node-fetch',
  name: 'node-fetch',
  kind: 'http',
  agentOptions: [['agent']],
  modules: ['node-fetch', 'node-fetch-commonjs', 'cross-fetch', 'isomorphic-fetch', 'make-fetch-happen'],
  module: { call: fetchCall },
  timeout: {
    // `timeout` is node-fetch 2's own option (removed in 3); it still bounds the many services on 2.x.
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    signalOptions: SIGNAL,
    default: { bounded: false, detail: 'node-fetch has no timeout by default' },
    fixAt: 'call',
    fix: 'pass `signal: AbortSignal.timeout(ms)`',
    insert: { key: 'signal', value: 'AbortSignal.timeout({ms})' },
  },
  source: 'node-fetch README (v2: `timeout: 0` default, "0 to disable"; v3: use AbortSignal)',
};

const axiosInstance: TypeSpec = {
  call: { does: 'request', urlArg: 0, optionsArgs: [1, 0], urlOption: 'url' },
  members: {
    ...verbMethods([2], [1]),
    request: { does: 'request', optionsArgs: [0], urlOption: 'url' },
    getUri: { does: 'returns', type: 'Nothing' },
    interceptors: { does: 'is', type: 'AxiosInterceptors' },
  },
};

export const axios: LibrarySpec = {
  id: 'axios',
  name: 'axios',
  kind: 'http',
  agentOptions: [['httpAgent'], ['httpsAgent']],
  modules: ['axios'],
  module: {
    ...axiosInstance,
    members: {
      ...axiosInstance.members,
      create: { does: 'create', type: 'AxiosInstance', role: 'client', optionsArgs: [0] },
    },
  },
  types: {
    AxiosInstance: axiosInstance,
    Nothing: {},
    AxiosInterceptors: { members: { request: { does: 'is', type: 'AxiosRequestInterceptors' } } },
    AxiosRequestInterceptors: { members: { use: { does: 'intercept' } } },
  },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    signalOptions: ['signal', 'cancelToken'],
    defaultsPath: ['defaults', 'timeout'],
    default: { bounded: false, detail: 'axios has no timeout by default (timeout: 0)' },
    fixAt: 'client',
    fix: 'set `timeout` (ms) in its config',
    insert: { key: 'timeout', value: '{ms}' },
  },
  source: 'axios lib/defaults/index.js (`timeout: 0`); lib/axios.js (create merges the module defaults)',
};

const gotInstance: TypeSpec = {
  call: { does: 'request', urlArg: 0, optionsArgs: [1, 0], urlOption: 'url' },
  members: {
    ...verbMethods([1], [1]),
    stream: { does: 'request', urlArg: 0, optionsArgs: [1, 0], urlOption: 'url' },
    paginate: { does: 'request', urlArg: 0, optionsArgs: [1, 0], urlOption: 'url' },
    extend: { does: 'create', type: 'Got', role: 'client', optionsArgs: [0], inherits: true },
  },
};

export const got: LibrarySpec = {
  id: 'got',
  name: 'got',
  kind: 'http',
  agentOptions: [['agent', 'http'], ['agent', 'https']],
  modules: ['got'],
  module: gotInstance,
  types: { Got: gotInstance },
  timeout: {
    options: [
      { path: ['timeout', 'request'], bounds: 'request' },
      // got 11 and older took a number for the whole request.
      { path: ['timeout'], bounds: 'request', only: 'number' },
      // `response` (first byte) and `socket` (inactivity) bound the wait like undici's headers and body timeouts do.
      { path: ['timeout', 'response'], bounds: 'request' },
      { path: ['timeout', 'socket'], bounds: 'request' },
      { path: ['timeout', 'read'], bounds: 'request' },
      { path: ['timeout', 'connect'], bounds: 'connect' },
      { path: ['timeout', 'lookup'], bounds: 'connect' },
      { path: ['timeout', 'secureConnect'], bounds: 'connect' },
    ],
    signalOptions: SIGNAL,
    default: { bounded: false, detail: 'got has no timeout by default' },
    fixAt: 'client',
    fix: 'set `timeout: { request: ms }`',
    insert: { key: 'timeout', value: '{ request: {ms} }' },
  },
  source: 'got documentation/6-timeout.md (all phases undefined by default; `request` bounds the whole request)',
};

const kyInstance: TypeSpec = {
  call: { does: 'request', urlArg: 0, optionsArgs: [1] },
  members: {
    ...verbMethods([1], [1]),
    create: { does: 'create', type: 'Ky', role: 'client', optionsArgs: [0] },
    extend: { does: 'create', type: 'Ky', role: 'client', optionsArgs: [0], inherits: true },
  },
};

export const ky: LibrarySpec = {
  id: 'ky',
  name: 'ky',
  kind: 'http',
  modules: ['ky', 'ky-universal'],
  module: kyInstance,
  types: { Ky: kyInstance },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [false] }],
    signalOptions: SIGNAL,
    default: { bounded: true, ms: 10_000, detail: 'ky times out after 10 s by default' },
    fixAt: 'client',
    fix: 'remove `timeout: false` or set `timeout` (ms)',
  },
  source: 'ky readme.md (`timeout` default 10000, `false` disables)',
};

const superagentTimeout: TimeoutChain[] = [{ method: 'timeout', when: 'any' }];

export const superagent: LibrarySpec = {
  id: 'superagent',
  name: 'superagent',
  kind: 'http',
  modules: ['superagent'],
  module: {
    call: { does: 'request', urlArg: 1, optionsArgs: [] },
    members: {
      get: { does: 'request', urlArg: 0, optionsArgs: [] },
      post: { does: 'request', urlArg: 0, optionsArgs: [] },
      put: { does: 'request', urlArg: 0, optionsArgs: [] },
      patch: { does: 'request', urlArg: 0, optionsArgs: [] },
      del: { does: 'request', urlArg: 0, optionsArgs: [] },
      delete: { does: 'request', urlArg: 0, optionsArgs: [] },
      head: { does: 'request', urlArg: 0, optionsArgs: [] },
    },
  },
  timeout: {
    options: [],
    chains: superagentTimeout,
    default: { bounded: false, detail: 'superagent has no timeout by default' },
    fixAt: 'call',
    fix: 'chain `.timeout({ response: ms, deadline: ms })`',
  },
  source: 'superagent docs/index.md "Timeouts" (none by default; `.timeout({ response, deadline })`)',
};

const undiciDispatcher: TypeSpec = {
  members: {
    request: { does: 'request', optionsArgs: [0], urlOption: 'origin' },
    stream: { does: 'request', optionsArgs: [0], urlOption: 'origin' },
    pipeline: { does: 'request', optionsArgs: [0], urlOption: 'origin' },
  },
};

export const undici: LibrarySpec = {
  id: 'undici',
  name: 'undici',
  kind: 'http',
  agentOptions: [['dispatcher']],
  modules: ['undici'],
  module: {
    members: {
      request: { does: 'request', urlArg: 0, optionsArgs: [1] },
      stream: { does: 'request', urlArg: 0, optionsArgs: [1] },
      pipeline: { does: 'request', urlArg: 0, optionsArgs: [1] },
      fetch: fetchCall,
      Client: { does: 'create', type: 'Dispatcher', role: 'pool', urlArg: 0, optionsArgs: [1] },
      Pool: { does: 'create', type: 'Dispatcher', role: 'pool', urlArg: 0, optionsArgs: [1] },
      BalancedPool: { does: 'create', type: 'Dispatcher', role: 'pool', optionsArgs: [1] },
      Agent: { does: 'create', type: 'Dispatcher', role: 'agent', optionsArgs: [0], capacity: { perOrigin: ['connections'] } },
      setGlobalDispatcher: { does: 'global-client', for: ['fetch', 'undici'] },
    },
  },
  types: { Dispatcher: undiciDispatcher },
  timeout: {
    // An explicit headers or body timeout is a decision the team made; it counts.
    options: [
      { path: ['headersTimeout'], bounds: 'request', none: [0] },
      { path: ['bodyTimeout'], bounds: 'request', none: [0] },
      { path: ['connect', 'timeout'], bounds: 'connect' },
      { path: ['connectTimeout'], bounds: 'connect' },
    ],
    signalOptions: SIGNAL,
    default: { bounded: false, ms: 300_000, detail: "undici has no overall timeout by default (headersTimeout and bodyTimeout are 300 s each)" },
    fixAt: 'client',
    fix: 'pass `signal: AbortSignal.timeout(ms)` or set `headersTimeout` and `bodyTimeout`',
  },
  source: 'undici docs/docs/api/Client.md and Dispatcher.md (headersTimeout 300e3, bodyTimeout 300e3, connect timeout 10e3)',
};

const httpRequestChains: TimeoutChain[] = [
  { method: 'on', when: 'listener', event: 'timeout' },
  { method: 'once', when: 'listener', event: 'timeout' },
  { method: 'setTimeout', when: 'callback' },
];

export const nodeHttp: LibrarySpec = {
  id: 'node:http',
  name: 'node:http / node:https',
  kind: 'http',
  agentOptions: [['agent']],
  modules: ['http', 'https', 'node:http', 'node:https'],
  module: {
    members: {
      request: { does: 'request', urlArg: 0, optionsArgs: [1, 0] },
      get: { does: 'request', urlArg: 0, optionsArgs: [1, 0] },
      Agent: { does: 'create', type: 'Agent', role: 'agent', optionsArgs: [0], capacity: { perOrigin: ['maxSockets'], total: ['maxTotalSockets'] } },
      createServer: { does: 'serve', framework: 'node:http', handlers: 'functions' },
    },
  },
  types: { Agent: {} },
  timeout: {
    // `timeout` (and `req.setTimeout(ms)`) only emit 'timeout'; the request goes on unless a listener destroys it.
    options: [{ path: ['timeout'], bounds: 'request', needsListener: 'timeout' }],
    signalOptions: SIGNAL,
    chains: httpRequestChains,
    default: { bounded: false, detail: 'node:http requests have no timeout by default' },
    fixAt: 'call',
    fix: "pass `signal: AbortSignal.timeout(ms)`, or destroy the request in a 'timeout' listener",
    insert: { key: 'signal', value: 'AbortSignal.timeout({ms})' },
  },
  source: "Node docs http.html#httprequestoptions-callback (`timeout` only emits 'timeout'; `signal` aborts)",
};

export const nestAxios: LibrarySpec = {
  id: '@nestjs/axios',
  name: 'NestJS HttpModule (@nestjs/axios)',
  kind: 'http',
  agentOptions: [['httpAgent'], ['httpsAgent']],
  modules: ['@nestjs/axios'],
  module: {
    members: {
      HttpModule: { does: 'is', type: 'HttpModule' },
      HttpService: { does: 'is', type: 'HttpService' },
    },
  },
  types: {
    HttpModule: {
      members: {
        register: { does: 'create', type: 'HttpService', role: 'client', optionsArgs: [0] },
        // registerAsync({ useFactory: () => options }): the factory's return value is the options.
        registerAsync: { does: 'create', type: 'HttpService', role: 'client', optionsArgs: [0] },
      },
    },
    HttpService: {
      members: {
        ...verbMethods([2], [1]),
        request: { does: 'request', optionsArgs: [0], urlOption: 'url' },
        axiosRef: { does: 'is', type: 'HttpService' },
        interceptors: { does: 'is', type: 'AxiosInterceptors' },
      },
    },
    AxiosInterceptors: { members: { request: { does: 'is', type: 'AxiosRequestInterceptors' } } },
    AxiosRequestInterceptors: { members: { use: { does: 'intercept' } } },
  },
  injectable: { HttpService: 'HttpService' },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    signalOptions: ['signal', 'cancelToken'],
    defaultsPath: ['defaults', 'timeout'],
    chains: [{ method: 'pipe', when: 'operator', operators: [{ module: ['rxjs', 'rxjs/operators'], name: 'timeout' }] }],
    default: { bounded: false, detail: 'HttpService uses axios, which has no timeout by default (timeout: 0)' },
    fixAt: 'client',
    fix: 'register the module with `HttpModule.register({ timeout: ms })`',
    insert: { key: 'timeout', value: '{ms}' },
  },
  source: '@nestjs/axios lib/http.module.ts (register passes options to axios.create); axios defaults timeout: 0',
};

/**
 * A reverse proxy: each proxied request is a call to the downstream `target`, made by the middleware. It is reported
 * where the proxy is created, since that is where its options (and the fix) are.
 */
export const httpProxyMiddleware: LibrarySpec = {
  id: 'http-proxy-middleware',
  name: 'http-proxy-middleware',
  kind: 'http',
  modules: ['http-proxy-middleware'],
  module: {
    members: {
      createProxyMiddleware: { does: 'request', optionsArgs: [0, 1], urlOption: 'target', forwardsHeaders: true },
      legacyCreateProxyMiddleware: { does: 'request', optionsArgs: [0, 1], urlOption: 'target', forwardsHeaders: true },
    },
  },
  timeout: {
    options: [{ path: ['proxyTimeout'], bounds: 'request', none: [0] }],
    default: { bounded: false, detail: 'http-proxy-middleware waits for the target as long as it takes unless `proxyTimeout` is set (`timeout` is the incoming socket\'s)' },
    fixAt: 'call',
    fix: 'set `proxyTimeout` (ms)',
    insert: { key: 'proxyTimeout', value: '{ms}' },
  },
  source: 'http-proxy lib/http-proxy/passes/web-incoming.js (proxyTimeout: setTimeout on the outgoing request, then abort; timeout: the incoming socket), used by http-proxy-middleware v1–3 (v4: httpxy, same options)',
};

export const httpProxy: LibrarySpec = {
  id: 'http-proxy',
  name: 'http-proxy',
  kind: 'http',
  modules: ['http-proxy'],
  module: {
    members: {
      createProxyServer: { does: 'create', type: 'ProxyServer', role: 'client', optionsArgs: [0] },
      createProxy: { does: 'create', type: 'ProxyServer', role: 'client', optionsArgs: [0] },
      createServer: { does: 'create', type: 'ProxyServer', role: 'client', optionsArgs: [0] },
    },
  },
  types: { ProxyServer: { members: { web: { does: 'request', optionsArgs: [2], urlOption: 'target', forwardsHeaders: true }, ws: { does: 'request', optionsArgs: [3], urlOption: 'target', forwardsHeaders: true } } } },
  timeout: {
    options: [{ path: ['proxyTimeout'], bounds: 'request', none: [0] }],
    default: { bounded: false, detail: 'http-proxy waits for the target as long as it takes unless `proxyTimeout` is set (`timeout` is the incoming socket\'s)' },
    fixAt: 'client',
    fix: 'set `proxyTimeout` (ms)',
    insert: { key: 'proxyTimeout', value: '{ms}' },
  },
  source: 'http-proxy lib/http-proxy/passes/web-incoming.js (proxyTimeout on the outgoing request, then abort; none by default)',
};
