import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import CircuitBreaker from 'opossum';
import { firstValueFrom, timeout } from 'rxjs';

export const FX_RATES = 'FX_RATES';

/** Exchange rates from the treasury team's fx-rates service (Nest TCP transport). */
@Injectable()
export class FxRatesClient {
  private readonly breaker: CircuitBreaker<[string, string], number>;

  constructor(@Inject(FX_RATES) private readonly client: ClientProxy) {
    this.breaker = new CircuitBreaker((from: string, to: string) => this.requestRate(from, to), { resetTimeout: 30_000 });
  }

  rate(from: string, to: string): Promise<number> {
    return this.breaker.fire(from, to);
  }

  private requestRate(from: string, to: string): Promise<number> {
    return firstValueFrom(this.client.send<number>({ cmd: 'rate' }, { from, to }).pipe(timeout(3_000)));
  }
}
