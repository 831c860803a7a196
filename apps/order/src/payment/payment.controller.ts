import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { PAYMENT_SIGNATURE_HEADER } from '@omni/contracts';
import { PaymentCallbackDto } from './payment.dto';
import { PaymentResult, PaymentService } from './payment.service';

/** Header carrying the provider's hex HMAC-SHA256 of the canonical payment string (named in @omni/contracts). */
export { PAYMENT_SIGNATURE_HEADER };

/** The payment provider's callback. */
@Controller('payments')
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  /** Signed, idempotent by paymentRef: 200 with captured or refund_required. */
  @Post('callback')
  @HttpCode(200)
  callback(@Body() body: PaymentCallbackDto, @Headers(PAYMENT_SIGNATURE_HEADER) signature: string | undefined): Promise<PaymentResult> {
    return this.payments.callback(body, signature);
  }
}
