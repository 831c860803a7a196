import { validateCouponTemplate, validateCouponTemplates, validatePriceRule, validatePriceRules } from './definition.validator';

const spendRule = {
  id: 'spend-300-600',
  version: 1,
  name: 'Spend more, save more',
  kind: 'spend-threshold',
  priority: 0,
  group: 'order',
  currency: 'CNY',
  thresholds: [
    { minSubtotal: 30_000, discount: 3000 },
    { minSubtotal: 60_000, discount: 7000 },
  ],
};
const cashCoupon = {
  id: 'tpl-c20',
  version: 1,
  code: 'C20',
  name: '20 off',
  kind: 'cash',
  currency: 'CNY',
  validFrom: '2026-11-01T00:00:00Z',
  validTo: '2026-12-01T00:00:00Z',
  stacksWithGroups: ['order'],
  amount: 2000,
};
const withRule = (patch: Record<string, unknown>) => ({ ...spendRule, ...patch });
const errorsOf = (input: unknown) => {
  const result = validatePriceRules([input]);
  return result.ok ? [] : result.errors;
};

describe('price rule validation', () => {
  it('accepts a well-formed rule and returns a copy', () => {
    const result = validatePriceRule(spendRule);
    expect(result).toEqual({ ok: true, value: spendRule });
    if (result.ok) expect(result.value).not.toBe(spendRule);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a negative threshold discount',
      { thresholds: [{ minSubtotal: 30_000, discount: 3000 }, { minSubtotal: 60_000, discount: -70 }] },
      'rules[0].thresholds[1].discount: must be a positive integer',
    ],
    [
      'a fractional amount (money is minor units)',
      { thresholds: [{ minSubtotal: 30_000.5, discount: 3000 }] },
      'rules[0].thresholds[0].minSubtotal: must be a positive integer',
    ],
    [
      'thresholds out of order',
      { thresholds: [{ minSubtotal: 60_000, discount: 7000 }, { minSubtotal: 30_000, discount: 7000 }] },
      'rules[0].thresholds[1].minSubtotal: must be greater than thresholds[0].minSubtotal',
    ],
    [
      'a discount above its threshold',
      { thresholds: [{ minSubtotal: 3000, discount: 3001 }] },
      'rules[0].thresholds[0].discount: must not exceed minSubtotal (3000)',
    ],
    ['an empty threshold list', { thresholds: [] }, 'rules[0].thresholds: must list at least one threshold'],
    ['a threshold that is not an object', { thresholds: [30_000] }, 'rules[0].thresholds[0]: must be an object'],
    ['an unknown field', { discountPercent: 10 }, 'rules[0].discountPercent: is not an allowed field'],
    ['an unknown kind', { kind: 'half-price-tuesday' }, 'rules[0].kind: must be one of channel-adjustment, special-price, limited-time-price, member-tier-discount, percent-off, spend-threshold, buy-x-get-y, flash-sale'],
    ['a missing id', { id: undefined }, 'rules[0].id: must be a string'],
    ['an id with spaces', { id: 'spend 300' }, 'rules[0].id: must be a code (1-64 characters of A-Z a-z 0-9 . _ : -)'],
    ['version 0', { version: 0 }, 'rules[0].version: must be a positive integer'],
    ['a lowercase currency', { currency: 'cny' }, 'rules[0].currency: must be an ISO 4217 currency code such as CNY'],
    ['a local time without Z', { effectiveFrom: '2026-11-11T00:00:00' }, 'rules[0].effectiveFrom: must be a UTC ISO-8601 instant such as 2026-11-11T00:00:00Z'],
    [
      'a window that ends before it starts',
      { effectiveFrom: '2026-11-12T00:00:00Z', effectiveTo: '2026-11-11T00:00:00Z' },
      'rules[0].effectiveTo: must be after effectiveFrom (windows are [from, to))',
    ],
    [
      'an empty window (from = to)',
      { effectiveFrom: '2026-11-11T00:00:00Z', effectiveTo: '2026-11-11T00:00:00Z' },
      'rules[0].effectiveTo: must be after effectiveFrom (windows are [from, to))',
    ],
    ['a non-integer priority', { priority: 1.5 }, 'rules[0].priority: must be an integer between -1000000 and 1000000'],
    [
      'a condition with an unknown operator',
      { conditions: { and: [{ '>=': [{ var: 'subtotal' }, 100] }, { regex: ['x', 'y'] }] } },
      'rules[0].conditions.and[1].regex: unknown operator "regex" (allowed: var == === != !== ! !! and or if > >= < <= in some all none)',
    ],
    [
      'a condition reading an unknown fact',
      { conditions: { in: [{ var: 'tier' }, ['gold']] } },
      'rules[0].conditions.in[0].var: unknown fact "tier" (allowed: channel storeId memberTier isMember subtotal itemCount skus categoryIds)',
    ],
    ['a condition that is not an object', { conditions: 'subtotal > 100' }, 'rules[0].conditions: must be an object'],
    ['an empty target', { target: {} }, 'rules[0].target: must list at least one SKU or category (skus or categoryIds)'],
  ])('rejects %s, naming the field', (_what, patch, message) => {
    expect(errorsOf(withRule(patch))).toEqual([message]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a percent-off above 100 %',
      { kind: 'percent-off', target: { skus: ['A'] }, percentOffBps: 10_001 },
      'rules[0].percentOffBps: must be an integer number of basis points between 1 and 10000',
    ],
    [
      'a channel adjustment without channels',
      { kind: 'channel-adjustment', channels: [], priceRatioBps: 9000 },
      'rules[0].channels: must list at least one channel code',
    ],
    [
      'a channel code with capitals',
      { kind: 'channel-adjustment', channels: ['TMALL'], priceRatioBps: 9000 },
      'rules[0].channels: must contain only channel codes',
    ],
    [
      'a special price with neither channel nor store',
      { kind: 'special-price', prices: [{ sku: 'A', amount: 100 }] },
      'rules[0].channels: a special price needs at least one channel or store (channels or storeIds)',
    ],
    [
      'a special price listing a SKU twice',
      { kind: 'special-price', storeIds: ['s1'], prices: [{ sku: 'A', amount: 100 }, { sku: 'A', amount: 90 }] },
      'rules[0].prices[1].sku: "A" is listed twice',
    ],
    [
      'a flash sale without a window',
      { kind: 'flash-sale', sku: 'A', salePrice: 100, quantityCap: 100, perMemberLimit: 1, effectiveTo: '2026-11-12T00:00:00Z' },
      'rules[0].effectiveFrom: is required for a flash-sale rule',
    ],
    [
      'a flash sale with a zero cap',
      { kind: 'flash-sale', sku: 'A', salePrice: 100, quantityCap: 0, perMemberLimit: 1, effectiveFrom: '2026-11-11T00:00:00Z', effectiveTo: '2026-11-12T00:00:00Z' },
      'rules[0].quantityCap: must be a positive integer',
    ],
    [
      'a buy-x-get-y without a target',
      { kind: 'buy-x-get-y', buyQuantity: 2, freeQuantity: 1 },
      'rules[0].target: must be an object',
    ],
  ])('rejects %s', (_what, patch, message) => {
    const { thresholds: _thresholds, ...base } = spendRule;
    expect(errorsOf({ ...base, ...patch })).toEqual([message]);
  });

  it('reports every bad rule of a list with its index, and duplicate id + version pairs', () => {
    const result = validatePriceRules([spendRule, withRule({ version: 'two' }), spendRule]);
    expect(result).toEqual({
      ok: false,
      errors: ['rules[1].version: must be a positive integer', 'rules[2].version: duplicates rules[0] (spend-300-600@1)'],
    });
  });

  it('rejects input that is not a list or not an object', () => {
    expect(validatePriceRules({})).toEqual({ ok: false, errors: ['rules: must be an array'] });
    expect(validatePriceRules([null])).toEqual({ ok: false, errors: ['rules[0]: must be an object'] });
  });
});

