import { ArrayMaxSize, IsArray, ValidateIf } from 'class-validator';
import { IsChannelCode, IsId, IsNonNegativeInt, IsUtcTimestamp } from '@omni/contracts';

/** Confirm or Cancel of a member branch (the same fields as the Kafka command). */
export class MemberBranchDto {
  @IsId()
  gid: string;

  @IsId()
  branchId: string;

  @IsId()
  memberId: string;

  @IsChannelCode()
  channel: string;

  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(5, { message: '$property must contain at most 5 coupons' })
  @IsId({ each: true })
  couponIds: string[];

  @IsNonNegativeInt()
  points: number;

  @ValidateIf((o: MemberBranchDto) => o.giftCardAmount > 0 || o.giftCardId !== undefined)
  @IsId()
  giftCardId?: string;

  @IsNonNegativeInt()
  giftCardAmount: number;
}

/** Try of a member branch. */
export class MemberBranchTryDto extends MemberBranchDto {
  /** The order's payment deadline: what is frozen stays frozen until then. */
  @IsUtcTimestamp()
  deadline: string;
}
