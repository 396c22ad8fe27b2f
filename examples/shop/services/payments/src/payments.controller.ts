import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { PaymentsService, type ChargeRequest } from './payments.service';

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  charge(@Body() request: ChargeRequest) {
    return this.payments.charge(request);
  }

  @Get(':id')
  find(@Param('id') id: string) {
    return this.payments.find(id);
  }

  // Called by the acquirer when a cardholder disputes a payment.
  @Post(':id/chargebacks')
  @HttpCode(202)
  async chargeback(@Param('id') id: string, @Body() body: { reason: string }) {
    await this.payments.recordChargeback(id, body.reason);
  }
}
