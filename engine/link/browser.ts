// Which code runs in a browser, file by file and call by call, where the project alone cannot tell: a React SPA in the
// same package as its server (`app/` beside `server/`), the pages and components of a Next.js or Remix app beside its
// API routes and loaders, the helpers only that code imports. A call made in a browser does not leave a server process,
// so no rule reports it. Unknown means server: a file is browser code only on evidence.
import type { FileFacts } from '../extract/facts';
import type { SourceFileEntry } from '../types';
import { reachedOnlyFrom } from './reach';

/** Modules only browser code imports: UI frameworks and their routers, state bindings and DOM renderers. */
const UI_MODULES = /^(react|react-dom|react-dom\/client|preact|vue|svelte|solid-js|@angular\/core|react-router-dom|@remix-run\/react|next\/(navigation|router|link|dynamic)|mobx-react(-lite)?|styled-components|@tanstack\/react-query|@apollo\/client|react-i18next)$/;
/** Exports a framework runs on the server: Remix/React Router loaders and actions, Next.js data functions and route handlers. */
const SERVER_EXPORTS = new Set(['loader', 'action', 'getServerSideProps', 'getStaticProps', 'getStaticPaths', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'middleware']);
/** Folders whose name says their code runs in the browser: `client-only/`, the front-end assets of AdonisJS and Laravel-style apps. */
const BROWSER_FOLDER = /(^|\/)(client-only|resources\/js)\//;
/** Server code whatever it imports: Next.js API routes, route handlers and middleware, Remix's `*.server.ts` modules. */
const SERVER_FILE = /(^|\/)pages\/api\/|(^|\/)app\/(.*\/)?route\.[cm]?[jt]s$|(^|\/)middleware\.[cm]?[jt]s$|\.server\.[cm]?[jt]sx?$/;

/** Server code whatever imports it: see SERVER_FILE. */
export function isServerModule(path: string): boolean {
  return SERVER_FILE.test(path);
}
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
    const clientHalves = clientFolders(facts.map((file) => file.path));
    for (const file of facts) {
      if (file.browser || runs.get(file.path) === 'browser' || BROWSER_FOLDER.test(file.path) || clientHalves.some((folder) => file.path.startsWith(folder))) this.files.add(file.path);
      else if (!SERVER_FILE.test(file.path) && [...file.imports, ...(file.typeImports ?? [])].some((specifier) => UI_MODULES.test(specifier))) {
        if (file.exports.some((entry) => SERVER_EXPORTS.has(entry.name))) this.mixed.add(file.path);
        else this.files.add(file.path);
      }
    }
    // A JSX module nothing imports, outside a server folder, is loaded by a bundler (`import.meta.glob`): in the browser.
    const imported = new Set([...imports.values()].flat());
    for (const file of facts) {
      const serverCode = this.mixed.has(file.path) || SERVER_FILE.test(file.path) || /(^|\/)server\//.test(file.path) || file.exports.some((entry) => SERVER_EXPORTS.has(entry.name));
      if (/\.[jt]sx$/.test(file.path) && !imported.has(file.path) && !serverCode) this.files.add(file.path);
    }
    this.addImportedOnlyByBrowser(imports, runs);
  }

  /** Helpers imported by browser code alone (an SPA's API client, its stores) run in the browser too. */
  private addImportedOnlyByBrowser(imports: Map<string, string[]>, runs: Map<string, SourceFileEntry['runs']>): void {
    const eligible = (file: string) => !SERVER_FILE.test(file) && runs.get(file) !== 'tool';
    for (const file of reachedOnlyFrom(new Set(this.files), imports, eligible)) this.files.add(file);
  }

  isBrowserFile(path: string): boolean {
    return this.files.has(path);
  }

  /**
   * The call runs in a browser: its file does, it is in a browser-only branch (`if (typeof window !== 'undefined')`),
   * or it is written inside a component or hook of a mixed route module.
   */
  isBrowserCall(file: FileFacts, callIndex: number): boolean {
    if (this.files.has(file.path) || file.calls[callIndex].browserOnly) return true;
    if (!this.mixed.has(file.path)) return false;
    for (let fn = file.calls[callIndex].fn; fn >= 0; fn = file.functions[fn].parent) {
      const name = file.functions[fn].name;
      if (name !== undefined && COMPONENT_OR_HOOK.test(name)) return true;
    }
    return false;
  }
}

/**
 * `client/` folders with a `server/` beside them (`plugins/slack/client/` and `plugins/slack/server/`), and `frontend/`
 * beside `backend/`: the two halves of a full-stack package, the first of which runs in the browser.
 */
function clientFolders(paths: string[]): string[] {
  const folders = new Set<string>();
  for (const file of paths) {
    const segments = file.split('/');
    for (let i = 0; i < segments.length - 1; i++) folders.add(`${segments.slice(0, i + 1).join('/')}/`);
  }
  const halves: string[] = [];
  for (const folder of folders) {
    const match = /^(.*?)(client|frontend)\/$/.exec(folder);
    if (!match || !(match[1] === '' || match[1].endsWith('/'))) continue;
    const server = `${match[1]}${match[2] === 'client' ? 'server' : 'backend'}/`;
    if (folders.has(server)) halves.push(folder);
  }
  return halves;
}
