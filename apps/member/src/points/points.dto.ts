import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '@omni/platform';
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

/** GET /internal/members/:memberId/points/history: a page size and the keyset cursor. */
export class PointsHistoryQueryDto {
  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 100' })
  @Min(1, { message: '$property must be an integer between 1 and 100' })
  @Max(100, { message: '$property must be an integer between 1 and 100' })
  limit?: number;

  /** The `nextBefore` of the previous page. */
  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be a positive integer (the nextBefore of the previous page)' })
  @Min(1, { message: '$property must be a positive integer (the nextBefore of the previous page)' })
  before?: number;
}
