import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PAYMENT_SIGNATURE_HEADER, PaymentCallbackBody } from '@omni/contracts';
import { PaymentProviderAuth } from '../auth/auth.decorators';
import { ApiValidatedBody } from '../docs/validator-schemas';
import { Upstreams } from '../upstream/upstreams';

/**
 * The payment provider's callback. The gateway checks the body's shape and that a signature is
 * there, then relays body and signature to the order service, which alone holds the shared secret
 * and verifies the signature (one signing rule, in one place): a forged one is answered 401.
 */
@ApiTags('payment provider')
@PaymentProviderAuth()
@Controller('payments')
export class PaymentCallbackController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Signed, idempotent by paymentRef: 200 with `captured` or `refund_required`. */
  @Post('callback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Payment captured (the provider calls this)' })
  @ApiValidatedBody(PaymentCallbackBody)
  @ApiOkResponse({ description: '{ outcome: captured | refund_required }' })
  async callback(@Body() body: PaymentCallbackBody, @Headers(PAYMENT_SIGNATURE_HEADER) signature: string): Promise<unknown> {
    const answer = await this.upstreams.orderPayments.call({ method: 'POST', path: 'payments/callback', body, headers: { [PAYMENT_SIGNATURE_HEADER]: signature }, relayStatuses: [401] });
    return answer.body;
  }
}
