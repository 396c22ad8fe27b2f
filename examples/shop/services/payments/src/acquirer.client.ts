import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export interface Authorization {
  id: string;
  status: 'approved' | 'declined';
  declineCode?: string;
}

/** The card acquirer's REST API. */
@Injectable()
export class AcquirerClient {
  private readonly baseUrl = process.env.ACQUIRER_URL ?? 'https://api.acquirer.example';

  constructor(private readonly http: HttpService) {}

  async authorize(paymentId: string, amountCents: number, currency: string, cardToken: string): Promise<Authorization> {
    const { data } = await firstValueFrom(
      this.http.post<Authorization>(
        `${this.baseUrl}/v1/authorizations`,
        { reference: paymentId, amount: amountCents, currency, source: cardToken, capture: true },
        { headers: { 'idempotency-key': paymentId } },
      ),
    );
    return data;
  }
}
