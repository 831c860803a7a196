import { call, queuedPriceChanges, ruleBody, startPricing, type PricingHarness } from './pricing.harness';

// Price data, rules and coupon templates through the real service: validation, versions,
// idempotent writes, and the price-changed deltas each write queues in the outbox.
jest.setTimeout(120_000);

let h: PricingHarness;
beforeAll(async () => {
  h = await startPricing('api');
});
afterAll(async () => {
  await h?.close();
});

type Details = { code?: string; details?: { field: string; reason: string }[] };
const fields = (body: Details) => (body.details ?? []).map((d) => d.field);
const changesSince = async (count: number) => (await queuedPriceChanges(h.dataSource, h.topicPrefix)).slice(count);
const queued = async () => (await queuedPriceChanges(h.dataSource, h.topicPrefix)).length;

describe('base prices', () => {
  it('creates, reads and versions a base price, and publishes it for every channel', async () => {
    const before = await queued();
    const put = await call(h.service, 'PUT', '/internal/base-prices/SKU-A', { amount: 10000, categoryIds: ['tea'] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ sku: 'SKU-A', amount: 10000, currency: 'CNY', categoryIds: ['tea'], version: 1 });
    const again = await call(h.service, 'PUT', '/internal/base-prices/SKU-A', { amount: 10000 });
    expect(again.body).toMatchObject({ version: 2, categoryIds: ['tea'] });
    expect((await call(h.service, 'GET', '/internal/base-prices/SKU-A')).body).toMatchObject({ amount: 10000, version: 2 });
    // The second write changed no effective price: only the first one published.
    const changes = await changesSince(before);
    expect(changes.map((c) => [c.channel, c.price.amount]).sort()).toEqual([
      ['app', 10000],
      ['jd', 10000],
      ['tmall', 10000],
    ]);
    expect(changes.every((c) => c.sku === 'SKU-A' && c.version >= 1)).toBe(true);
    expect((await call(h.service, 'GET', '/internal/base-prices/NOPE')).status).toBe(404);
  });

  it('makes a write with an Idempotency-Key happen once, and refuses the key for another body', async () => {
    const headers = { 'idempotency-key': 'base-once-1' };
    const first = await call(h.service, 'PUT', '/internal/base-prices/SKU-I', { amount: 500 }, headers);
    const second = await call(h.service, 'PUT', '/internal/base-prices/SKU-I', { amount: 500 }, headers);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await call(h.service, 'GET', '/internal/base-prices/SKU-I')).body).toMatchObject({ version: 1 });
    const reused = await call<Details>(h.service, 'PUT', '/internal/base-prices/SKU-I', { amount: 600 }, headers);
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
  });

  it.each([
    ['a negative amount', { amount: -1 }, 'amount'],
    ['a fractional amount', { amount: 1.5 }, 'amount'],
    ['an amount as text', { amount: '100' }, 'amount'],
    ['an absurd amount', { amount: 1e15 }, 'amount'],
    ['no amount', {}, 'amount'],
    ['an unknown field', { amount: 1, colour: 'red' }, 'colour'],
    ['a bad category', { amount: 1, categoryIds: ['ok', 'not ok'] }, 'categoryIds'],
  ])('answers %s with 400 naming the field', async (_label, body, field) => {
    const res = await call<Details>(h.service, 'PUT', '/internal/base-prices/SKU-V', body);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
  });

  it('answers a bad SKU in the path with 400', async () => {
    const res = await call<Details>(h.service, 'PUT', `/internal/base-prices/${encodeURIComponent('bad sku!')}`, { amount: 1 });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain('sku');
  });
});

