// Which functions only browser code or developers' tools call. A module shared by server and browser code (an editor
// helper, an API client package the CLI and the workers both import) may hold functions that only one side calls:
// `getFileForUrl` called only from a browser plugin runs in the browser, `getReport` called only from CLI commands
// runs as a tool. Files are decided first (BrowserCode, tool folders); this follows the calls within them.
import type { FileFacts } from '../extract/facts';
import type { CallSite } from './evaluate';

/** `nowhere`: it never runs in production (a module's own function no code names, code only tests use, and what only they call). */
export type OnlyRunsIn = 'browser' | 'tool' | 'nowhere';

interface Callers {
  callersOf(file: FileFacts, fn: number): Array<{ site: CallSite }>;
}

export class FunctionReach {
  private readonly memo = new Map<string, OnlyRunsIn | undefined>();
  private readonly active = new Set<string>();

  /**
   * @param isBrowserCall the call's file or branch runs in a browser (BrowserCode)
   * @param toolFiles files that run as developers' tools
   * @param neverRunFiles files that never run in production: code only tests import, modules nothing loads
   */
  constructor(
    private readonly registry: Callers,
    private readonly isBrowserCall: (file: FileFacts, callIndex: number) => boolean,
    private readonly toolFiles: ReadonlySet<string>,
    private readonly neverRunFiles: ReadonlySet<string> = new Set(),
  ) {}

  /** Where the code that reaches call `callIndex` of `file` only runs; undefined when a server may run it (or no one can tell). */
  ofCall(file: FileFacts, callIndex: number): OnlyRunsIn | undefined {
    if (this.neverRunFiles.has(file.path)) return 'nowhere';
    if (this.isBrowserCall(file, callIndex)) return 'browser';
    if (this.toolFiles.has(file.path)) return 'tool';
    for (let fn = file.calls[callIndex].fn; fn >= 0; fn = file.functions[fn].parent) {
      const only = this.ofFunction(file, fn);
      if (only) return only;
    }
    return undefined;
  }

  /**
   * A function every known caller of which runs in a browser runs there; one whose callers are all tools (or tools
   * and browsers) runs as a tool; one only dead code calls is dead. No known caller decides nothing (an export, a
   * handler a framework calls), unless no code even names the function.
   */
  private ofFunction(file: FileFacts, fn: number): OnlyRunsIn | undefined {
    const key = `${file.path}#${fn}`;
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.active.has(key)) return undefined; // a caller still being worked out (recursion) decides nothing
    this.active.add(key);
    const callers = this.registry.callersOf(file, fn);
    let only: OnlyRunsIn | undefined;
    if (callers.length === 0 && file.functions[fn].unreferenced) only = 'nowhere';
    else if (callers.length > 0) {
      const kinds = callers.map(({ site }) => this.ofCall(site.file, site.callIndex));
      if (kinds.every((kind) => kind === 'nowhere')) only = 'nowhere';
      else if (kinds.every((kind) => kind === 'browser' || kind === 'nowhere')) only = 'browser';
      else if (kinds.every((kind) => kind !== undefined)) only = 'tool';
    }
    this.active.delete(key);
    this.memo.set(key, only);
    return only;
  }
}
