import fc from 'fast-check';
import { allocateLargestRemainder } from './allocation.util';
import { formatBps, formatCompact, formatMinor, Money, mulDivRound, percentOfRoundHalfUp, scaleRoundHalfDown } from './money.value';

describe('Money', () => {
  it('holds integer minor units with a currency and refuses floats', () => {
    expect(Money.of(64_200, 'CNY').toString()).toBe('642.00 CNY');
    expect(() => Money.of(0.1, 'CNY')).toThrow('INVALID_AMOUNT');
    expect(() => Money.of(100, 'cny')).toThrow('INVALID_AMOUNT');
    expect(Money.of(100, 'CNY').plus(Money.of(5, 'CNY')).times(3).minus(Money.of(15, 'CNY'))).toEqual(Money.of(300, 'CNY'));
    expect(() => Money.of(100, 'CNY').plus(Money.of(5, 'USD'))).toThrow('CURRENCY_MISMATCH');
    expect(Money.of(999, 'CNY').percent(1500).amount).toBe(150);
  });

  it.each([
    [50, 100, 1], // 0.5 → 1: exact half rounds up
    [49, 100, 0], // 0.49 → 0
    [150, 100, 2], // 1.5 → 2
    [32_100, 1250, 4013], // 4012.5 → 4013
    [999, 1500, 150], // 149.85 → 150
    [10_000, 10_000, 10_000],
    [0, 5000, 0],
  ])('percent discount of %i at %i bps rounds half up to %i', (amount, bps, expected) => {
    expect(percentOfRoundHalfUp(amount, bps)).toBe(expected);
  });

  it.each([
    [45, 9000, 40], // 40.5 → 40: exact half rounds down on a price
    [999, 9000, 899], // 899.1 → 899
    [32_100, 9000, 28_890],
    [1001, 10_500, 1051], // mark-up 1051.05 → 1051
    [10, 15_000, 15],
  ])('price of %i at %i bps rounds half down to %i', (amount, bps, expected) => {
    expect(scaleRoundHalfDown(amount, bps)).toBe(expected);
  });

  it('price scaling and discount rounding agree: list − discount = scaled price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        expect(amount - percentOfRoundHalfUp(amount, bps)).toBe(scaleRoundHalfDown(amount, 10_000 - bps));
      }),
    );
  });

  it('the number fast path and the BigInt path round identically, below and above 2^53', () => {
    const reference = (a: number, b: number, d: number, ties: 'up' | 'down') => {
      const doubled = 2n * BigInt(a) * BigInt(b) + BigInt(d) - (ties === 'down' ? 1n : 0n);
      return Number(doubled / (2n * BigInt(d)));
    };
    const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 10 ** 7 }), safe),
        fc.oneof(fc.integer({ min: 0, max: 10 ** 5 }), safe),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.constantFrom('up' as const, 'down' as const),
        (a, b, d, ties) => {
          fc.pre(BigInt(a) * BigInt(b) / BigInt(d) <= BigInt(Number.MAX_SAFE_INTEGER));
          expect(mulDivRound(a, b, d, ties)).toBe(reference(a, b, d, ties));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('formats minor units without floating point', () => {
    expect(formatMinor(64_200, 'CNY')).toBe('642.00');
    expect(formatMinor(5, 'CNY')).toBe('0.05');
    expect(formatMinor(-1505, 'USD')).toBe('-15.05');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
    expect(formatCompact(60_000, 'CNY')).toBe('600');
    expect(formatCompact(1550, 'CNY')).toBe('15.50');
    expect(formatBps(1250)).toBe('12.5%');
    expect(formatBps(9000)).toBe('90%');
    expect(formatBps(5)).toBe('0.05%');
  });
});

describe('allocateLargestRemainder', () => {
  it.each([
    [7000, [10_000, 20_000, 32_100], [1127, 2255, 3618]],
    [100, [1, 1, 1], [34, 33, 33]],
    [2, [1, 1, 1], [1, 1, 0]],
    [10, [0, 5, 5], [0, 5, 5]],
    [0, [3, 4], [0, 0]],
    [9, [3, 3, 3], [3, 3, 3]],
    // Above 2^53 the BigInt path takes over with the same results.
    [3, [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [1, 1, 1]],
    [2, [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [1, 1, 0]],
    [10 ** 12, [10 ** 9, 3 * 10 ** 9], [250_000_000_000, 750_000_000_000]],
  ])('splits %i over %j as %j', (total, weights, expected) => {
    expect(allocateLargestRemainder(total, weights)).toEqual(expected);
  });

  it('parts sum to the whole, never exceed their weight, and stay within one unit of the exact share', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 15 })), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, share) => {
        const sum = weights.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0 && Number.isSafeInteger(sum));
        const total = Math.min(Math.floor(sum * share), sum);
        const parts = allocateLargestRemainder(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((part, index) => {
          expect(part).toBeLessThanOrEqual(weights[index]);
          const error = BigInt(part) * BigInt(sum) - BigInt(total) * BigInt(weights[index]);
          expect((error < 0n ? -error : error) < BigInt(sum)).toBe(true);
        });
      }),
    );
  });

  it('refuses negative or fractional input and zero weights for a non-zero total', () => {
    expect(() => allocateLargestRemainder(-1, [1])).toThrow('INVALID_AMOUNT');
    expect(() => allocateLargestRemainder(1, [0.5])).toThrow('INVALID_AMOUNT');
    expect(() => allocateLargestRemainder(1, [0, 0])).toThrow('INVALID_AMOUNT');
  });
});
