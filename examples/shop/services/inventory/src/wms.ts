import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { config } from './config';

// The warehouse management system: each attempt gets 2 s, then the breaker and one retry.
const wmsPolicy = wrap(
  retry(handleAll, { maxAttempts: 1, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 15_000, breaker: new ConsecutiveBreaker(5) }),
  timeout(2_000, TimeoutStrategy.Aggressive),
);

export interface BinLocation {
  warehouse: string;
  aisle: string;
  bin: string;
}

export function binLocation(sku: string): Promise<BinLocation> {
  return wmsPolicy.execute(async () => {
    const response = await fetch(`${config.wms.url}/api/bins?sku=${encodeURIComponent(sku)}`);
    if (!response.ok) throw new Error(`WMS answered ${response.status}`);
    return (await response.json()) as BinLocation;
  });
}
