// Code nobody waits for: a call whose result is dropped (`void send()`, `send().catch(log)`), and everything a
// function does when nobody waits for the function: an async IIFE whose result is dropped, a timer's callback. A slow
// downstream there stalls no caller, so nothing cascades. A function whose callers drop its result is not enough: an
// express `asyncHandler` calls every route handler as `fn(req, res).catch(next)`, and the client still waits.
import type { FileFacts } from '../extract/facts';
import { handedTo } from './handed-to';

/** Globals that run a callback later, with nobody waiting for it. */
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process.nextTick']);

export class DetachedCode {
  /** Does nobody wait for call `callIndex` of `file`? */
  call(file: FileFacts, callIndex: number): boolean {
    const fact = file.calls[callIndex];
    if (fact.detached) return true;
    for (let fn = fact.fn; fn >= 0; fn = file.functions[fn].parent) if (this.function(file, fn)) return true;
    return false;
  }

  private function(file: FileFacts, fn: number): boolean {
    return !!file.functions[fn].detached || (handedTo(file).get(fn) ?? []).some((callee) => TIMERS.has(callee));
  }
}
