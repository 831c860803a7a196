import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsText } from '../core/validators';

/** A coupon was used by an order (its saga confirmed); it cannot be used again. */
export class CouponRedeemedEvent extends EventPayloadBase {
  /** The member. */
  @IsId()
  memberId: string;

  /** The coupon instance. */
  @IsId()
  couponId: string;

  /** Pricing's coupon template. */
  @IsText(64)
  templateId: string;

  /** The order that used it. */
  @IsId()
  orderId: string;
}

/** coupon-redeemed: keyed by member id. */
export const COUPON_REDEEMED = defineEvent<CouponRedeemedEvent>({
  topic: 'coupon-redeemed',
  type: 'com.omniretail.member.coupon-redeemed.v1',
  version: 1,
  source: 'member',
  payload: CouponRedeemedEvent,
  key: (payload) => payload.memberId,
  partitions: 6,
  summary: 'A coupon was used by a confirmed order.',
});
