import { DomainError } from '@omni/platform';
import { plainToInstance } from 'class-transformer';
import { pointsValue } from '@omni/contracts';
import { ChargeBasis, memberFrozenOf, payableOf, quoteLockedOf, settleCharge } from './order.charge';
import { CreateOrderDto } from './order.dto';
import { memberBranchOf } from './order.service';

const MEMBER = '0190a0a0-0000-7000-8000-0000000000c1';
const CARD = '0190a0a0-0000-7000-8000-0000000000d1';
const COUPON = '0190a0a0-0000-7000-8000-0000000000e1';
const QUOTE = '0190a0a0-0000-7000-8000-0000000000f1';

// Two lines, 6000 of goods; the request claims 1000 of coupons.
const basis: ChargeBasis = { goodsTotal: 6000, grossByLine: [4000, 2000], requestDiscount: 1000, currency: 'CNY' };
const frozen = (points: number, giftCardAmount: number) => ({ couponIds: [], points, giftCardId: giftCardAmount > 0 ? CARD : null, giftCardAmount });

describe('settleCharge', () => {
  it.each([
    // quote total, points frozen, gift card frozen → total, discount, payable
    { name: 'the request alone, nothing frozen', quote: null, points: 0, card: 0, total: 5000, discount: 1000, payable: 5000 },
    { name: 'the locked quote, not the request, sets the price', quote: 4500, points: 0, card: 0, total: 4500, discount: 1500, payable: 4500 },
    { name: 'points member froze come off the quote', quote: 4500, points: 300, card: 0, total: 4200, discount: 1800, payable: 4200 },
    { name: 'the gift-card amount member froze comes off what is payable', quote: 4500, points: 300, card: 1200, total: 4200, discount: 1800, payable: 3000 },
    { name: 'a gift card never pays more than the total', quote: 500, points: 0, card: 900, total: 500, discount: 5500, payable: 0 },
  ])('$name', ({ quote, points, card, total, discount, payable }) => {
    const charge = settleCharge(basis, quote === null ? null : { total: quote, currency: 'CNY' }, frozen(points, card));
    expect(charge).toMatchObject({ total, discountTotal: discount, goodsTotal: 6000 });
    expect(payableOf(charge.total, charge.giftCard)).toBe(payable);
    expect(charge.shares.reduce((a, b) => a + b, 0)).toBe(discount);
    expect(charge.points).toEqual(points > 0 ? { points, value: pointsValue(points) } : null);
  });

  it('raises the goods to a quote the request understated, so the discount is never negative', () => {
    const charge = settleCharge(basis, { total: 7000, currency: 'CNY' }, null);
    expect(charge).toMatchObject({ goodsTotal: 7000, discountTotal: 0, total: 7000 });
  });

  it('ignores what the request claimed for points and gift card: only what member froze counts', () => {
    expect(settleCharge(basis, { total: 5000, currency: 'CNY' }, null)).toMatchObject({ total: 5000, points: null, giftCard: null });
  });
});

describe('reply details', () => {
  it('reads what member froze, and refuses a detail that is not one', () => {
    expect(memberFrozenOf({ memberId: MEMBER, couponIds: [COUPON], points: 10, giftCardId: CARD, giftCardAmount: 5, frozenUntil: 'x' })).toEqual({
      couponIds: [COUPON],
      points: 10,
      giftCardId: CARD,
      giftCardAmount: 5,
    });
    expect(memberFrozenOf(undefined)).toBeNull();
    expect(memberFrozenOf({ couponIds: [], points: -1, giftCardAmount: 0 })).toBeNull();
    expect(memberFrozenOf({ couponIds: [], points: 0, giftCardAmount: 5, giftCardId: null })).toBeNull();
  });

  it("reads the locked quote's total", () => {
    expect(quoteLockedOf({ quoteId: QUOTE, total: 3800, currency: 'CNY', lockedUntil: 'x' })).toEqual({ total: 3800, currency: 'CNY' });
    expect(quoteLockedOf({ total: 1.5, currency: 'CNY' })).toBeNull();
  });
});

describe('memberBranchOf', () => {
  const order = (extra: Record<string, unknown>, memberId: string | null = MEMBER) =>
    plainToInstance(CreateOrderDto, {
      channel: 'app',
      buyer: memberId ? { memberId, anonymous: false } : { anonymous: true },
      lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: { amount: 3000, currency: 'CNY' } }],
      fulfilment: { type: 'pickup', locationId: CARD },
      ...extra,
    });
  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (error) {
      return (error as DomainError).code;
    }
  };

  it('has no member branch when the buyer spends nothing of the wallet', () => {
    expect(memberBranchOf(order({ coupons: [{ code: 'WELCOME', discount: 100 }] }))).toBeNull();
  });

  it('freezes the wallet coupons, points and gift-card amount the order names', () => {
    const dto = order({ quoteId: QUOTE, coupons: [{ code: 'C', couponId: COUPON, discount: 100 }], points: { points: 200, value: 200 }, giftCard: { cardId: CARD, amount: 500 } });
    expect(memberBranchOf(dto)).toEqual({ channel: 'app', memberId: MEMBER, couponIds: [COUPON], points: 200, giftCardId: CARD, giftCardAmount: 500 });
  });

  it('refuses wallet spending without a member (400), and wallet coupons without a quote', () => {
    expect(codeOf(() => memberBranchOf(order({ points: { points: 200, value: 200 } }, null)))).toBe('MEMBER_REQUIRED');
    expect(codeOf(() => memberBranchOf(order({ giftCard: { cardId: CARD, amount: 500 } }, null)))).toBe('MEMBER_REQUIRED');
    expect(codeOf(() => memberBranchOf(order({ coupons: [{ code: 'C', couponId: COUPON, discount: 100 }] })))).toBe('COUPON_NEEDS_QUOTE');
  });
});
