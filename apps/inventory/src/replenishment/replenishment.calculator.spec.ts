import fc from 'fast-check';
import { ReplenishmentInput, ReplenishmentInputError, suggestReplenishment } from './replenishment.calculator';

const base: ReplenishmentInput = {
  sku: 'SKU-1',
  unitsSold: 70,
  windowDays: 7,
  leadTimeDays: 2,
  targetDaysOfCover: 5,
  onHand: 30,
  reserved: 4,
  inbound: 10,
};

describe('suggestReplenishment', () => {
  it('orders up to lead time plus target cover of daily velocity, net of stock and inbound', () => {
    // 10/day over 7 days of horizon = 70; position = 30 - 4 + 10 = 36 → 34.
    expect(suggestReplenishment(base)).toEqual({
      ...base,
      dailyVelocity: 10,
      demandOverHorizon: 70,
      stockPosition: 36,
      suggestedQuantity: 34,
    });
  });

  it('rounds demand up and never suggests a negative quantity', () => {
    expect(suggestReplenishment({ ...base, unitsSold: 1, windowDays: 3, onHand: 0, reserved: 0, inbound: 0 }).suggestedQuantity).toBe(3);
    expect(suggestReplenishment({ ...base, onHand: 500 }).suggestedQuantity).toBe(0);
    expect(suggestReplenishment({ ...base, unitsSold: 0 }).suggestedQuantity).toBe(0);
  });

  it('names the offending field', () => {
    expect(() => suggestReplenishment({ ...base, windowDays: 0 })).toThrow(ReplenishmentInputError);
    try {
      suggestReplenishment({ ...base, onHand: -1 });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ReplenishmentInputError);
      expect((error as ReplenishmentInputError).field).toBe('onHand');
    }
    expect(() => suggestReplenishment({ ...base, leadTimeDays: 1.5 })).toThrow(/leadTimeDays/);
  });

  it('is an integer >= 0 that brings position to at least the horizon demand, and no more than needed (property)', () => {
    const nat = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(nat(10_000), fc.integer({ min: 1, max: 90 }), nat(60), nat(60), nat(5_000), nat(5_000), nat(5_000), (sold, days, lead, target, onHand, r, inbound) => {
        const reserved = Math.min(r, onHand);
        const s = suggestReplenishment({ sku: 'x', unitsSold: sold, windowDays: days, leadTimeDays: lead, targetDaysOfCover: target, onHand, reserved, inbound });
        expect(Number.isInteger(s.suggestedQuantity)).toBe(true);
        expect(s.suggestedQuantity).toBeGreaterThanOrEqual(0);
        expect(s.stockPosition + s.suggestedQuantity).toBeGreaterThanOrEqual(s.demandOverHorizon);
        if (s.suggestedQuantity > 0) expect(s.stockPosition + s.suggestedQuantity - 1).toBeLessThan(s.demandOverHorizon);
        expect(s.demandOverHorizon * days).toBeGreaterThanOrEqual(sold * (lead + target));
        expect((s.demandOverHorizon - 1) * days).toBeLessThan(sold * (lead + target) || 1);
      }),
    );
  });
});
