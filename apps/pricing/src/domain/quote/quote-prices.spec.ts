import { priceBook, pricingData, quoteInput, rule } from '../testing/pricing.builders';
import { BASE_PRICES, checkQuoteCase, l, QuoteCase } from '../testing/quote-case';
import { QuoteEngine } from './quote.engine';

const tmall90 = rule({ id: 'tmall-90', kind: 'channel-adjustment', channels: ['tmall'], priceRatioBps: 9000 });
const storeS1 = rule({ id: 'store-s1', kind: 'special-price', storeIds: ['s1'], prices: [{ sku: 'A', amount: 7900 }] });
const singlesDay = rule({
  id: 'singles-day',
  kind: 'limited-time-price',
  effectiveFrom: '2026-11-11T00:00:00Z',
  effectiveTo: '2026-11-12T00:00:00Z',
  prices: [{ sku: 'A', amount: 6600 }],
});
const tmallSpecial = (priority: number, amount: number) =>
  rule({ id: 'tmall-special', kind: 'special-price', priority, channels: ['tmall'], prices: [{ sku: 'A', amount }] });
const tmallListPrice = { sku: 'A', channel: 'tmall', amount: 8800 };
const at = (iso: string) => new Date(iso);

const cases: QuoteCase[] = [
  { name: 'base price when nothing overrides it', input: quoteInput([l('A', 2)]), unitPrices: [10_000], total: 20_000 },
  {
    name: 'channel price-list entry overrides the base for its channel',
    channelPrices: [tmallListPrice],
    input: quoteInput([l('A')], { channel: 'tmall' }),
    unitPrices: [8800],
    total: 8800,
  },
  {
    name: "another channel's price-list entry is ignored",
    channelPrices: [tmallListPrice],
    input: quoteInput([l('A')], { channel: 'jd' }),
    unitPrices: [10_000],
    total: 10_000,
  },
  {
    name: 'channel price-list entry ends at effectiveTo (exclusive)',
    channelPrices: [{ ...tmallListPrice, effectiveFrom: '2026-11-11T00:00:00Z', effectiveTo: '2026-11-12T00:00:00Z' }],
    input: quoteInput([l('A')], { channel: 'tmall', now: at('2026-11-12T00:00:00.000Z') }),
    unitPrices: [10_000],
    total: 10_000,
  },
  {
    name: 'channel adjustment: tmall = list × 0.9',
    rules: [tmall90],
    input: quoteInput([l('A'), l('C')], { channel: 'tmall' }),
    unitPrices: [9000, 28_890],
    applied: ['tmall-90'],
    total: 37_890,
  },
  {
    name: 'channel adjustment rounds the price half down (the half fen goes to the buyer)',
    rules: [tmall90],
    input: quoteInput([l('F'), l('D')], { channel: 'tmall' }),
    unitPrices: [40, 899],
    total: 939,
  },
  {
    name: 'channel adjustment does not touch other channels',
    rules: [tmall90],
    input: quoteInput([l('A')], { channel: 'app' }),
    unitPrices: [10_000],
    applied: [],
    total: 10_000,
  },
  {
    name: 'special price for a store applies in that store',
    rules: [storeS1],
    input: quoteInput([l('A')], { channel: 'pos', storeId: 's1' }),
    unitPrices: [7900],
    total: 7900,
  },
  {
    name: 'special price for a store does not apply in another store',
    rules: [storeS1],
    input: quoteInput([l('A')], { channel: 'pos', storeId: 's2' }),
    unitPrices: [10_000],
    total: 10_000,
  },
  {
    name: 'limited-time price inside its window',
    rules: [singlesDay],
    input: quoteInput([l('A')]),
    unitPrices: [6600],
    total: 6600,
  },
  {
    name: 'limited-time price applies at exactly effectiveFrom (inclusive)',
    rules: [singlesDay],
    input: quoteInput([l('A')], { now: at('2026-11-11T00:00:00.000Z') }),
    unitPrices: [6600],
    total: 6600,
  },
  {
    name: 'limited-time price still applies one millisecond before effectiveTo',
    rules: [singlesDay],
    input: quoteInput([l('A')], { now: at('2026-11-11T23:59:59.999Z') }),
    unitPrices: [6600],
    total: 6600,
  },
  {
    name: 'limited-time price no longer applies at exactly effectiveTo (exclusive)',
    rules: [singlesDay],
    input: quoteInput([l('A')], { now: at('2026-11-12T00:00:00.000Z') }),
    unitPrices: [10_000],
    total: 10_000,
  },
  {
    name: 'price stage: the higher priority rule wins even at a higher price',
    rules: [tmall90, tmallSpecial(5, 9500)],
    input: quoteInput([l('A')], { channel: 'tmall' }),
    unitPrices: [9500],
    applied: ['tmall-special'],
    total: 9500,
  },
  {
    name: 'price stage: on equal priority the lower price wins',
    rules: [tmall90, tmallSpecial(0, 9500)],
    input: quoteInput([l('A')], { channel: 'tmall' }),
    unitPrices: [9000],
    applied: ['tmall-90'],
    total: 9000,
  },
  {
    name: 'a rule in another currency is ignored',
    rules: [{ ...tmall90, currency: 'USD' }],
    input: quoteInput([l('A')], { channel: 'tmall' }),
    unitPrices: [10_000],
    total: 10_000,
  },
];

