import { ValidationFailedError } from '@omni/platform';
import { COUPON_EXAMPLES, RULE_EXAMPLES } from '../../test/support/definition-examples';
import { COUPON_TEMPLATE_BODIES, COUPON_TEMPLATE_KINDS } from './coupon-template-admin.dto';
import { DefinitionBodyPipe } from './definition-admin.routes';
import { PRICE_RULE_BODIES, PRICE_RULE_KINDS } from './price-rule-admin.dto';

const rules = new DefinitionBodyPipe(PRICE_RULE_BODIES);
const coupons = new DefinitionBodyPipe(COUPON_TEMPLATE_BODIES);

/** The field details of the 400 a body gets, or 'accepted'. */
async function problems(pipe: DefinitionBodyPipe, body: unknown, pathId?: string): Promise<Array<{ field: string; reason: string }> | 'accepted'> {
  try {
    await pipe.transform({ body, pathId });
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return error.details ?? [];
  }
}

describe('DefinitionBodyPipe', () => {
  it('has a body class for every kind pricing knows, and accepts a valid body of each, unchanged', async () => {
    expect(Object.keys(PRICE_RULE_BODIES)).toEqual([...PRICE_RULE_KINDS]);
    expect(Object.keys(COUPON_TEMPLATE_BODIES)).toEqual([...COUPON_TEMPLATE_KINDS]);
    expect(Object.keys(RULE_EXAMPLES).sort()).toEqual([...PRICE_RULE_KINDS].sort());
    expect(Object.keys(COUPON_EXAMPLES).sort()).toEqual([...COUPON_TEMPLATE_KINDS].sort());
    for (const [kind, body] of Object.entries(RULE_EXAMPLES)) {
      const value = await rules.transform({ body });
      expect(value).toBeInstanceOf(PRICE_RULE_BODIES[kind as keyof typeof PRICE_RULE_BODIES]);
      expect(JSON.parse(JSON.stringify(value))).toEqual(body);
    }
    for (const body of Object.values(COUPON_EXAMPLES)) {
      expect(JSON.parse(JSON.stringify(await coupons.transform({ body })))).toEqual(body);
    }
  });

  it('refuses a body that is not an object, or of no known kind', async () => {
    for (const body of [undefined, null, [], 'text', 42]) {
      expect(await problems(rules, body)).toEqual([{ field: '(body)', reason: 'the body must be a JSON object' }]);
    }
    const { kind: _kind, ...noKind } = RULE_EXAMPLES['percent-off'];
    expect(await problems(rules, noKind)).toEqual([{ field: 'kind', reason: expect.stringContaining('percent-off') }]);
    expect(await problems(rules, { ...noKind, kind: 'toString' })).toEqual([{ field: 'kind', reason: expect.any(String) }]);
    expect(await problems(coupons, { ...COUPON_EXAMPLES.cash, kind: 'percent-off' })).toEqual([{ field: 'kind', reason: 'kind must be one of cash, percent, threshold' }]);
  });

  it('names every bad field with the rule of its kind, nested ones by path', async () => {
    const bad = { ...RULE_EXAMPLES['percent-off'], percentOffBps: 0, target: { skus: ['bad sku!'] }, conditions: [1], zzz: 1 };
    const details = await problems(rules, bad);
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'percentOffBps', reason: 'percentOffBps must be an integer between 1 and 10000' },
        { field: 'target.skus', reason: expect.stringContaining('must be a SKU code') },
        { field: 'conditions', reason: 'conditions must be a JsonLogic object' },
        { field: 'zzz', reason: 'property zzz should not exist' },
      ]),
    );
    const thresholds = await problems(rules, { ...RULE_EXAMPLES['spend-threshold'], thresholds: [{ minSubtotal: 100, discount: 1.5 }, 'x'] });
    expect(thresholds).toEqual(expect.arrayContaining([{ field: 'thresholds.0.discount', reason: expect.stringContaining('integer') }, { field: 'thresholds', reason: expect.stringContaining('object') }]));
    expect(await problems(rules, { ...RULE_EXAMPLES['special-price'], prices: [] })).toEqual([{ field: 'prices', reason: 'prices must list at least one price' }]);
    expect(await problems(rules, { ...RULE_EXAMPLES['channel-adjustment'], channels: [] })).toEqual([{ field: 'channels', reason: 'channels must list at least one channel code' }]);
    expect(await problems(coupons, { ...COUPON_EXAMPLES.cash, code: 'WELCOME 10', amount: 0 })).toEqual(
      expect.arrayContaining([{ field: 'code', reason: expect.stringContaining('coupon code') }, { field: 'amount', reason: expect.stringContaining('between 1 and') }]),
    );
  });

  it('holds kinds to their own fields: a window is required where the kind needs one, foreign fields are refused', async () => {
    const { effectiveFrom: _from, ...noStart } = RULE_EXAMPLES['flash-sale'];
    expect(await problems(rules, noStart)).toEqual([{ field: 'effectiveFrom', reason: expect.stringContaining('UTC ISO-8601') }]);
    expect(await problems(rules, { ...RULE_EXAMPLES['percent-off'], salePrice: 100 })).toEqual([{ field: 'salePrice', reason: 'property salePrice should not exist' }]);
    expect(await problems(rules, { ...RULE_EXAMPLES['percent-off'], effectiveFrom: '2026-02-30T00:00:00Z' })).toEqual([{ field: 'effectiveFrom', reason: expect.any(String) }]);
    expect(await problems(coupons, { ...COUPON_EXAMPLES.threshold, percentOffBps: 10 })).toEqual([{ field: 'percentOffBps', reason: expect.stringContaining('should not exist') }]);
  });

  it('on an update, requires the body to name the rule of the path', async () => {
    const body = RULE_EXAMPLES['percent-off'];
    expect(await problems(rules, body, body.id as string)).toBe('accepted');
    expect(await problems(rules, body, 'another-rule')).toEqual([{ field: 'id', reason: 'id must be "another-rule", the id in the path' }]);
    expect(await problems(rules, { ...body, version: 7 }, body.id as string)).toBe('accepted');
    expect(await problems(rules, { ...body, version: 0 })).toEqual([{ field: 'version', reason: expect.stringContaining('between 1 and') }]);
  });
});
