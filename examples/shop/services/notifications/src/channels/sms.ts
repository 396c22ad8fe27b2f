import axios from 'axios';
import Bottleneck from 'bottleneck';
import CircuitBreaker from 'opossum';
import { config } from '../config.js';

// The SMS provider accepts 5 requests a second per account.
const limiter = new Bottleneck({ maxConcurrent: 5, minTime: 200 });

async function postMessage(to: string, body: string): Promise<void> {
  await axios.post(
    `${config.sms.url}/Accounts/${config.sms.accountId}/Messages.json`,
    new URLSearchParams({ To: to, From: config.sms.sender, Body: body }),
    { auth: { username: config.sms.accountId, password: config.sms.token } },
  );
}

// opossum fails a call after 10 s unless given another `timeout`.
const breaker = new CircuitBreaker(postMessage, { errorThresholdPercentage: 50, resetTimeout: 30_000 });

export function sendSms(to: string, body: string): Promise<void> {
  return limiter.schedule(() => breaker.fire(to, body));
}
