import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AcquirerClient } from './acquirer.client';
import { FraudClient } from './fraud.client';
import { FxRatesClient } from './fx-rates.client';
import { LedgerRepository, type Payment } from './ledger.repository';

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  cardToken: string;
}

const SETTLEMENT_CURRENCY = 'EUR';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly acquirer: AcquirerClient,
    private readonly fraud: FraudClient,
    private readonly fxRates: FxRatesClient,
    private readonly ledger: LedgerRepository,
  ) {}

  async charge(request: ChargeRequest): Promise<Payment> {
    const id = randomUUID();
    const { orderId, amountCents, currency } = request;
    const verdict = await this.fraud.score({ paymentId: id, customerId: request.customerId, amountCents, currency });
    if (verdict.decision === 'DENY') {
      return this.ledger.record({ id, orderId, status: 'declined', amountCents, currency });
    }

    const rate = currency === SETTLEMENT_CURRENCY ? 1 : await this.fxRates.rate(currency, SETTLEMENT_CURRENCY);
    const authorization = await this.acquirer.authorize(id, amountCents, currency, request.cardToken);
    return this.ledger.record({
      id,
      orderId,
      status: authorization.status === 'approved' ? 'authorized' : 'declined',
      amountCents,
      currency,
      settlementCents: Math.round(amountCents * rate),
      authorizationId: authorization.id,
    });
  }

  async find(id: string): Promise<Payment> {
    const payment = await this.ledger.find(id);
    if (!payment) throw new NotFoundException(`payment ${id} not found`);
    return payment;
  }

  async recordChargeback(id: string, reason: string): Promise<void> {
    await this.ledger.markChargedBack(id, reason);
    await this.fraud.reportChargeback(id, reason);
  }
}
