import { rpc } from '@shop/common/rpc';
import { config } from '../config.js';
import { downstreamLimit } from './limits.js';

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  cardToken: string;
}

export interface Charge {
  id: string;
  status: 'authorized' | 'declined';
}

export function chargeOrder(request: ChargeRequest): Promise<Charge> {
  return downstreamLimit(() =>
    rpc<Charge>(`${config.payments.url}/payments`, {
      method: 'POST',
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(3_000),
    }),
  );
}
