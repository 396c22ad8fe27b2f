// Which code runs in a browser, file by file and call by call, where the project alone cannot tell: a React SPA in the
// same package as its server (`app/` beside `server/`), the pages and components of a Next.js or Remix app beside its
// API routes and loaders, the helpers only that code imports. A call made in a browser does not leave a server process,
// so no rule reports it. Unknown means server: a file is browser code only on evidence.
import type { FileFacts } from '../extract/facts';
import type { SourceFileEntry } from '../types';

/** Modules only browser code imports: UI frameworks and their routers, state bindings and DOM renderers. */
const UI_MODULES = /^(react|react-dom|react-dom\/client|preact|vue|svelte|solid-js|@angular\/core|react-router-dom|@remix-run\/react|next\/(navigation|router|link|dynamic)|mobx-react(-lite)?|styled-components|@tanstack\/react-query|@apollo\/client|react-i18next)$/;
/** Exports a framework runs on the server: Remix/React Router loaders and actions, Next.js data functions and route handlers. */
const SERVER_EXPORTS = new Set(['loader', 'action', 'getServerSideProps', 'getStaticProps', 'getStaticPaths', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'middleware']);
/** Folders whose name says their code runs in the browser: `client-only/`, the front-end assets of AdonisJS and Laravel-style apps. */
const BROWSER_FOLDER = /(^|\/)(client-only|resources\/js)\//;
/** Server code whatever it imports: Next.js API routes, route handlers and middleware, Remix's `*.server.ts` modules. */
const SERVER_FILE = /(^|\/)pages\/api\/|(^|\/)app\/(.*\/)?route\.[cm]?[jt]s$|(^|\/)middleware\.[cm]?[jt]s$|\.server\.[cm]?[jt]sx?$/;
/** React components are capitalised, hooks start with `use`: a call inside one runs in the browser (or in a render). */
const COMPONENT_OR_HOOK = /^([A-Z]|use[A-Z])/;

export class BrowserCode {
  private readonly files = new Set<string>();
  /** UI files that also export server code (a Remix route with a loader): browser only inside components and hooks. */
  private readonly mixed = new Set<string>();

  /**
   * @param imports file → the workspace files it imports (`importGraph`)
   */
  constructor(facts: readonly FileFacts[], entries: readonly SourceFileEntry[], imports: Map<string, string[]>) {
    const runs = new Map(entries.map((entry) => [entry.path, entry.runs]));
    for (const file of facts) {
      if (file.browser || runs.get(file.path) === 'browser' || BROWSER_FOLDER.test(file.path)) this.files.add(file.path);
      else if (!SERVER_FILE.test(file.path) && file.imports.some((specifier) => UI_MODULES.test(specifier))) {
        if (file.exports.some((entry) => SERVER_EXPORTS.has(entry.name))) this.mixed.add(file.path);
        else this.files.add(file.path);
      }
    }
    this.addImportedOnlyByBrowser(imports, runs);
  }

  /** Helpers imported by browser code alone (an SPA's API client) run in the browser too. */
  private addImportedOnlyByBrowser(imports: Map<string, string[]>, runs: Map<string, SourceFileEntry['runs']>): void {
    const importers = new Map<string, string[]>();
    for (const [from, targets] of imports) {
      for (const target of targets) {
        const list = importers.get(target) ?? [];
        list.push(from);
        importers.set(target, list);
      }
    }
    const queue = [...this.files];
    while (queue.length > 0) {
      const file = queue.pop()!;
      for (const target of imports.get(file) ?? []) {
        if (this.files.has(target) || SERVER_FILE.test(target) || runs.get(target) === 'tool') continue;
        if ((importers.get(target) ?? []).every((importer) => this.files.has(importer))) {
          this.files.add(target);
          queue.push(target);
        }
      }
    }
  }

  isBrowserFile(file: FileFacts): boolean {
    return this.files.has(file.path);
  }

  /** The call runs in a browser: its file does, or it is written inside a component or hook of a mixed route module. */
  isBrowserCall(file: FileFacts, callIndex: number): boolean {
    if (this.files.has(file.path)) return true;
    if (!this.mixed.has(file.path)) return false;
    for (let fn = file.calls[callIndex].fn; fn >= 0; fn = file.functions[fn].parent) {
      const name = file.functions[fn].name;
      if (name !== undefined && COMPONENT_OR_HOOK.test(name)) return true;
    }
    return false;
  }
}
