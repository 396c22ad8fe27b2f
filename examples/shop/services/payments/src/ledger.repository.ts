import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';

export interface Payment {
  id: string;
  orderId: string;
  status: 'authorized' | 'declined' | 'charged_back';
  amountCents: number;
  currency: string;
  settlementCents?: number;
  authorizationId?: string;
}

@Injectable()
export class LedgerRepository implements OnModuleDestroy {
  private readonly pool = new Pool({
    connectionString: process.env.PAYMENTS_DATABASE_URL,
    max: 10,
    connectionTimeoutMillis: 5_000,
  });

  async record(payment: Payment): Promise<Payment> {
    await this.pool.query(
      `insert into payments (id, order_id, status, amount_cents, currency, settlement_cents, authorization_id)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [payment.id, payment.orderId, payment.status, payment.amountCents, payment.currency, payment.settlementCents, payment.authorizationId],
    );
    return payment;
  }

  async find(id: string): Promise<Payment | undefined> {
    const { rows } = await this.pool.query(
      `select id, order_id as "orderId", status, amount_cents as "amountCents", currency,
              settlement_cents as "settlementCents", authorization_id as "authorizationId"
         from payments where id = $1`,
      [id],
    );
    return rows[0];
  }

  async markChargedBack(id: string, reason: string): Promise<void> {
    await this.pool.query(`update payments set status = 'charged_back', chargeback_reason = $2 where id = $1`, [id, reason]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