describe('coupon template validation', () => {
  it('accepts a well-formed template', () => {
    expect(validateCouponTemplate(cashCoupon)).toEqual({ ok: true, value: cashCoupon });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a zero amount', { amount: 0 }, 'coupons[0].amount: must be a positive integer'],
    ['a missing validity end', { validTo: undefined }, 'coupons[0].validTo: must be a UTC ISO-8601 instant such as 2026-11-11T00:00:00Z'],
    ['validity that ends before it starts', { validTo: '2026-10-01T00:00:00Z' }, 'coupons[0].validTo: must be after validFrom (windows are [from, to))'],
    ['a percent coupon with a zero cap', { kind: 'percent', percentOffBps: 1000, maxDiscount: 0 }, 'coupons[0].maxDiscount: must be a positive integer'],
    ['a threshold coupon without its minimum', { kind: 'threshold' }, 'coupons[0].minSubtotal: must be a positive integer'],
    ['stacking groups that are not a list', { stacksWithGroups: 'order' }, 'coupons[0].stacksWithGroups: must be an array of group codes'],
  ])('rejects %s, naming the field', (_what, patch, message) => {
    const { amount, ...base } = cashCoupon;
    const result = validateCouponTemplates([{ ...base, ...(patch.kind === 'percent' ? {} : { amount }), ...patch }]);
    expect(result).toEqual({ ok: false, errors: [message] });
  });

  it('rejects two templates with the same code, and a repeated version of one template', () => {
    expect(validateCouponTemplates([cashCoupon, { ...cashCoupon, id: 'other' }, { ...cashCoupon, amount: 1 }])).toEqual({
      ok: false,
      errors: [
        'coupons[1].code: "C20" already belongs to template tpl-c20 (coupons[0])',
        'coupons[2].version: duplicates coupons[0] (C20@1)',
      ],
    });
  });

  it('accepts several versions of one template', () => {
    expect(validateCouponTemplates([cashCoupon, { ...cashCoupon, version: 2, amount: 3000 }])).toMatchObject({ ok: true });
  });
});
