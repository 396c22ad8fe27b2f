// Code nobody waits for: a call whose result is dropped (`void send()`, `send().catch(log)`), and everything a
// function does when nobody waits for the function: an async IIFE whose result is dropped, a timer's callback. A slow
// downstream there stalls no caller, so nothing cascades. A function whose callers drop its result is not enough: an
// express `asyncHandler` calls every route handler as `fn(req, res).catch(next)`, and the client still waits.
import type { FileFacts } from '../extract/facts';

/** Globals that run a callback later, with nobody waiting for it. */
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process.nextTick']);

export class DetachedCode {
  private readonly timerCallbacks = new WeakMap<FileFacts, Set<number>>();

  /** Does nobody wait for call `callIndex` of `file`? */
  call(file: FileFacts, callIndex: number): boolean {
    const fact = file.calls[callIndex];
    if (fact.detached) return true;
    for (let fn = fact.fn; fn >= 0; fn = file.functions[fn].parent) if (this.function(file, fn)) return true;
    return false;
  }

  private function(file: FileFacts, fn: number): boolean {
    return !!file.functions[fn].detached || this.timerCallbacksOf(file).has(fn);
  }

  private timerCallbacksOf(file: FileFacts): Set<number> {
    let found = this.timerCallbacks.get(file);
    if (found) return found;
    found = new Set();
    for (const call of file.calls) {
      if (!TIMERS.has(call.text) || call.isNew) continue;
      const first = call.args[0];
      const value = first?.k === 'ref' ? file.bindings[first.b]?.value : first;
      if (value?.k === 'fn') found.add(value.f);
    }
    this.timerCallbacks.set(file, found);
    return found;
  }
}
