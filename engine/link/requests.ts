// Where requests arrive and what travels with the calls they cause: inbound servers and their handlers, the code only
// handlers reach, the headers clients send by default, interceptors, and tracing that propagates context.
import type { Val } from '../extract/facts';
import type { FileFacts } from '../extract/facts';
import type { InboundServer, ServiceSummary, TracingSetup } from '../model/types';
import type { Evaluator } from './evaluate';
import { isAbsent, memberPath } from './evaluate';
import { locate, type Registry } from './link';
import { readText } from '../extract/read';
import * as path from 'node:path';
import type { WorkspaceLayout } from '../discover/workspace';
import type { ModuleResolver } from './modules';
import { CallGraph } from './policies';
import type { ClientRecord } from './values';

/** Side-effect imports that register OpenTelemetry's auto-instrumentations (`node --import …/register`). */
const AUTO_INSTRUMENTATION_IMPORTS = ['@opentelemetry/auto-instrumentations-node/register'];

export class RequestContext {
  private readonly handlerReach: Set<string>;
  /** The request handlers (`file#fn`): registered on a server, decorated (`@Get()`), or exported by a route module. */
  private readonly handlers: Set<string>;
  private readonly clientHeaderAssignments = new Map<ClientRecord, string[]>();
  private readonly sharedImports = new Map<FileFacts, FileFacts[]>();

  constructor(
    private readonly registry: Registry,
    private readonly evaluator: Evaluator,
    private readonly facts: FileFacts[],
    private readonly serviceOf: Map<string, string | undefined>,
    callGraph: CallGraph,
    private readonly resolver: ModuleResolver,
    private readonly root: string,
    private readonly layout: WorkspaceLayout,
  ) {
    this.handlers = new Set(this.handlerFunctions());
    this.handlerReach = callGraph.reachedFrom([...this.handlers]);
    this.collectHeaderAssignments();
  }

  /** Is function `fn` of `file` a request handler itself? */
  isHandler(file: FileFacts, fn: number): boolean {
    return this.handlers.has(`${file.path}#${fn}`);
  }

  /** Is call `callIndex` of `file` made while handling a request (in a handler, or in code a handler calls)? */
  inRequestHandler(file: FileFacts, callIndex: number): boolean {
    return CallGraph.inside(file, callIndex, this.handlerReach);
  }

  /** Header names a client sends on every call: from its options and from `x.defaults.headers… = …`. */
  clientHeaders(client: ClientRecord, options: ReturnType<Evaluator['evaluate']> | undefined, names: (value: ReturnType<Evaluator['evaluate']>) => string[] | undefined): string[] | undefined {
    // A client made from another (`got.extend`) sends its parent's headers too.
    const inherited = client.parent ? this.clientHeaders(client.parent, client.parent.options, names) : [];
    if (inherited === undefined) return undefined;
    const own = this.ownClientHeaders(client, options, names);
    return own === undefined ? undefined : [...new Set([...inherited, ...own])].sort();
  }

  private ownClientHeaders(client: ClientRecord, options: ReturnType<Evaluator['evaluate']> | undefined, names: (value: ReturnType<Evaluator['evaluate']>) => string[] | undefined): string[] | undefined {
    const assigned = this.clientHeaderAssignments.get(client) ?? [];
    if (!options || isAbsent(options)) return assigned;
    if (options.t !== 'obj') return undefined;
    const headers = this.evaluator.member(options, 'headers');
    if (isAbsent(headers)) return assigned;
    // axios accepts `headers: { common: {…}, get: {…} }` too.
    const common = headers.t === 'obj' ? this.evaluator.member(headers, 'common') : undefined;
    const own = names(headers);
    if (!own) return undefined;
    const fromCommon = common && !isAbsent(common) ? names(common) ?? [] : [];
    return [...new Set([...own.filter((name) => name !== 'common'), ...fromCommon, ...assigned])].sort();
  }

