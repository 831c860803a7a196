import { quoteInput, rule } from '../testing/pricing.builders';
import { checkQuoteCase, l, QuoteCase } from '../testing/quote-case';

const gold5 = rule({ id: 'gold-5', kind: 'member-tier-discount', group: 'member', priority: 10, tiers: ['gold'], percentOffBps: 500 });
const shoes125 = rule({ id: 'shoes-12.5', kind: 'percent-off', target: { categoryIds: ['shoes'] }, percentOffBps: 1250 });
const spend = rule({
  id: 'spend-300-600',
  kind: 'spend-threshold',
  group: 'order',
  thresholds: [
    { minSubtotal: 30_000, discount: 3000 },
    { minSubtotal: 60_000, discount: 7000 },
  ],
});
const b2g1 = rule({ id: 'a-b2g1', kind: 'buy-x-get-y', target: { skus: ['A'] }, buyQuantity: 2, freeQuantity: 1 });
const flash = (fields: { exclusive?: boolean; priority?: number } = {}) =>
  rule({
    id: 'flash-a',
    kind: 'flash-sale',
    group: 'flash',
    sku: 'A',
    salePrice: 5000,
    quantityCap: 100,
    perMemberLimit: 2,
    effectiveFrom: '2026-11-11T10:00:00Z',
    effectiveTo: '2026-11-11T14:00:00Z',
    ...fields,
  });
const percentA = (id: string, group: string, priority: number, bps: number, exclusive = false) =>
  rule({ id, kind: 'percent-off', group, priority, exclusive, target: { skus: ['A'] }, percentOffBps: bps });

