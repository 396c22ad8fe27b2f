import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { AcquirerClient } from './acquirer.client';
import { FraudClient } from './fraud.client';
import { FX_RATES, FxRatesClient } from './fx-rates.client';
import { LedgerRepository } from './ledger.repository';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  imports: [
    HttpModule.register({ maxRedirects: 5 }),
    ClientsModule.register([
      {
        name: FX_RATES,
        transport: Transport.TCP,
        options: { host: process.env.FX_RATES_HOST ?? 'fx-rates', port: 4010 },
      },
    ]),
  ],
  controllers: [PaymentsController],
  providers: [PaymentsService, AcquirerClient, FraudClient, FxRatesClient, LedgerRepository],
})
export class AppModule {}
