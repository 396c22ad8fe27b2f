// Files nested deeper than the main thread's stack allows (500 nested callbacks, 1,000 nested parentheses, a long
// call chain) are parsed and extracted again in a worker thread with a large stack. TypeScript's parser recurses,
// so only a larger stack helps. The worker starts only when a file needs it, and is stopped after each run.
//
// The worker runs the code that is already loaded: the bundle that holds this module (dist/cli.js, dist/server.js,
// dist/engine.js, the extension's server), or this source file under tsx. So there is no second copy of TypeScript to
// ship; the front ends do not start themselves in a worker thread.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { extractFile } from './extract';
import { limitValueDepth } from './deep-values';
import type { FileFacts } from './facts';

/** Marks the worker thread, for the code below that answers in it. */
const WORKER_FLAG = 'breakwaterLargeStackExtraction';

/** Enough for 10,000 nested parentheses, which TypeScript's parser handles in about 40 MB. */
const STACK_SIZE_MB = 256;

/** True when an error is a stack overflow: the only failure a larger stack can fix. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

export class LargeStackExtractor {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (facts: FileFacts) => void; reject: (error: Error) => void }>();

  extract(relativePath: string, text: string): Promise<FileFacts> {
    const worker = (this.worker ??= this.start());
    // Referenced while it works, so the process waits for the answer; unreferenced when idle.
    worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path: relativePath, text });
    });
  }

  /** Stops the worker; a later `extract` starts a new one. */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    const [entry, options] = workerEntry();
    const worker = new Worker(entry, { ...options, workerData: { [WORKER_FLAG]: true }, resourceLimits: { stackSizeMb: STACK_SIZE_MB } });
    worker.on('message', (message: { id: number; json?: string; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.json !== undefined) waiting?.resolve(JSON.parse(message.json) as FileFacts);
      else waiting?.reject(new Error(message.error));
      if (this.pending.size === 0) worker.unref();
    });
    const failAll = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the extraction worker stopped (exit code ${code})`)));
    return worker;
  }
}

/** The file the worker loads: the running bundle, or this source file through tsx (tests run the sources). */
function workerEntry(): [string, { eval?: boolean }] {
  if (__filename.endsWith('.ts')) return [`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true }];
  return [__filename, {}];
}

/** In the worker: extract what is asked, and cut the values so deep that the link stage's walks could overflow. */
function serveExtraction(): void {
  parentPort?.on('message', ({ id, path: file, text }: { id: number; path: string; text: string }) => {
    try {
      // JSON, not structured clone: JSON.parse does not recurse, so reading the facts back cannot overflow the main thread.
      parentPort!.postMessage({ id, json: JSON.stringify(limitValueDepth(extractFile(file, text))) });
    } catch (error) {
      parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

export const inExtractionWorker = !isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true;
if (inExtractionWorker) serveExtraction();
