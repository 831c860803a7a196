import fc from 'fast-check';
import { SoldOutProjection, type StockAtp } from './sold-out.projection';

const changed = (sku: string, version: number, atp: Record<string, number>): StockAtp => ({
  sku,
  version,
  atp: Object.entries(atp).map(([channel, available]) => ({ channel, available })),
});

describe('SoldOutProjection', () => {
  it('holds the newest version per SKU and ignores an older one', () => {
    const projection = new SoldOutProjection();
    expect(projection.apply(changed('TEA', 5, { app: 0 }))).toBe('applied');
    expect(projection.apply(changed('TEA', 4, { app: 7 }))).toBe('stale');
    expect(projection.isSoldOut('TEA', 'app')).toBe(true);
    expect(projection.apply(changed('TEA', 6, { app: 3 }))).toBe('applied');
    expect(projection.isSoldOut('TEA', 'app')).toBe(false);
    expect(projection.availableOf('TEA', 'app')).toBe(3);
    expect(projection.versionOf('TEA')).toBe(6);
  });

  it('treats a redelivery (same version) as stale, with no change', () => {
    const projection = new SoldOutProjection();
    projection.apply(changed('TEA', 2, { app: 0 }));
    expect(projection.apply(changed('TEA', 2, { app: 9 }))).toBe('stale');
    expect(projection.availableOf('TEA', 'app')).toBe(0);
    expect(projection.soldOutPairs).toBe(1);
  });

  it('judges each channel on its own figure', () => {
    const projection = new SoldOutProjection();
    projection.apply(changed('TEA', 1, { app: 0, tmall: 4, pos: 0 }));
    expect(projection.soldOutLines('app', [{ sku: 'TEA' }])).toEqual([{ index: 0, sku: 'TEA' }]);
    expect(projection.soldOutLines('tmall', [{ sku: 'TEA' }])).toEqual([]);
    expect(projection.soldOutPairs).toBe(2);
  });

  it('never calls unknown sold out: a SKU not seen, or a channel the newest event does not name', () => {
    const projection = new SoldOutProjection();
    expect(projection.isSoldOut('NEW', 'app')).toBe(false);
    projection.apply(changed('TEA', 1, { app: 0, wechat: 0 }));
    // A newer change names only app: wechat's older 0 is not kept (nothing might ever correct it).
    projection.apply(changed('TEA', 2, { app: 0 }));
    expect(projection.availableOf('TEA', 'wechat')).toBeUndefined();
    expect(projection.isSoldOut('TEA', 'wechat')).toBe(false);
    expect(projection.soldOutPairs).toBe(1);
  });

  it('names every sold-out line by its index, whatever the others', () => {
    const projection = new SoldOutProjection();
    projection.apply(changed('A', 1, { app: 0 }));
    projection.apply(changed('B', 1, { app: 2 }));
    expect(projection.soldOutLines('app', [{ sku: 'B' }, { sku: 'A' }, { sku: 'C' }, { sku: 'A' }])).toEqual([
      { index: 1, sku: 'A' },
      { index: 3, sku: 'A' },
    ]);
  });

  it('forgets everything on clear', () => {
    const projection = new SoldOutProjection();
    projection.apply(changed('A', 1, { app: 0 }));
    projection.clear();
    expect([projection.size, projection.soldOutPairs, projection.isSoldOut('A', 'app')]).toEqual([0, 0, false]);
  });

  it('ends in the state of the in-order history whatever the arrival order and duplicates', () => {
    const step = fc.record({ sku: fc.constantFrom('A', 'B', 'C'), app: fc.nat(2), tmall: fc.option(fc.nat(2), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer(), (steps, seed) => {
        const versions = new Map<string, number>();
        const history = steps.map((s) => {
          const version = (versions.get(s.sku) ?? 0) + 1;
          versions.set(s.sku, version);
          return changed(s.sku, version, s.tmall === undefined ? { app: s.app } : { app: s.app, tmall: s.tmall });
        });
        const delivered = [...history, ...history.filter((_, i) => (i + seed) % 3 === 0)];
        let state = seed;
        for (let i = delivered.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          const j = state % (i + 1);
          [delivered[i], delivered[j]] = [delivered[j], delivered[i]];
        }
        const raced = new SoldOutProjection();
        delivered.forEach((e) => raced.apply(e));
        const ordered = new SoldOutProjection();
        history.forEach((e) => ordered.apply(e));
        for (const sku of ['A', 'B', 'C']) {
          for (const channel of ['app', 'tmall']) expect(raced.availableOf(sku, channel)).toBe(ordered.availableOf(sku, channel));
        }
        expect(raced.soldOutPairs).toBe(ordered.soldOutPairs);
      }),
      { numRuns: 200 },
    );
  });
});
