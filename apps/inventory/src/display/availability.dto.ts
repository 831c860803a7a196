import { QueryInt } from '@omni/platform';
import { IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsChannelCode, IsId, IsSkuCode } from '@omni/contracts';
import { IsOmittable } from '../movements/dto-rules';
import type { DisplayHint } from './display-hint.policy';

/** Profile kinds a channel listing can use. */
export const DISPLAY_PROFILE_KINDS = ['online', 'store', 'remote'] as const;

/** Route params of /internal/availability/:sku. */
export class AvailabilityParamsDto {
  @IsSkuCode()
  sku: string;
}

/** Query of GET /internal/availability/:sku. */
export class AvailabilityQueryDto {
  @IsChannelCode()
  channel: string;

  /** Display profile kind; `online` when absent. */
  @IsOmittable()
  @IsIn(DISPLAY_PROFILE_KINDS, { message: `$property must be one of ${DISPLAY_PROFILE_KINDS.join(', ')}` })
  profile?: (typeof DISPLAY_PROFILE_KINDS)[number];

  /** Online profile: show "only N left" at or under this ATP (default 5). */
  @IsOmittable()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 0 and 10000' })
  @Min(0, { message: '$property must be an integer between 0 and 10000' })
  @Max(10_000, { message: '$property must be an integer between 0 and 10000' })
  threshold?: number;

  /** Store profile: the store the shopper is at (required with profile=store). */
  @ValidateIf((o: AvailabilityQueryDto) => o.profile === 'store' || o.location !== undefined)
  @IsId()
  location?: string;
}

/** ATP of a SKU for one channel with the hint to display. */
export interface AvailabilityView {
  sku: string;
  channel: string;
  /** Per-SKU stock version the figures are as of. */
  version: number;
  /** Units the channel may promise. */
  atp: number;
  /** Units the channel may promise from each open location with stock. */
  locations: Array<{ locationId: string; atp: number }>;
  hint: DisplayHint;
}
