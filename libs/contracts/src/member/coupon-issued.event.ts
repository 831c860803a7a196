import { IsArray } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsText, IsUtcTimestamp } from '../core/validators';

/** A coupon was issued into a member's wallet from a pricing coupon template. */
export class CouponIssuedEvent extends EventPayloadBase {
  /** The member. */
  @IsId()
  memberId: string;

  /** The coupon instance (usable once). */
  @IsId()
  couponId: string;

  /** Pricing's coupon template. */
  @IsText(64)
  templateId: string;

  /** Channels it may be used in; empty means every channel. */
  @IsArray({ message: '$property must be an array' })
  @IsChannelCode({ each: true })
  channels: string[];

  /** Start of validity. */
  @IsUtcTimestamp()
  validFrom: string;

  /** Exclusive end of validity. */
  @IsUtcTimestamp()
  validTo: string;
}

/** coupon-issued: keyed by member id. */
export const COUPON_ISSUED = defineEvent<CouponIssuedEvent>({
  topic: 'coupon-issued',
  type: 'com.omniretail.member.coupon-issued.v1',
  version: 1,
  source: 'member',
  payload: CouponIssuedEvent,
  key: (payload) => payload.memberId,
  partitions: 6,
  summary: "A coupon was issued into a member's wallet (campaign, member day, birthday, manual or claimed).",
});
