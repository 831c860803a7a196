import { Type } from 'class-transformer';
import { IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsId, IsUtcTimestamp, Money } from '@omni/contracts';

/** The payment provider's callback body (signed, see payment-signature.ts). */
export class PaymentCallbackDto {
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

  @IsUtcTimestamp()
  paidAt: string;
}
