import * as path from 'node:path';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { currentRequestId } from '@shop/common';

const packageDefinition = protoLoader.loadSync(path.join(__dirname, '../proto/fraud.proto'), {
  longs: Number,
  enums: String,
  defaults: true,
});
const proto = grpc.loadPackageDefinition(packageDefinition) as any;

export interface FraudVerdict {
  score: number;
  decision: 'ALLOW' | 'REVIEW' | 'DENY';
}

/** gRPC client of the risk team's fraud service. */
@Injectable()
export class FraudClient implements OnModuleDestroy {
  private readonly client = new proto.shop.fraud.v1.FraudService(
    process.env.FRAUD_GRPC_ADDRESS ?? 'fraud:50051',
    grpc.credentials.createInsecure(),
  );

  score(payment: { paymentId: string; customerId: string; amountCents: number; currency: string }): Promise<FraudVerdict> {
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', currentRequestId() ?? '');
    return new Promise((resolve, reject) => {
      this.client.scorePayment(payment, metadata, { deadline: Date.now() + 1_000 }, (error: grpc.ServiceError | null, verdict: FraudVerdict) =>
        error ? reject(error) : resolve(verdict),
      );
    });
  }

  reportChargeback(paymentId: string, reason: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.reportChargeback({ paymentId, reason }, (error: grpc.ServiceError | null) => (error ? reject(error) : resolve()));
    });
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
