import fc from 'fast-check';
import { crossesBelow, evaluateLowStock } from './low-stock.policy';

describe('evaluateLowStock', () => {
  it('publishes on the crossing from at-or-above to below, not while staying below', () => {
    expect(evaluateLowStock({ threshold: 5, wasBelow: false, available: 4 })).toEqual({ publish: true, below: true });
    expect(evaluateLowStock({ threshold: 5, wasBelow: true, available: 3 })).toEqual({ publish: false, below: true });
    expect(evaluateLowStock({ threshold: 5, wasBelow: false, available: 5 })).toEqual({ publish: false, below: false });
  });

  it('re-arms when back at the threshold', () => {
    expect(evaluateLowStock({ threshold: 5, wasBelow: true, available: 5 })).toEqual({ publish: false, below: false });
  });

  it('never alerts for a threshold of 0', () => {
    expect(evaluateLowStock({ threshold: 0, wasBelow: false, available: 0 }).publish).toBe(false);
  });

  it('publishes exactly once per downward crossing over any walk (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }),
        (threshold, start, walk) => {
          let wasBelow = start < threshold;
          let previous = start;
          let published = 0;
          let crossings = 0;
          for (const available of walk) {
            if (previous >= threshold && available < threshold) crossings += 1;
            const d = evaluateLowStock({ threshold, wasBelow, available });
            expect(d.publish).toBe(crossesBelow(threshold, previous, available));
            if (d.publish) published += 1;
            wasBelow = d.below;
            previous = available;
          }
          expect(published).toBe(crossings);
        },
      ),
    );
  });
});