  isIntercepted(client: ClientRecord, options: ReturnType<Evaluator['evaluate']> | undefined): boolean {
    if (this.registry.interceptors.some((entry) => entry.client === client)) return true;
    // Nest: `this.http.axiosRef.interceptors…` on the injected HttpService acts on the client its module registers.
    const service = this.serviceOf.get(client.file.path);
    if (client.library.injectable && this.registry.interceptors.some((entry) => !entry.client && entry.library === client.library && this.serviceOf.get(entry.site.file.path) === service)) return true;
    if (client.parent && this.isIntercepted(client.parent, client.parent.options)) return true;
    // got `hooks.beforeRequest`, gRPC client `interceptors`: both may set headers on every call.
    return !!options && options.t === 'obj' && ['hooks', 'interceptors', 'interceptor_providers'].some((name) => !isAbsent(this.evaluator.member(options, name)));
  }

  servers(): InboundServer[] {
    const byPath = new Map(this.facts.map((file) => [file.path, file]));
    return this.registry.servers.map(({ site, framework }) => {
      const service = this.serviceOf.get(site.file.path);
      const services = service === undefined ? this.importersOf(site.file.path, byPath) : [];
      return {
        framework,
        location: locate(site.file, site.file.calls[site.callIndex].span),
        service,
        ...(services.length > 0 && { services }),
      };
    });
  }

