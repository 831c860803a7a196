import fc from 'fast-check';
import { allocateLargestRemainder, discountShares, refundForReturn } from './refund.allocation';

describe('largest remainder allocation', () => {
  it('splits exactly, by largest remainder, ties to the earlier line', () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(10, [3000, 2000, 5000])).toEqual([3, 2, 5]);
    expect(allocateLargestRemainder(7, [1, 2])).toEqual([2, 5]);
    expect(allocateLargestRemainder(0, [5, 5])).toEqual([0, 0]);
    expect(allocateLargestRemainder(5, [0, 0])).toEqual([0, 0]);
  });

  it('parts are integers, add up to the total and stay within one unit of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        const parts = allocateLargestRemainder(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0);
        if (sum === 0) return parts.every((p) => p === 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1));
        return true;
      }),
    );
  });

  it('rejects a discount larger than the goods', () => {
    expect(() => discountShares(101, [50, 50])).toThrow(RangeError);
  });
});

describe('refund per returned line', () => {
  // Two lines: 2 × 30.00 and 1 × 40.00 with a 10.00 coupon → shares 6.00 and 4.00.
  const shares = discountShares(1000, [6000, 4000]);
  const line = { quantity: 2, gross: 6000, discountShare: shares[0] };

  it('gives each line its share of the order-level discount', () => {
    expect(shares).toEqual([600, 400]);
    expect(refundForReturn({ quantity: 1, gross: 4000, discountShare: shares[1] }, 0, 1)).toBe(3600);
  });

  it('refunds the net of the returned units, exact over several returns', () => {
    expect(refundForReturn(line, 0, 1)).toBe(2700);
    expect(refundForReturn(line, 1, 1)).toBe(2700);
    const odd = { quantity: 3, gross: 1000, discountShare: 1 };
    expect([refundForReturn(odd, 0, 1), refundForReturn(odd, 1, 1), refundForReturn(odd, 2, 1)].reduce((a, b) => a + b)).toBe(999);
  });

  it('never refunds more units than bought', () => {
    expect(() => refundForReturn(line, 2, 1)).toThrow(RangeError);
  });
});
