import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsChannelCode, IsId, IsUtcTimestamp } from '@omni/contracts';

/** POST /internal/members/:memberId/points/earn: points for a paid order (the order-paid consumer does the same). */
export class EarnPointsDto {
  @IsId()
  orderId: string;

  @IsChannelCode()
  channel: string;

  /** Amount paid in minor units; points are earned per whole currency unit times the tier multiplier. */
  @IsInt({ message: '$property must be an integer of minor units between 0 and 1000000000' })
  @Min(0, { message: '$property must be an integer of minor units between 0 and 1000000000' })
  @Max(1_000_000_000, { message: '$property must be an integer of minor units between 0 and 1000000000' })
  paidAmount: number;

  @IsOptional()
  @IsUtcTimestamp()
  paidAt?: string;
}

/** POST /internal/points/reverse: take back the points an order earned (the order was refunded). */
export class ReverseEarnDto {
  @IsId()
  orderId: string;
}