describe('quote price stage (table)', () => {
  it.each(cases.map((row) => [row.name, row] as const))('%s', (_name, row) => checkQuoteCase(row));
});

describe('channel isolation', () => {
  const engine = new QuoteEngine(
    pricingData(
      priceBook(BASE_PRICES, [{ sku: 'A', channel: 'tmall', amount: 12_345 }]),
      [rule({ id: 'jd-only', kind: 'special-price', channels: ['jd'], prices: [{ sku: 'B', amount: 17_171 }] })],
    ),
  );
  const quoteJson = (channel: string) => JSON.stringify(engine.quote(quoteInput([l('A'), l('B')], { channel })));

  it("a channel's quote never contains another channel's exclusive price", () => {
    expect(quoteJson('tmall')).toContain('12345');
    expect(quoteJson('tmall')).not.toContain('17171');
    expect(quoteJson('jd')).toContain('17171');
    expect(quoteJson('jd')).not.toContain('12345');
    for (const channel of ['app', 'web', 'pos']) {
      expect(quoteJson(channel)).not.toMatch(/12345|17171|tmall|jd-only/);
    }
  });

  it('the shelf price of a SKU is per channel', () => {
    const now = new Date('2026-11-11T12:00:00Z');
    expect(engine.effectiveUnitPrice('A', [], 'tmall', null, now)).toBe(12_345);
    expect(engine.effectiveUnitPrice('A', [], 'jd', null, now)).toBe(10_000);
    expect(engine.effectiveUnitPrice('B', [], 'jd', null, now)).toBe(17_171);
  });

  it('reports unpriced SKUs as a business outcome, sorted and distinct', () => {
    expect(engine.quote(quoteInput([l('Z'), l('A'), l('Y'), l('Z')]))).toEqual({ ok: false, reason: 'sku-not-priced', skus: ['Y', 'Z'] });
  });
});

describe('one engine across instants', () => {
  it('re-selects the rules in force whenever the instant crosses a window edge, in any order', () => {
    const engine = new QuoteEngine(pricingData(priceBook(BASE_PRICES), [singlesDay]));
    const unitAt = (iso: string) => {
      const outcome = engine.quote(quoteInput([l('A')], { now: at(iso) }));
      return outcome.ok ? outcome.quote.lines[0].unitPrice : undefined;
    };
    expect(
      ['2026-11-11T12:00:00Z', '2026-11-12T00:00:00Z', '2026-11-11T00:00:00Z', '2026-11-10T23:59:59.999Z', '2026-11-11T23:59:59.999Z'].map(unitAt),
    ).toEqual([6600, 10_000, 6600, 10_000, 6600]);
    expect(engine.windowEdges()).toEqual([Date.parse('2026-11-11T00:00:00Z'), Date.parse('2026-11-12T00:00:00Z')]);
  });
});

describe('QuoteEngine.fromDefinitions', () => {
  it('builds an engine from valid stored JSON', () => {
    const raw = JSON.parse(JSON.stringify({ priceBook: priceBook(BASE_PRICES), rules: [singlesDay], couponTemplates: [] }));
    const result = QuoteEngine.fromDefinitions(raw);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const outcome = result.value.quote(quoteInput([l('A')]));
    expect(outcome.ok && outcome.quote.total).toBe(6600);
  });

  it('refuses bad rules and templates, naming every field', () => {
    const result = QuoteEngine.fromDefinitions({
      priceBook: priceBook(BASE_PRICES),
      rules: [{ ...singlesDay, prices: [{ sku: 'A', amount: -1 }] }],
      couponTemplates: [{ code: 'X' }],
    });
    expect(result).toEqual({
      ok: false,
      errors: ['rules[0].prices[0].amount: must be an integer >= 0', 'coupons[0].kind: must be one of cash, percent, threshold'],
    });
  });
});

describe('quote input guards', () => {
  const engine = new QuoteEngine(pricingData(priceBook({ ...BASE_PRICES, HUGE: 10 ** 13 })));

  it('refuses a line whose subtotal would leave exact integer range', () => {
    expect(() => engine.quote(quoteInput([l('HUGE', 1000)]))).toThrow('INVALID_AMOUNT');
  });

  it.each([
    ['a zero quantity', quoteInput([l('A', 0)]), 'lines[0].quantity must be a positive integer'],
    ['a fractional quantity', quoteInput([l('A', 1.5)]), 'lines[0].quantity must be a positive integer'],
    ['an invalid instant', quoteInput([l('A')], { now: new Date('not a date') }), 'now must be a valid Date'],
    ['no channel', quoteInput([l('A')], { channel: '' }), 'channel is required'],
  ])('refuses %s', (_what, input, message) => {
    expect(() => engine.quote(input)).toThrow(message);
  });
});
