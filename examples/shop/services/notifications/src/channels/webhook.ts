import { createHmac } from 'node:crypto';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

/** Signed POST to a partner's endpoint; they verify `x-shop-signature` with the shared secret. */
export async function deliverWebhook(endpoint: WebhookEndpoint, event: string, payload: unknown): Promise<void> {
  const body = JSON.stringify({ event, payload, sentAt: new Date().toISOString() });
  const signature = createHmac('sha256', endpoint.secret).update(body).digest('hex');
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shop-signature': signature },
    body,
  });
  if (!response.ok) throw new Error(`webhook ${endpoint.url} answered ${response.status}`);
}