describe('channel price lists', () => {
  it('overrides the base price for its channel only, lists per channel, and falls back when removed', async () => {
    await call(h.service, 'PUT', '/internal/base-prices/SKU-C', { amount: 2000 });
    const before = await queued();
    const put = await call(h.service, 'PUT', '/internal/channel-prices/tmall/SKU-C', { amount: 1800 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ channel: 'tmall', sku: 'SKU-C', amount: 1800, version: 1 });
    expect((await changesSince(before)).map((c) => [c.sku, c.channel, c.price.amount])).toEqual([['SKU-C', 'tmall', 1800]]);

    expect((await call(h.service, 'GET', '/internal/prices/SKU-C?channel=tmall')).body).toMatchObject({ listPrice: 1800, listPriceSource: 'channel-price', effectivePrice: 1800 });
    expect((await call(h.service, 'GET', '/internal/prices/SKU-C?channel=app')).body).toMatchObject({ listPrice: 2000, listPriceSource: 'base', effectivePrice: 2000 });
    const tmallList = await call<{ channel: string }[]>(h.service, 'GET', '/internal/channel-prices/tmall');
    expect(tmallList.body.every((entry) => entry.channel === 'tmall')).toBe(true);
    expect((await call<unknown[]>(h.service, 'GET', '/internal/channel-prices/app')).body).toEqual([]);

    const removedAt = await queued();
    expect((await call(h.service, 'DELETE', '/internal/channel-prices/tmall/SKU-C')).status).toBe(200);
    expect((await changesSince(removedAt)).map((c) => [c.channel, c.price.amount])).toEqual([['tmall', 2000]]);
    expect((await call(h.service, 'DELETE', '/internal/channel-prices/tmall/SKU-C')).status).toBe(404);
    expect((await call(h.service, 'GET', '/internal/channel-prices/tmall/SKU-C')).status).toBe(404);
  });

  it.each([
    ['an inverted window', { amount: 1, effectiveFrom: '2026-12-02T00:00:00Z', effectiveTo: '2026-12-01T00:00:00Z' }, 'effectiveTo'],
    ['a local time', { amount: 1, effectiveFrom: '2026-12-01T08:00:00+08:00' }, 'effectiveFrom'],
    ['a negative amount', { amount: -5 }, 'amount'],
  ])('answers %s with 400 naming the field', async (_label, body, field) => {
    const res = await call<Details>(h.service, 'PUT', '/internal/channel-prices/jd/SKU-C', body);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
  });

  it('answers a bad channel code with 400', async () => {
    const res = await call<Details>(h.service, 'PUT', '/internal/channel-prices/TMALL/SKU-C', { amount: 1 });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain('channel');
  });
});

