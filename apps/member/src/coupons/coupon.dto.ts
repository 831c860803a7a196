import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { IsChannelCode, IsUtcTimestamp } from '@omni/contracts';

const CODE = /^[A-Za-z0-9._:-]{1,64}$/;

/** POST /internal/members/:memberId/coupons: issue a coupon from a pricing coupon template's terms. */
export class IssueCouponDto {
  @Matches(CODE, { message: '$property must be a template id (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  templateId: string;

  /** The code a quote names to apply the template. */
  @Matches(CODE, { message: '$property must be a coupon code (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  code: string;

  /** Channels the template allows; absent or empty means every channel. */
  @IsOptional()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(32, { message: '$property must contain at most 32 channels' })
  @IsChannelCode({ each: true })
  channels?: string[];

  @IsUtcTimestamp()
  validFrom: string;

  @IsUtcTimestamp()
  validTo: string;

  /** One coupon per key, ever (e.g. 'member-day:2026-06:<memberId>'): a repeated issue returns the first. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: '$property must be 1-128 characters of A-Z a-z 0-9 . _ : -' })
  occasionKey?: string;
}
