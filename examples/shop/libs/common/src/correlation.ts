// The request id travels with every request through the shop: read from `x-request-id` (or made up) at the edge,
// kept in AsyncLocalStorage while the request is handled, and sent on with every outbound call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<{ requestId: string }>();

export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const incoming = headers[REQUEST_ID_HEADER];
  return (Array.isArray(incoming) ? incoming[0] : incoming) || randomUUID();
}

/** Connect-style middleware for express and Nest. */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const requestId = requestIdFrom(req.headers);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  storage.run({ requestId }, next);
}

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Headers for an outbound call made while handling a request. */
export function correlationHeaders(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}
