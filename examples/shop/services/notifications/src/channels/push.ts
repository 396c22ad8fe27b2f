import { config } from '../config.js';

export async function sendPush(deviceToken: string, title: string, body: string): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.push.timeoutMs);
  try {
    const response = await fetch(`${config.push.url}/messages`, {
      method: 'POST',
      headers: { authorization: `key=${config.push.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: deviceToken, notification: { title, body } }),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`push provider answered ${response.status}`);
  } finally {
    clearTimeout(timer);
  }
}
