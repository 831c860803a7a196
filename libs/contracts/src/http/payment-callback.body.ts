import { Type } from 'class-transformer';
import { IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Money } from '../core/money.value';
import { IsId, IsUtcTimestamp } from '../core/validators';

/** Header carrying the provider's hex HMAC-SHA256 of the canonical payment string (checked by the order service). */
export const PAYMENT_SIGNATURE_HEADER = 'x-payment-signature';

/** The payment provider's callback body, signed by the provider (the order service verifies the signature). */
export class PaymentCallbackBody {
  @IsId()
  orderId: string;

  /** The provider's unique payment reference; the idempotency key of the callback. */
  @IsString({ message: '$property must be a string' })
  @MaxLength(128, { message: '$property must be at most 128 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: '$property must be visible ASCII' })
  paymentRef: string;

  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  amount: Money;

  /** When the provider captured the payment (covered by the signature). */
  @IsUtcTimestamp()
  paidAt: string;
}
