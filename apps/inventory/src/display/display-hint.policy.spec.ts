import fc from 'fast-check';
import { computeDisplayHint, DisplayProfileError, distanceKm, LocationAvailability } from './display-hint.policy';

function loc(over: Partial<LocationAvailability> & { locationId: string }): LocationAvailability {
  return { name: over.locationId, type: 'store', status: 'open', lat: 0, lng: 0, shipsInDays: 0, atp: 0, ...over };
}

describe('computeDisplayHint', () => {
  describe('online profile', () => {
    const profile = { kind: 'online', lowStockThreshold: 5 } as const;

    it('says sold out at 0, only N left at or under the threshold, in stock above', () => {
      expect(computeDisplayHint({ channelAtp: 0, locations: [], profile }).code).toBe('SOLD_OUT');
      expect(computeDisplayHint({ channelAtp: 3, locations: [], profile })).toEqual({
        code: 'ONLY_N_LEFT',
        quantity: 3,
        text: 'Only 3 left',
      });
      expect(computeDisplayHint({ channelAtp: 5, locations: [], profile }).code).toBe('ONLY_N_LEFT');
      expect(computeDisplayHint({ channelAtp: 6, locations: [], profile })).toEqual({ code: 'IN_STOCK', text: 'In stock' });
    });

    it('rejects a negative or fractional threshold', () => {
      expect(() => computeDisplayHint({ channelAtp: 1, locations: [], profile: { kind: 'online', lowStockThreshold: -1 } })).toThrow(
        DisplayProfileError,
      );
      expect(() => computeDisplayHint({ channelAtp: 1, locations: [], profile: { kind: 'online', lowStockThreshold: 1.5 } })).toThrow(
        DisplayProfileError,
      );
    });

    it('never shows a quantity above the threshold and never a positive hint at 0 (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }), (atp, threshold) => {
          const hint = computeDisplayHint({ channelAtp: atp, locations: [], profile: { kind: 'online', lowStockThreshold: threshold } });
          if (atp === 0) expect(hint.code).toBe('SOLD_OUT');
          else if (atp <= threshold) expect(hint).toMatchObject({ code: 'ONLY_N_LEFT', quantity: atp });
          else expect(hint.code).toBe('IN_STOCK');
        }),
      );
    });
  });

  describe('store profile', () => {
    // Shanghai-ish coordinates: B is ~1 km away from A, C ~10 km.
    const a = loc({ locationId: 'A', name: 'People Square', lat: 31.2304, lng: 121.4737 });
    const b = loc({ locationId: 'B', name: 'Nanjing Road', lat: 31.2394, lng: 121.4737, atp: 2 });
    const c = loc({ locationId: 'C', name: 'Pudong', lat: 31.2304, lng: 121.5787, atp: 9 });
    const wh = loc({ locationId: 'W', name: 'DC East', type: 'warehouse', shipsInDays: 2, atp: 50 });
    const wh2 = loc({ locationId: 'W2', name: 'DC North', type: 'warehouse', shipsInDays: 4, atp: 50 });
    const profile = { kind: 'store', locationId: 'A' } as const;

    it('says in stock here when the store itself has ATP', () => {
      const hint = computeDisplayHint({ channelAtp: 10, locations: [{ ...a, atp: 1 }, b, c], profile });
      expect(hint).toEqual({ code: 'IN_STOCK_HERE', quantity: 1, text: 'In stock here' });
    });

    it('points to the nearest other open store with ATP', () => {
      const hint = computeDisplayHint({ channelAtp: 10, locations: [a, c, b, wh], profile });
      expect(hint).toMatchObject({ code: 'AVAILABLE_AT_STORE', locationId: 'B', quantity: 2, text: 'Available at Nanjing Road' });
      const bClosed = computeDisplayHint({ channelAtp: 10, locations: [a, c, { ...b, status: 'closed' }, wh], profile });
      expect(bClosed).toMatchObject({ code: 'AVAILABLE_AT_STORE', locationId: 'C' });
    });

    it('a closed store is never in stock here', () => {
      const hint = computeDisplayHint({ channelAtp: 10, locations: [{ ...a, atp: 3, status: 'closed' }, b], profile });
      expect(hint.code).toBe('AVAILABLE_AT_STORE');
    });

    it('falls back to the fastest warehouse, then sold out', () => {
      expect(computeDisplayHint({ channelAtp: 10, locations: [a, wh2, wh], profile })).toEqual({
        code: 'SHIPS_IN_DAYS',
        days: 2,
        text: 'Ships in 2 days',
      });
      expect(computeDisplayHint({ channelAtp: 0, locations: [a, b, wh], profile }).code).toBe('SOLD_OUT');
      expect(computeDisplayHint({ channelAtp: 10, locations: [a], profile }).code).toBe('SOLD_OUT');
    });

    it('refuses a profile naming an unknown location', () => {
      expect(() => computeDisplayHint({ channelAtp: 1, locations: [b], profile })).toThrow(DisplayProfileError);
    });
  });

  describe('remote profile', () => {
    it('says ships in N days from the fastest open location with stock', () => {
      const locations = [
        loc({ locationId: 'W', type: 'warehouse', shipsInDays: 3, atp: 5 }),
        loc({ locationId: 'D', type: 'dark_store', shipsInDays: 1, atp: 0 }),
        loc({ locationId: 'X', type: 'warehouse', shipsInDays: 1, atp: 5, status: 'closed' }),
      ];
      expect(computeDisplayHint({ channelAtp: 5, locations, profile: { kind: 'remote' } })).toEqual({
        code: 'SHIPS_IN_DAYS',
        days: 3,
        text: 'Ships in 3 days',
      });
      expect(computeDisplayHint({ channelAtp: 0, locations, profile: { kind: 'remote' } }).code).toBe('SOLD_OUT');
    });

    it('says 1 day in the singular', () => {
      const locations = [loc({ locationId: 'W', type: 'warehouse', shipsInDays: 1, atp: 5 })];
      expect(computeDisplayHint({ channelAtp: 5, locations, profile: { kind: 'remote' } }).text).toBe('Ships in 1 day');
    });
  });
});

describe('distanceKm', () => {
  it('is zero to itself and symmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        (lat1, lng1, lat2, lng2) => {
          const p = { lat: lat1, lng: lng1 };
          const q = { lat: lat2, lng: lng2 };
          expect(distanceKm(p, p)).toBeCloseTo(0, 6);
          expect(distanceKm(p, q)).toBeCloseTo(distanceKm(q, p), 6);
          expect(distanceKm(p, q)).toBeLessThanOrEqual(Math.PI * 6371 + 1e-6);
        },
      ),
    );
  });

  it('measures about 1 km for 0.009 degrees of latitude', () => {
    expect(distanceKm({ lat: 31.2304, lng: 121.4737 }, { lat: 31.2394, lng: 121.4737 })).toBeCloseTo(1.0, 1);
  });
});
