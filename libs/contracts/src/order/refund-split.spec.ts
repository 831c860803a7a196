import fc from 'fast-check';
import { giftCardRefundShare } from './refund-split';

describe('giftCardRefundShare', () => {
  it("gives the card its share of what was refunded, all of it once the whole order is, and nothing without a card", () => {
    expect(giftCardRefundShare(0, 7_000, 3_000)).toBe(0);
    expect(giftCardRefundShare(5_000, 7_000, 3_000)).toBe(1_500);
    expect(giftCardRefundShare(10_000, 7_000, 3_000)).toBe(3_000);
    expect(giftCardRefundShare(99_999, 7_000, 3_000)).toBe(3_000);
    expect(giftCardRefundShare(5_000, 10_000, 0)).toBe(0);
    expect(giftCardRefundShare(5_000, 0, 0)).toBe(0);
  });

  it('splits partial refunds in any order into card and provider parts that add up to what was refunded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 12 }), (paid, card, refunds) => {
        let cumulative = 0;
        let toCard = 0;
        for (const r of refunds) {
          const share = giftCardRefundShare(cumulative + r, paid, card) - giftCardRefundShare(cumulative, paid, card);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(r);
          toCard += share;
          cumulative += r;
        }
        expect(toCard).toBe(giftCardRefundShare(cumulative, paid, card));
        expect(toCard).toBeLessThanOrEqual(card);
      }),
    );
  });
});
