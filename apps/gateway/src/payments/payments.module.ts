import { Module } from '@nestjs/common';
import { PaymentCallbackController } from './payment-callback.controller';

/** The payment provider's entry: its signed callbacks, relayed to the order service. */
@Module({ controllers: [PaymentCallbackController] })
export class PaymentsModule {}
