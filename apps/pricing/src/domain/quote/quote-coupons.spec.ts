import { coupon, quoteInput, rule } from '../testing/pricing.builders';
import { checkQuoteCase, l, QuoteCase } from '../testing/quote-case';

const promoA = rule({ id: 'promo-a', kind: 'percent-off', target: { skus: ['A'] }, percentOffBps: 1000 });
const cash = (code: string, amount: number, fields: Partial<{ stacksWithGroups: string[]; channels: string[] }> = {}) =>
  coupon({ code, kind: 'cash', amount, ...fields });
const t300 = coupon({ code: 'T300', kind: 'threshold', minSubtotal: 30_000, amount: 3000 });
const lunchHour = coupon({
  code: 'LUNCH',
  kind: 'cash',
  amount: 1000,
  validFrom: '2026-11-11T12:00:00Z',
  validTo: '2026-11-11T13:00:00Z',
});

const cases: QuoteCase[] = [
  { name: 'cash coupon', coupons: [cash('C20', 2000)], input: quoteInput([l('A')], { couponCodes: ['C20'] }), total: 8000 },
  {
    name: 'cash coupon larger than the cart takes it to zero, never below',
    coupons: [cash('C200', 20_000)],
    input: quoteInput([l('D')], { couponCodes: ['C200'] }),
    discountTotal: 999,
    total: 0,
  },
  {
    name: 'percent coupon with a cap: 10 % of 642.00 capped at 20.00',
    coupons: [coupon({ code: 'P10', kind: 'percent', percentOffBps: 1000, maxDiscount: 2000 })],
    input: quoteInput([l('C', 2)], { couponCodes: ['P10'] }),
    total: 62_200,
    explanation: 'Coupon P10: 10% off, at most 20 (subtotal 642.00)',
  },
  {
    name: 'percent coupon rounds half up in minor units: 15 % of 9.99 = 1.4985 → 1.50',
    coupons: [coupon({ code: 'P15', kind: 'percent', percentOffBps: 1500 })],
    input: quoteInput([l('D')], { couponCodes: ['P15'] }),
    total: 849,
  },
  {
    name: 'threshold coupon below its minimum is rejected',
    coupons: [t300],
    input: quoteInput([l('P1')], { couponCodes: ['T300'] }),
    rejected: [['T300', 'below-threshold']],
    total: 29_999,
  },
  {
    name: 'threshold coupon at exactly its minimum applies',
    coupons: [t300],
    input: quoteInput([l('P3')], { couponCodes: ['T300'] }),
    rejected: [],
    total: 27_000,
  },
  {
    name: 'coupon valid at exactly validFrom',
    coupons: [lunchHour],
    input: quoteInput([l('A')], { couponCodes: ['LUNCH'], now: new Date('2026-11-11T12:00:00.000Z') }),
    total: 9000,
  },
  {
    name: 'coupon invalid at exactly validTo',
    coupons: [lunchHour],
    input: quoteInput([l('A')], { couponCodes: ['LUNCH'], now: new Date('2026-11-11T13:00:00.000Z') }),
    rejected: [['LUNCH', 'not-valid-now']],
    total: 10_000,
  },
  {
    name: 'coupon scoped to another channel is rejected',
    coupons: [cash('APP10', 1000, { channels: ['app'] })],
    input: quoteInput([l('A')], { channel: 'tmall', couponCodes: ['APP10'] }),
    rejected: [['APP10', 'channel-not-allowed']],
    total: 10_000,
  },
  {
    name: 'coupon scoped to the channel applies',
    coupons: [cash('APP10', 1000, { channels: ['app'] })],
    input: quoteInput([l('A')], { channel: 'app', couponCodes: ['APP10'] }),
    total: 9000,
  },
  {
    name: 'coupon that does not stack with the rule group on its only line is rejected',
    rules: [promoA],
    coupons: [cash('C10', 1000)],
    input: quoteInput([l('A')], { couponCodes: ['C10'] }),
    rejected: [['C10', 'does-not-stack']],
    total: 9000,
  },
  {
    name: 'coupon that stacks with the rule group applies on top',
    rules: [promoA],
    coupons: [cash('C10', 1000, { stacksWithGroups: ['promo'] })],
    input: quoteInput([l('A')], { couponCodes: ['C10'] }),
    lineDiscounts: [[1000, 1000]],
    total: 8000,
  },
  {
    name: 'non-stacking coupon takes only the lines without promotions',
    rules: [promoA],
    coupons: [cash('C10', 1000)],
    input: quoteInput([l('A'), l('B')], { couponCodes: ['C10'] }),
    lineDiscounts: [[1000], [1000]],
    total: 28_000,
  },
  {
    name: 'one coupon per line, applied in code order whatever order they were given in',
    coupons: [cash('AAA', 1000), cash('BBB', 500)],
    input: quoteInput([l('A')], { couponCodes: ['BBB', 'AAA'] }),
    applied: ['tpl-AAA'],
    rejected: [['BBB', 'does-not-stack']],
    total: 9000,
  },
  {
    name: 'duplicate and unknown codes are rejected, sorted by code',
    coupons: [cash('AAA', 1000)],
    input: quoteInput([l('A')], { couponCodes: ['X1', 'AAA', 'AAA'] }),
    rejected: [
      ['AAA', 'duplicate-code'],
      ['X1', 'unknown-code'],
    ],
    total: 9000,
  },
  {
    name: 'coupon targeted at a category takes only that category',
    coupons: [coupon({ code: 'SHIRT', kind: 'cash', amount: 1000, target: { categoryIds: ['shirts'] } })],
    input: quoteInput([l('A'), l('B')], { couponCodes: ['SHIRT'] }),
    lineDiscounts: [[], [1000]],
    total: 29_000,
  },
  {
    name: 'coupon split over equal lines by largest remainder: 1.00 over three → 0.34 / 0.33 / 0.33',
    coupons: [cash('ONE', 100)],
    input: quoteInput([l('A'), l('A'), l('A')], { couponCodes: ['ONE'] }),
    lineDiscounts: [[34], [33], [33]],
    total: 29_900,
  },
  {
    name: 'coupon applies after a spend threshold, on what is left',
    rules: [
      rule({ id: 'spend-300', kind: 'spend-threshold', group: 'order', thresholds: [{ minSubtotal: 30_000, discount: 3000 }] }),
    ],
    coupons: [coupon({ code: 'P10', kind: 'percent', percentOffBps: 1000, stacksWithGroups: ['order'] })],
    input: quoteInput([l('P3')], { couponCodes: ['P10'] }),
    lineDiscounts: [[3000, 2700]],
    total: 24_300,
  },
  {
    name: 'coupon in another currency is rejected',
    coupons: [coupon({ code: 'USD5', kind: 'cash', amount: 500, currency: 'USD' })],
    input: quoteInput([l('A')], { couponCodes: ['USD5'] }),
    rejected: [['USD5', 'currency-mismatch']],
    total: 10_000,
  },
  {
    name: 'percent coupon that rounds to nothing is rejected (0.01 % of 0.50)',
    coupons: [coupon({ code: 'TINY', kind: 'percent', percentOffBps: 1 })],
    input: quoteInput([l('H')], { couponCodes: ['TINY'] }),
    rejected: [['TINY', 'no-discount']],
    total: 50,
  },
  {
    name: 'coupon versions: the highest version valid now applies',
    coupons: [cash('V', 1000), { ...cash('V', 3000), version: 2 }, { ...cash('V', 5000), version: 3, validFrom: '2026-12-01T00:00:00Z' }],
    input: quoteInput([l('A')], { couponCodes: ['V'] }),
    total: 7000,
  },
];

describe('quote coupons (table)', () => {
  it.each(cases.map((row) => [row.name, row] as const))('%s', (_name, row) => checkQuoteCase(row));
});