const cases: QuoteCase[] = [
  {
    name: 'member tier discount, 5 % per line rounded half up (49.5 → 50)',
    rules: [gold5],
    input: quoteInput([l('A'), l('G')], { memberTier: 'gold' }),
    lineDiscounts: [[500], [50]],
    total: 10_440,
  },
  { name: 'member tier discount skips other tiers', rules: [gold5], input: quoteInput([l('A'), l('G')], { memberTier: 'silver' }), total: 10_990 },
  {
    name: 'percent off a category, 12.5 % rounded half up per line (4012.5 → 4013)',
    rules: [shoes125],
    input: quoteInput([l('A'), l('B'), l('C')]),
    lineDiscounts: [[1250], [], [4013]],
    total: 56_837,
  },
  {
    name: '1 % of 0.50 is 0.005 → rounds half up to 0.01',
    rules: [rule({ id: 'h-1', kind: 'percent-off', target: { skus: ['H'] }, percentOffBps: 100 })],
    input: quoteInput([l('H')]),
    total: 49,
  },
  { name: 'spend threshold: 299.99 reaches nothing', rules: [spend], input: quoteInput([l('P1')]), applied: [], total: 29_999 },
  {
    name: 'spend threshold: exactly 300.00 reaches the first step',
    rules: [spend],
    input: quoteInput([l('P3')]),
    total: 27_000,
    explanation: 'Spend 300 get 30 off (subtotal 300.00)',
  },
  { name: 'spend threshold: 599.99 stays on the first step', rules: [spend], input: quoteInput([l('P1'), l('P3')]), total: 56_999 },
  { name: 'spend threshold: exactly 600.00 reaches the second step', rules: [spend], input: quoteInput([l('P3', 2)]), total: 53_000 },
  {
    name: 'spend threshold: the highest step reached applies, explained',
    rules: [spend],
    input: quoteInput([l('C', 2)]),
    total: 57_200,
    explanation: 'Spend 600 get 70 off (subtotal 642.00)',
  },
  {
    name: 'order discount allocated by largest remainder (1127.2 / 2254.4 / 3618.4 → 1127 / 2255 / 3618)',
    rules: [spend],
    input: quoteInput([l('A'), l('B'), l('C')]),
    lineDiscounts: [[1127], [2255], [3618]],
    total: 55_100,
  },
  {
    name: 'spend threshold counts the subtotal after earlier discounts',
    rules: [gold5, spend],
    input: quoteInput([l('P3')], { memberTier: 'gold' }),
    lineDiscounts: [[1500]],
    applied: ['gold-5'],
    total: 28_500,
  },
  { name: 'buy 2 get 1: 3 units, 1 free', rules: [b2g1], input: quoteInput([l('A', 3)]), lineDiscounts: [[10_000]], total: 20_000 },
  { name: 'buy 2 get 1: 5 units, still 1 free', rules: [b2g1], input: quoteInput([l('A', 5)]), total: 40_000 },
  { name: 'buy 2 get 1: 6 units, 2 free', rules: [b2g1], input: quoteInput([l('A', 6)]), total: 40_000 },
  { name: 'buy 2 get 1: 2 units, none free', rules: [b2g1], input: quoteInput([l('A', 2)]), applied: [], total: 20_000 },
  {
    name: 'buy 2 get 1 after a member discount frees a third of what is left',
    rules: [gold5, b2g1],
    input: quoteInput([l('A', 3)], { memberTier: 'gold' }),
    lineDiscounts: [[1500, 9500]],
    applied: ['gold-5', 'a-b2g1'],
    total: 19_000,
  },
  {
    name: 'flash sale: per-member limit of 2 caps a line of 3',
    rules: [flash()],
    input: quoteInput([l('A', 3)]),
    lineDiscounts: [[10_000]],
    flash: [['flash-a', 'A', 2]],
    total: 20_000,
  },
  {
    name: 'flash sale: remaining cap of 1 sells 1 unit at the sale price',
    rules: [flash()],
    input: quoteInput([l('A', 3)], { memberId: 'm1', flashSaleUsage: { 'flash-a': { remainingCap: 1, memberPurchased: 0 } } }),
    flash: [['flash-a', 'A', 1]],
    total: 25_000,
  },
  {
    name: 'flash sale: a member who reached the limit pays the normal price',
    rules: [flash()],
    input: quoteInput([l('A', 3)], { memberId: 'm1', flashSaleUsage: { 'flash-a': { remainingCap: 50, memberPurchased: 2 } } }),
    flash: [],
    total: 30_000,
  },
  {
    name: 'flash sale: an exhausted cap sells nothing',
    rules: [flash()],
    input: quoteInput([l('A')], { flashSaleUsage: { 'flash-a': { remainingCap: 0, memberPurchased: 0 } } }),
    flash: [],
    total: 10_000,
  },
  {
    name: 'flash sale: over at exactly effectiveTo',
    rules: [flash()],
    input: quoteInput([l('A')], { now: new Date('2026-11-11T14:00:00.000Z') }),
    total: 10_000,
  },
  {
    name: 'exclusion group: only the higher-priority rule of a group applies to a line',
    rules: [percentA('a-20', 'promo', 5, 2000), percentA('a-10', 'promo', 10, 1000)],
    input: quoteInput([l('A')]),
    applied: ['a-10'],
    total: 9000,
  },
  {
    name: 'different groups stack, each on what is left (10 % then 20 %)',
    rules: [percentA('a-20', 'g2', 5, 2000), percentA('a-10', 'g1', 10, 1000)],
    input: quoteInput([l('A')]),
    lineDiscounts: [[1000, 1800]],
    total: 7200,
  },
  {
    name: 'an exclusive rule closes its lines to later rules (threshold only on the other line)',
    rules: [flash({ exclusive: true, priority: 100 }), spend],
    input: quoteInput([l('A'), l('B', 2)]),
    lineDiscounts: [[5000], [3000]],
    total: 42_000,
  },
  {
    name: 'an exclusive rule skips lines an earlier rule already discounted',
    rules: [gold5, percentA('a-50', 'promo', 5, 5000, true)],
    input: quoteInput([l('A'), l('B')], { memberTier: 'gold' }),
    lineDiscounts: [[500], [1000]],
    applied: ['gold-5'],
    total: 28_500,
  },
  {
    name: 'JsonLogic condition: subtotal ≥ 500.00 not met at 400.00',
    rules: [rule({ id: 'big-cart', kind: 'percent-off', target: { categoryIds: ['shoes'] }, percentOffBps: 1000, conditions: bigCart() })],
    input: quoteInput([l('A', 4)]),
    total: 40_000,
  },
  {
    name: 'JsonLogic condition: subtotal ≥ 500.00 met at exactly 500.00',
    rules: [rule({ id: 'big-cart', kind: 'percent-off', target: { categoryIds: ['shoes'] }, percentOffBps: 1000, conditions: bigCart() })],
    input: quoteInput([l('A', 5)]),
    total: 45_000,
  },
  {
    name: 'JsonLogic condition: channel not in [app, web]',
    rules: [rule({ id: 'big-cart', kind: 'percent-off', target: { categoryIds: ['shoes'] }, percentOffBps: 1000, conditions: bigCart() })],
    input: quoteInput([l('A', 5)], { channel: 'tmall' }),
    total: 50_000,
  },
  {
    name: 'JsonLogic condition on cart categories: shirts 10 % off only with shoes in the cart',
    rules: [rule({ id: 'shirts-with-shoes', kind: 'percent-off', target: { skus: ['B'] }, percentOffBps: 1000, conditions: withShoes() })],
    input: quoteInput([l('A'), l('B')]),
    lineDiscounts: [[], [2000]],
    total: 28_000,
  },
  {
    name: 'JsonLogic condition on cart categories: no shoes, no discount',
    rules: [rule({ id: 'shirts-with-shoes', kind: 'percent-off', target: { skus: ['B'] }, percentOffBps: 1000, conditions: withShoes() })],
    input: quoteInput([l('B')]),
    total: 20_000,
  },
  {
    name: 'versions: the highest version in force applies',
    rules: [percentA('v', 'promo', 0, 1000), { ...percentA('v', 'promo', 0, 2000), version: 2 }],
    input: quoteInput([l('A')]),
    total: 8000,
  },
  {
    name: 'versions: a later version scheduled for the future does not apply yet',
    rules: [percentA('v', 'promo', 0, 1000), { ...percentA('v', 'promo', 0, 2000), version: 2, effectiveFrom: '2026-12-01T00:00:00Z' }],
    input: quoteInput([l('A')]),
    total: 9000,
  },
];

function bigCart() {
  return { and: [{ in: [{ var: 'channel' }, ['app', 'web']] }, { '>=': [{ var: 'subtotal' }, 50_000] }] };
}

function withShoes() {
  return { some: [{ var: 'categoryIds' }, { in: [{ var: '' }, ['shoes']] }] };
}

describe('quote discount stage (table)', () => {
  it.each(cases.map((row) => [row.name, row] as const))('%s', (_name, row) => checkQuoteCase(row));
});