  tracing(): TracingSetup[] {
    const setups: TracingSetup[] = this.registry.tracing.map(({ site, covers }) => ({
      location: locate(site.file, site.file.calls[site.callIndex].span),
      service: this.serviceOf.get(site.file.path),
      covers,
    }));
    for (const file of this.facts) {
      if (file.imports.some((specifier) => AUTO_INSTRUMENTATION_IMPORTS.includes(specifier))) {
        setups.push({ location: { file: file.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, service: this.serviceOf.get(file.path), covers: ['all'] });
      }
    }
    // Tracing set up in a shared library runs in the services that import it.
    const byPath = new Map(this.facts.map((file) => [file.path, file]));
    for (const setup of setups) if (setup.service === undefined) setup.services = this.importersOf(setup.location.file, byPath);
    // `node --require @opentelemetry/auto-instrumentations-node/register` in a start script or the Dockerfile.
    for (const service of this.layout.services) {
      const folder = path.join(this.root, service.root);
      for (const name of ['package.json', 'Dockerfile']) {
        const text = readText(path.join(folder, name), this.root) ?? '';
        if (AUTO_INSTRUMENTATION_IMPORTS.some((module) => text.includes(module))) {
          setups.push({ location: { file: path.posix.join(service.root === '.' ? '' : service.root, name), line: 1, column: 1, endLine: 1, endColumn: 1 }, service: service.name, covers: ['all'] });
          break;
        }
      }
    }
    return setups;
  }

  /** What each service's code mentions, counting the shared-library modules it imports (a correlation middleware in `libs/`). */
  summaries(): Record<string, ServiceSummary> {
    const summaries: Record<string, ServiceSummary> = {};
    const byPath = new Map(this.facts.map((file) => [file.path, file]));
    for (const file of this.facts) {
      const service = this.serviceOf.get(file.path);
      if (!service) continue;
      const summary = (summaries[service] ??= { headerNames: [], imports: [], interceptedLibraries: [] });
      for (const used of this.withSharedImports(file, byPath)) {
        summary.headerNames.push(...used.headerNames);
        summary.imports.push(...used.imports);
      }
    }
    // Module-level interceptors: in the service's files, or in the shared-library files it imports.
    for (const { site, library, client } of this.registry.interceptors) {
      if (client) continue;
      const service = this.serviceOf.get(site.file.path);
      const services = service ? [service] : this.importersOf(site.file.path, byPath);
      for (const name of services) summaries[name]?.interceptedLibraries.push(library.id);
    }
    for (const summary of Object.values(summaries)) {
      summary.headerNames = [...new Set(summary.headerNames)].sort();
      summary.imports = [...new Set(summary.imports)].sort();
      summary.interceptedLibraries = [...new Set(summary.interceptedLibraries)].sort();
    }
    return summaries;
  }

  /** The services whose files import this shared-library file, directly or through other shared files. */
  private importersOf(sharedFile: string, byPath: Map<string, FileFacts>): string[] {
    const importers = new Set<string>();
    for (const file of this.facts) {
      const service = this.serviceOf.get(file.path);
      if (service && !importers.has(service) && this.withSharedImports(file, byPath).some((used) => used.path === sharedFile)) importers.add(service);
    }
    return [...importers].sort();
  }

  /** A file and the files outside every service that it imports, transitively (shared libraries). */
  private withSharedImports(file: FileFacts, byPath: Map<string, FileFacts>): FileFacts[] {
    const known = this.sharedImports.get(file);
    if (known) return known;
    const seen = new Set<FileFacts>([file]);
    const queue = [file];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const targets = current.imports.map((specifier) => this.resolver.resolve(current.path, specifier)).flatMap((resolved) => (resolved.kind === 'file' ? [resolved.path] : []));
      // Modules loaded by a computed specifier (`require(\`${__dirname}/modules/${name}\`)`), as evaluation resolved them.
      targets.push(...(this.evaluator.computedImports.get(current.path) ?? []));
      for (const targetPath of targets) {
        const target = byPath.get(targetPath);
        if (target && !seen.has(target) && this.serviceOf.get(target.path) === undefined) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    const found = [...seen];
    this.sharedImports.set(file, found);
    return found;
  }

  /** Handlers registered with a framework, and class methods with a handler decorator (`@Get()`). */
  private handlerFunctions(): string[] {
    const keys = [...this.registry.handlers.keys()];
    for (const file of this.facts) {
      file.functions.forEach((fn, index) => {
        if (fn.decorators?.some((decorator) => decorator.k === 'call' && this.isHandlerDecorator(file, decorator))) keys.push(`${file.path}#${index}`);
      });
      for (const fn of routeModuleHandlers(file)) keys.push(`${file.path}#${fn}`);
    }
    return keys;
  }

  private isHandlerDecorator(file: FileFacts, decorator: Extract<Val, { k: 'call' }>): boolean {
    this.evaluator.callResult(file, decorator.c);
    return this.registry.handlerDecorators.has(`${file.path}#${decorator.c}`);
  }

  /** `client.defaults.headers.common['x-request-id'] = …` (and `.headers['x-request-id']`): a default header. */
  private collectHeaderAssignments(): void {
    for (const file of this.facts) {
      for (const assignment of file.assignments) {
        const { base, keys } = memberPath(assignment.target);
        const at = keys.indexOf('defaults');
        if (at < 0 || keys[at + 1] !== 'headers' || keys.length < at + 3) continue;
        let owner = this.evaluator.evaluate(base, { file });
        for (const key of keys.slice(0, at)) owner = this.evaluator.member(owner, key);
        if (owner.t !== 'lib' || !owner.client) continue;
        const name = keys[keys.length - 1].toLowerCase();
        this.registry.influences.push({ from: file.path, to: owner.client.file.path });
        this.clientHeaderAssignments.set(owner.client, [...(this.clientHeaderAssignments.get(owner.client) ?? []), name]);
      }
    }
  }
}

// Next.js route handlers (`route.ts` under `app/`, exporting `GET`, `POST`, …) and API routes (the default export under `pages/api/`).
const NEXT_ROUTE_FILE = /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/;
const NEXT_API_FILE = /(^|\/)pages\/api\//;
const HTTP_METHOD_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** The functions a framework calls per request because of where the module is and what it exports. */
function routeModuleHandlers(file: FileFacts): number[] {
  const route = NEXT_ROUTE_FILE.test(file.path);
  const api = NEXT_API_FILE.test(file.path);
  if (!route && !api) return [];
  const handlers: number[] = [];
  for (const entry of file.exports) {
    if (!(route ? HTTP_METHOD_EXPORTS.has(entry.name) : entry.name === 'default')) continue;
    const value = entry.value.k === 'ref' ? file.bindings[entry.value.b]?.value : entry.value;
    if (value?.k === 'fn') handlers.push(value.f);
  }
  return handlers;
}
