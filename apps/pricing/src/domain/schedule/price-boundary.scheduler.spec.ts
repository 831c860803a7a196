import { priceBook, pricingData, rule } from '../testing/pricing.builders';
import { QuoteEngine } from '../quote/quote.engine';
import { diffEffectivePrices, listPriceChanges } from './price-boundary.scheduler';

const D10 = '2026-11-10T00:00:00.000Z';
const D11 = '2026-11-11T00:00:00.000Z';
const D11_0800 = '2026-11-11T08:00:00.000Z';
const D11_2000 = '2026-11-11T20:00:00.000Z';
const D12 = '2026-11-12T00:00:00.000Z';
const D13 = '2026-11-13T00:00:00.000Z';

const rules = [
  rule({ id: 'tmall-90', kind: 'channel-adjustment', channels: ['tmall'], priceRatioBps: 9000 }),
  rule({ id: 'singles-day', kind: 'limited-time-price', effectiveFrom: D11, effectiveTo: D12, prices: [{ sku: 'A', amount: 6600 }] }),
  // Cart- and member-dependent rules never move a shelf price, whatever their windows.
  rule({ id: 'spend', kind: 'spend-threshold', group: 'order', effectiveFrom: D11_0800, thresholds: [{ minSubtotal: 100, discount: 10 }] }),
  rule({ id: 'gold', kind: 'member-tier-discount', group: 'member', effectiveTo: D11_2000, tiers: ['gold'], percentOffBps: 500 }),
  rule({
    id: 'flash-b',
    kind: 'flash-sale',
    group: 'flash',
    sku: 'B',
    salePrice: 1000,
    quantityCap: 10,
    perMemberLimit: 1,
    effectiveFrom: D11_0800,
    effectiveTo: D11_2000,
  }),
  rule({ id: 's1-window', kind: 'special-price', storeIds: ['s1'], effectiveFrom: D11_2000, prices: [{ sku: 'B', amount: 1500 }] }),
];
const book = priceBook({ A: 10_000, B: 2000 }, [{ sku: 'A', channel: 'jd', amount: 7000, effectiveFrom: D11_0800, effectiveTo: D11_2000 }]);
const engine = new QuoteEngine(pricingData(book, rules));
const skus = [
  { sku: 'A', categoryIds: [] },
  { sku: 'B', categoryIds: [] },
];
const points = [{ channel: 'app' }, { channel: 'tmall' }, { channel: 'jd' }, { channel: 'pos', storeId: 's1' }];
const changes = (from: string, to: string) =>
  listPriceChanges(engine, { skus, points, from: new Date(from), to: new Date(to) }).map(
    (c) => `${c.effectiveFrom.slice(8, 16)} ${c.sku} ${c.channel}${c.storeId ? `/${c.storeId}` : ''} ${c.previousPrice}→${c.price}`,
  );

describe('listPriceChanges', () => {
  it('lists every effective price change at rule and price-list boundaries, sorted', () => {
    expect(changes(D10, D13)).toEqual([
      '11T00:00 A app 10000→6600',
      '11T00:00 A jd 10000→6600',
      '11T00:00 A pos/s1 10000→6600',
      '11T00:00 A tmall 9000→6600',
      // jd's own A entry (7000, 08:00-20:00) changes nothing while the lower limited-time price holds.
      '11T08:00 B app 2000→1000',
      '11T08:00 B jd 2000→1000',
      '11T08:00 B pos/s1 2000→1000',
      '11T08:00 B tmall 1800→1000',
      '11T20:00 B app 1000→2000',
      '11T20:00 B jd 1000→2000',
      '11T20:00 B pos/s1 1000→1500',
      '11T20:00 B tmall 1000→1800',
      '12T00:00 A app 6600→10000',
      '12T00:00 A jd 6600→10000',
      '12T00:00 A pos/s1 6600→10000',
      '12T00:00 A tmall 6600→9000',
    ]);
  });

  it('reports a boundary at exactly `from` (inclusive) but not at exactly `to` (exclusive)', () => {
    expect(changes(D11, D12)).toEqual(changes(D10, D13).filter((line) => !line.startsWith('12T')));
  });

  it('reports nothing between boundaries', () => {
    expect(changes('2026-11-11T00:00:00.001Z', D11_0800)).toEqual([]);
  });

  it("shows a channel's windowed price-list entry only to that channel", () => {
    const jdOnly = listPriceChanges(new QuoteEngine(pricingData(book)), {
      skus,
      points,
      from: new Date(D10),
      to: new Date(D13),
    });
    expect(jdOnly.map((c) => [c.effectiveFrom, c.sku, c.channel, c.previousPrice, c.price, c.currency])).toEqual([
      [D11_0800, 'A', 'jd', 10_000, 7000, 'CNY'],
      [D11_2000, 'A', 'jd', 7000, 10_000, 'CNY'],
    ]);
  });

  it('rejects an empty or inverted range', () => {
    expect(() => listPriceChanges(engine, { skus, points, from: new Date(D12), to: new Date(D12) })).toThrow('INVALID_TIME_RANGE');
  });
});

describe('diffEffectivePrices', () => {
  const at = new Date('2026-11-11T09:30:00.000Z');
  const diff = (beforeRules: Parameters<typeof pricingData>[1], afterRules: Parameters<typeof pricingData>[1], afterBook = book) =>
    diffEffectivePrices(new QuoteEngine(pricingData(book, beforeRules)), new QuoteEngine(pricingData(afterBook, afterRules)), {
      skus,
      points,
      at,
    }).map((c) => `${c.sku} ${c.channel}${c.storeId ? `/${c.storeId}` : ''} ${c.previousPrice}→${c.price}`);

  it('lists the prices a new rule changes now, and only those', () => {
    const jd85 = rule({ id: 'jd-85', kind: 'channel-adjustment', channels: ['jd'], priceRatioBps: 8500 });
    // jd's A list price is its own entry (7000) until 20:00; B is on flash sale (1000) until 20:00.
    expect(diff([], [jd85])).toEqual(['A jd 7000→5950', 'B jd 2000→1700']);
  });

  it('lists what a removed rule gives back, and nothing for a rule that changes no price', () => {
    expect(diff(rules, rules)).toEqual([]);
    expect(diff(rules, rules.filter((r) => r.id !== 'flash-b'))).toEqual(['B app 1000→2000', 'B jd 1000→2000', 'B pos/s1 1000→2000', 'B tmall 1000→1800']);
    expect(diff(rules, rules.filter((r) => r.id !== 'spend' && r.id !== 'gold'))).toEqual([]);
  });

  it('lists a channel price-list change for that channel only', () => {
    const cheaperJd = priceBook({ A: 10_000, B: 2000 }, [{ sku: 'A', channel: 'jd', amount: 6500, effectiveFrom: D11_0800, effectiveTo: D11_2000 }]);
    expect(diff([], [], cheaperJd)).toEqual(['A jd 7000→6500']);
  });
});
