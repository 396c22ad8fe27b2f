// Vendor SDKs whose clients call a third-party HTTP API through nested resource namespaces
// (`stripe.checkout.sessions.create()`, `octokit.rest.repos.get()`, `slack.chat.postMessage()`). A namespace is
// a value of the same type at any depth, and calling one makes the request.
import type { LibrarySpec, Operation, TypeSpec } from '../types';

/** Members that never leave the process on any of these SDK clients. */
const LOCAL_MEMBERS = ['on', 'off', 'once', 'emit', 'hook', 'log', 'auth', 'constructor', 'then', 'toString'];

/** A resource namespace: its members are namespaces again, and calling it is a request. */
function namespace(type: string, local: string[] = []): TypeSpec {
  return { call: { does: 'request', optionsArgs: [] }, otherMembers: { does: 'is', type }, exceptMembers: [...LOCAL_MEMBERS, ...local] };
}

function client(type: string, optionsArgs: number[]): Operation {
  return { does: 'create', type, role: 'client', optionsArgs };
}

export const stripe: LibrarySpec = {
  id: 'stripe',
  name: 'stripe-node',
  kind: 'http',
  modules: ['stripe'],
  defaultHost: 'api.stripe.com',
  module: { construct: client('StripeResource', [1]), call: client('StripeResource', [1]), members: { Stripe: client('StripeResource', [1]) } },
  // `stripe.webhooks.constructEvent()` only checks a signature, locally.
  types: { StripeResource: namespace('StripeResource', ['webhooks', 'errors', 'setApiKey', 'setTimeout', 'setMaxNetworkRetries', 'getClientUserAgent']) },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    default: { bounded: true, ms: 80_000, detail: 'stripe-node times out after 80 s by default' },
    fixAt: 'client',
    fix: 'set `timeout` (ms)',
  },
  source: 'stripe-node src/stripe.core.ts (DEFAULT_TIMEOUT = 80000), src/net/NodeHttpClient.ts (req.setTimeout aborts an idle request), src/platform/PlatformFunctions.ts (maxNetworkRetries 2)',
};

export const octokit: LibrarySpec = {
  id: 'octokit',
  name: 'Octokit',
  kind: 'http',
  modules: ['@octokit/rest', '@octokit/core', '@octokit/app', 'octokit'],
  // GitHub Enterprise sets `baseUrl`; a client given one names that host instead.
  defaultHost: 'api.github.com',
  module: { members: { Octokit: client('Octokit', [0]), App: client('Octokit', [0]) } },
  types: {
    Octokit: {
      ...namespace('Octokit', ['plugin', 'defaults']),
      // An App hands out installation clients without a request of its own; their calls go out.
      members: { getInstallationOctokit: { does: 'returns', type: 'Octokit' }, octokit: { does: 'is', type: 'Octokit' } },
    },
  },
  timeout: {
    options: [],
    signalOptions: ['signal'],
    default: { bounded: false, detail: 'Octokit uses fetch, which has no overall timeout (request.timeout is ignored since @octokit/request 7)' },
    fixAt: 'client',
    fix: 'pass `request: { fetch }` with a fetch that sets `signal: AbortSignal.timeout(ms)`',
    // A custom `request.fetch` or `request.signal` may bound every call: the verdict cannot be known.
    unknowableOptions: ['request'],
  },
  source: '@octokit/request src/fetch-wrapper.ts (only request.signal reaches fetch; request.timeout dropped in v7), global fetch (undici headers/body timeouts 300 s)',
};

export const slackWebApi: LibrarySpec = {
  id: 'slack-web-api',
  name: '@slack/web-api',
  kind: 'http',
  modules: ['@slack/web-api'],
  defaultHost: 'slack.com',
  module: { members: { WebClient: client('WebClient', [1]) } },
  types: { WebClient: namespace('WebClient') },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    default: { bounded: false, detail: '@slack/web-api has no timeout by default (timeout: 0), and retries 10 times over about 30 minutes' },
    fixAt: 'client',
    fix: 'set `timeout` (ms)',
    insert: { key: 'timeout', value: '{ms}' },
  },
  source: '@slack/web-api packages/web-api/src/WebClient.ts (timeout default 0, AbortSignal.timeout per attempt), src/retry-policies.ts (tenRetriesInAboutThirtyMinutes)',
};

export const awsSdkV3: LibrarySpec = {
  id: 'aws-sdk-v3',
  name: 'AWS SDK for JavaScript v3',
  kind: 'http',
  modules: [],
  modulePrefixes: ['@aws-sdk/client-'],
  defaultHost: 'amazonaws.com',
  // Every client package exports `<Service>Client` (and commands, which are plain data).
  module: { memberPatterns: [{ pattern: '^[A-Z][A-Za-z0-9]*Client$', operation: client('AwsClient', [0]) }] },
  types: { AwsClient: { members: { send: { does: 'request', optionsArgs: [1] } } } },
  timeout: {
    options: [],
    signalOptions: ['abortSignal'],
    default: { bounded: false, detail: 'AWS SDK v3 clients have no request timeout by default (NodeHttpHandler requestTimeout 0, connectionTimeout 0) and retry 3 times' },
    fixAt: 'client',
    fix: 'set `requestHandler: { requestTimeout: ms, throwOnRequestTimeout: true }`',
    // Any request handler may bound the calls, depending on its version: the verdict cannot be known.
    unknowableOptions: ['requestHandler'],
  },
  source: '@smithy/node-http-handler src/node-http-handler.ts (DEFAULT_REQUEST_TIMEOUT 0; requestTimeout throws only with throwOnRequestTimeout since 4.4), packages/types/src/http/httpHandlerInitialization.ts, util-retry config.ts (DEFAULT_MAX_ATTEMPTS 3)',
};
