import { config } from '../config.js';

export interface Email {
  to: string;
  template: string;
  data: Record<string, unknown>;
}

export async function sendEmail(email: Email): Promise<void> {
  const response = await fetch(`${config.email.url}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.email.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(email),
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`email provider answered ${response.status}`);
}