describe('price rules', () => {
  const adjustment = ruleBody({ id: 'jd-90', kind: 'channel-adjustment', channels: ['jd'], priceRatioBps: 9000 });

  it('creates version 1, stores every update as a new version, and publishes the prices it moves', async () => {
    await call(h.service, 'PUT', '/internal/base-prices/SKU-R', { amount: 1000 });
    const before = await queued();
    const created = await call(h.service, 'POST', '/internal/rules', adjustment);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'jd-90', kind: 'channel-adjustment', version: 1, enabled: true, definition: { priceRatioBps: 9000, version: 1 } });
    const moved = await changesSince(before);
    expect(moved.filter((c) => c.sku === 'SKU-R').map((c) => [c.channel, c.price.amount])).toEqual([['jd', 900]]);
    expect(moved.every((c) => c.channel === 'jd')).toBe(true);

    const updated = await call(h.service, 'PUT', '/internal/rules/jd-90', { ...adjustment, priceRatioBps: 8000, version: 77 });
    expect(updated.body).toMatchObject({ version: 2, definition: { priceRatioBps: 8000, version: 2 } });
    const versions = await call<{ version: number }[]>(h.service, 'GET', '/internal/rules/jd-90/versions');
    expect(versions.body.map((v) => v.version)).toEqual([2, 1]);
    expect((await call(h.service, 'GET', '/internal/prices/SKU-R?channel=jd')).body).toMatchObject({ unitPrice: 800, priceRuleId: 'jd-90' });

    const disabledAt = await queued();
    expect((await call(h.service, 'POST', '/internal/rules/jd-90/disable')).body).toMatchObject({ enabled: false, version: 2 });
    expect((await changesSince(disabledAt)).filter((c) => c.sku === 'SKU-R').map((c) => [c.channel, c.price.amount])).toEqual([['jd', 1000]]);
    expect((await call(h.service, 'GET', '/internal/prices/SKU-R?channel=jd')).body).toMatchObject({ unitPrice: 1000 });
    expect((await call(h.service, 'POST', '/internal/rules/jd-90/enable')).body).toMatchObject({ enabled: true });
    expect((await call<{ id: string }[]>(h.service, 'GET', '/internal/rules')).body.map((r) => r.id)).toContain('jd-90');
  });

  it('republishes both the SKUs a new version leaves and the ones it reaches, and nothing for cart-level rules', async () => {
    await call(h.service, 'PUT', '/internal/base-prices/SKU-M1', { amount: 1000 });
    await call(h.service, 'PUT', '/internal/base-prices/SKU-M2', { amount: 2000, categoryIds: ['mugs'] });
    const sale = ruleBody({ id: 'mug-sale', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-M1'] } });
    // jd has its own adjustment from the test above; app and tmall see the plain 10 % off.
    const plain = async (since: number) => (await changesSince(since)).filter((c) => c.channel !== 'jd').map((c) => [c.sku, c.channel, c.price.amount]).sort();
    let before = await queued();
    await call(h.service, 'POST', '/internal/rules', sale);
    expect(await plain(before)).toEqual([
      ['SKU-M1', 'app', 900],
      ['SKU-M1', 'tmall', 900],
    ]);
    before = await queued();
    await call(h.service, 'PUT', '/internal/rules/mug-sale', { ...sale, target: { categoryIds: ['mugs'] } });
    expect(await plain(before)).toEqual([
      ['SKU-M1', 'app', 1000],
      ['SKU-M1', 'tmall', 1000],
      ['SKU-M2', 'app', 1800],
      ['SKU-M2', 'tmall', 1800],
    ]);
    before = await queued();
    await call(h.service, 'POST', '/internal/rules', ruleBody({ id: 'gold-5', kind: 'member-tier-discount', tiers: ['gold'], percentOffBps: 500 }));
    expect(await changesSince(before)).toEqual([]);
  });

  it('corrects a channel that only a rule named once that rule is disabled', async () => {
    await call(h.service, 'PUT', '/internal/base-prices/SKU-DY', { amount: 3000 });
    const live = ruleBody({ id: 'live-shop', kind: 'special-price', channels: ['douyin'], prices: [{ sku: 'SKU-DY', amount: 2500 }] });
    let before = await queued();
    await call(h.service, 'POST', '/internal/rules', live);
    expect((await changesSince(before)).map((c) => [c.sku, c.channel, c.price.amount])).toEqual([['SKU-DY', 'douyin', 2500]]);
    before = await queued();
    await call(h.service, 'POST', '/internal/rules/live-shop/disable');
    expect((await changesSince(before)).map((c) => [c.sku, c.channel, c.price.amount])).toEqual([['SKU-DY', 'douyin', 3000]]);
  });

  it('publishes nothing when a rule only starts in the future', async () => {
    const before = await queued();
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const end = new Date(Date.now() + 7_200_000).toISOString();
    const res = await call(h.service, 'POST', '/internal/rules', ruleBody({ id: 'later', kind: 'limited-time-price', prices: [{ sku: 'SKU-R', amount: 500 }], effectiveFrom: start, effectiveTo: end }));
    expect(res.status).toBe(201);
    expect(await changesSince(before)).toEqual([]);
  });

  it('refuses a second rule with the same id, an unknown id and a mismatched body id', async () => {
    expect((await call(h.service, 'POST', '/internal/rules', adjustment)).body).toMatchObject({ code: 'RULE_EXISTS' });
    const { id: _id, ...withoutId } = adjustment;
    expect((await call(h.service, 'PUT', '/internal/rules/nope', withoutId)).status).toBe(404);
    expect((await call(h.service, 'GET', '/internal/rules/nope')).status).toBe(404);
    const mismatch = await call<Details>(h.service, 'PUT', '/internal/rules/jd-90', { ...adjustment, id: 'other' });
    expect(mismatch.status).toBe(400);
    expect(fields(mismatch.body)).toEqual(['id']);
  });

  it.each([
    ['no kind', { id: 'r1', name: 'x', priority: 0, group: 'g', currency: 'CNY' }, 'kind'],
    ['an unknown kind', ruleBody({ id: 'r1', kind: 'half-price' }), 'kind'],
    ['a threshold discount that is not a positive integer', ruleBody({ id: 'r1', kind: 'spend-threshold', thresholds: [{ minSubtotal: 30000, discount: 3000 }, { minSubtotal: 60000, discount: -7000 }] }), 'thresholds[1].discount'],
    ['thresholds out of order', ruleBody({ id: 'r1', kind: 'spend-threshold', thresholds: [{ minSubtotal: 60000, discount: 7000 }, { minSubtotal: 30000, discount: 8000 }] }), 'thresholds[1].minSubtotal'],
    ['a ratio of zero', ruleBody({ id: 'r1', kind: 'channel-adjustment', channels: ['tmall'], priceRatioBps: 0 }), 'priceRatioBps'],
    ['no channels', ruleBody({ id: 'r1', kind: 'channel-adjustment', priceRatioBps: 9000 }), 'channels'],
    ['a flash sale without a window end', ruleBody({ id: 'r1', kind: 'flash-sale', sku: 'SKU-A', salePrice: 1, quantityCap: 10, perMemberLimit: 1, effectiveFrom: '2026-12-01T00:00:00Z' }), 'effectiveTo'],
    ['a percent-off without a target', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000 }), 'target'],
    ['an empty target', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000, target: {} }), 'target'],
    ['an inverted window', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-A'] }, effectiveFrom: '2026-12-02T00:00:00Z', effectiveTo: '2026-12-01T00:00:00Z' }), 'effectiveTo'],
    ['a condition with an unknown operator', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-A'] }, conditions: { eval: ['1'] } }), 'conditions'],
    ['an unknown field', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-A'] }, colour: 'red' }), 'colour'],
    ['a bad id', ruleBody({ id: 'no spaces', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-A'] } }), 'id'],
    ['another currency', ruleBody({ id: 'r1', kind: 'percent-off', percentOffBps: 1000, target: { skus: ['SKU-A'] }, currency: 'USD' }), 'currency'],
    ['a list instead of an object', [1, 2], '(body)'],
  ])('rejects a rule with %s, naming the field', async (_label, body, field) => {
    const res = await call<Details>(h.service, 'POST', '/internal/rules', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fields(res.body).some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`))).toBe(true);
    expect((await call(h.service, 'GET', '/internal/rules/r1')).status).toBe(404);
  });
});

describe('coupon templates', () => {
  const cash = { id: 'tpl-cash-10', code: 'CASH10', name: 'Cash 10', kind: 'cash', currency: 'CNY', amount: 1000, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z', stacksWithGroups: [] };

  it('creates and versions a template, and keeps codes unique', async () => {
    expect((await call(h.service, 'POST', '/internal/coupon-templates', cash)).body).toMatchObject({ id: 'tpl-cash-10', version: 1 });
    expect((await call(h.service, 'PUT', '/internal/coupon-templates/tpl-cash-10', { ...cash, amount: 1500 })).body).toMatchObject({ version: 2, definition: { amount: 1500 } });
    const clash = await call<Details>(h.service, 'POST', '/internal/coupon-templates', { ...cash, id: 'tpl-other' });
    expect(clash.status).toBe(409);
    expect(fields(clash.body)).toEqual(['code']);
  });

  it.each([
    ['a percent above 100 %', { ...cash, id: 'c1', code: 'P1', kind: 'percent', amount: undefined, percentOffBps: 10001 }, 'percentOffBps'],
    ['a validity ending before it starts', { ...cash, id: 'c1', code: 'P1', validTo: '2025-01-01T00:00:00Z' }, 'validTo'],
    ['a threshold coupon without its threshold', { ...cash, id: 'c1', code: 'P1', kind: 'threshold' }, 'minSubtotal'],
    ['a bad channel', { ...cash, id: 'c1', code: 'P1', channels: ['Tmall'] }, 'channels'],
  ])('rejects a template with %s, naming the field', async (_label, body, field) => {
    const res = await call<Details>(h.service, 'POST', '/internal/coupon-templates', body);
    expect(res.status).toBe(400);
    expect(fields(res.body).some((f) => f.startsWith(field))).toBe(true);
  });
});

describe('quotes', () => {
  beforeAll(async () => {
    await call(h.service, 'PUT', '/internal/base-prices/SKU-Q1', { amount: 20000, categoryIds: ['shoes'] });
    await call(h.service, 'PUT', '/internal/base-prices/SKU-Q2', { amount: 15000 });
    await call(h.service, 'POST', '/internal/rules', ruleBody({ id: 'spend', kind: 'spend-threshold', group: 'order', thresholds: [{ minSubtotal: 30000, discount: 3000 }, { minSubtotal: 60000, discount: 7000 }] }));
    await call(h.service, 'POST', '/internal/coupon-templates', { id: 'tpl-q', code: 'Q5', name: 'Five off', kind: 'cash', currency: 'CNY', amount: 500, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z', stacksWithGroups: ['order'] });
  });

  it('prices a cart with rules and coupons, stores it with an id and expiry, and shows it to its channel only', async () => {
    const res = await call<Record<string, unknown> & { quoteId: string; lines: { finalLineTotal: number }[] }>(h.service, 'POST', '/internal/quotes', {
      channel: 'app',
      lines: [
        { sku: 'SKU-Q1', quantity: 1 },
        { sku: 'SKU-Q2', quantity: 1 },
      ],
      couponCodes: ['Q5', 'NOPE'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'app', currency: 'CNY', subtotal: 35000, discountTotal: 3500, total: 31500 });
    expect(res.body.lines.reduce((sum, line) => sum + line.finalLineTotal, 0)).toBe(31500);
    expect(res.body.rejectedCoupons).toEqual([expect.objectContaining({ code: 'NOPE', reason: 'unknown-code' })]);
    expect(Date.parse(String(res.body.expiresAt))).toBeGreaterThan(Date.now());
    const read = await call(h.service, 'GET', `/internal/quotes/${res.body.quoteId}?channel=app`);
    expect(read.body).toEqual(res.body);
    expect((await call(h.service, 'GET', `/internal/quotes/${res.body.quoteId}?channel=tmall`)).status).toBe(404);
  });

  it('returns the same quote for a repeated Idempotency-Key', async () => {
    const body = { channel: 'app', lines: [{ sku: 'SKU-Q2', quantity: 2 }], couponCodes: [] };
    const first = await call<{ quoteId: string }>(h.service, 'POST', '/internal/quotes', body, { 'idempotency-key': 'quote-0001' });
    const second = await call<{ quoteId: string }>(h.service, 'POST', '/internal/quotes', body, { 'idempotency-key': 'quote-0001' });
    expect(second.body.quoteId).toBe(first.body.quoteId);
    const [{ count }] = await h.dataSource.query('SELECT count(*)::int AS count FROM quotes WHERE id = $1', [first.body.quoteId]);
    expect(count).toBe(1);
  });

  it('answers an unpriced SKU with 422 naming the line, and bad carts with 400', async () => {
    const unpriced = await call<Details>(h.service, 'POST', '/internal/quotes', { channel: 'app', lines: [{ sku: 'SKU-Q1', quantity: 1 }, { sku: 'SKU-NONE', quantity: 1 }] });
    expect(unpriced.status).toBe(422);
    expect(unpriced.body).toMatchObject({ code: 'SKU_NOT_PRICED', details: [{ field: 'lines.1.sku' }] });
    for (const [body, field] of [
      [{ channel: 'app', lines: [] }, 'lines'],
      [{ channel: 'app', lines: [{ sku: 'SKU-Q1', quantity: 0 }] }, 'lines.0.quantity'],
      [{ channel: 'App', lines: [{ sku: 'SKU-Q1', quantity: 1 }] }, 'channel'],
      [{ channel: 'app', lines: [{ sku: 'SKU-Q1', quantity: 1, categoryIds: ['vip'] }] }, 'lines.0.categoryIds'],
      [{ channel: 'app', lines: [{ sku: 'SKU-Q1', quantity: 1 }], couponCodes: 'Q5' }, 'couponCodes'],
    ] as const) {
      const res = await call<Details>(h.service, 'POST', '/internal/quotes', body);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toContain(field);
    }
    expect((await call(h.service, 'GET', '/internal/quotes/not-a-uuid?channel=app')).status).toBe(400);
    expect((await call(h.service, 'GET', '/internal/quotes/0190d8a0-0000-7000-8000-000000000000')).status).toBe(400);
  });
});
