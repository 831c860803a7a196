/** A coupon of a member's wallet. */
export interface CouponView {
  couponId: string;
  memberId: string;
  templateId: string;
  code: string;
  channels: string[];
  validFrom: string;
  validTo: string;
  status: string;
  redeemedOrderId: string | null;
}
