// The entry of the large-stack extraction worker (engine/extract/deep.ts). Runs TypeScript's parser and the extractor
// for files that overflow the main thread's stack, then cuts the values so deep that the link stage's recursive walks
// could overflow in turn.
import { parentPort } from 'node:worker_threads';
import { extractFile } from './extract';
import { limitValueDepth } from './deep-values';

parentPort?.on('message', ({ id, path, text }: { id: number; path: string; text: string }) => {
  try {
    // JSON, not structured clone: JSON.parse does not recurse, so reading the facts back cannot overflow the main thread.
    parentPort!.postMessage({ id, json: JSON.stringify(limitValueDepth(extractFile(path, text))) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
