import { correlationHeaders } from './correlation';

export class RpcError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${url} answered ${status}`);
    this.name = 'RpcError';
  }
}

/**
 * JSON over HTTP to another service of the shop, with the current request id attached.
 * Each caller picks its own deadline: pass `signal: AbortSignal.timeout(ms)`.
 */
export async function rpc<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...correlationHeaders(),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  if (!response.ok) throw new RpcError(url, response.status, await response.text());
  return (await response.json()) as T;
}
