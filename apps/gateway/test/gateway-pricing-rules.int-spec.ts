import { EVENT_CONTRACTS } from '@omni/contracts';
import { createKafka, TopicAdmin, TopicNames } from '@omni/messaging';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { COUPON_EXAMPLES, RULE_EXAMPLES } from './support/definition-examples';
import { call, KEYS, startGateway, type Answer, type GatewayUnderTest } from './support/gateway-harness';
import { ServiceProcess } from './support/service-process';

jest.setTimeout(300_000);

interface QuoteAnswer {
  channel: string;
  subtotal: number;
  discountTotal: number;
  total: number;
  appliedRules: Array<{ ruleId: string; version: number; amount: number; couponCode?: string }>;
  rejectedCoupons: Array<{ code: string; reason: string }>;
}

/**
 * Price rules and coupon templates written through the gateway's back office and read back through
 * its cart quote, with the real pricing service (own process, own database); catalog, inventory and
 * order are the harness stubs (the stub catalog sells TEA-250 and TEA-500 on app, pos-sh01, tmall).
 */
describe('price rules through the gateway (real pricing service)', () => {
  let gw: GatewayUnderTest;
  let pricing: ServiceProcess;
  let pricingDb: TestDatabase;
  const manager = () => ({ authorization: `Bearer ${gw.staffToken(['pricing-manager'])}` });

  async function quote(key: string, lines: Array<{ sku: string; quantity: number }>, couponCodes?: string[]): Promise<QuoteAnswer> {
    const answer = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: { 'x-api-key': key }, body: { lines, ...(couponCodes ? { couponCodes } : {}) } });
    expect(answer.status).toBe(200);
    return answer.body as unknown as QuoteAnswer;
  }

  function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return call(`${gw.url}/admin/${path}`, { method, headers: { ...manager(), ...headers }, body });
  }

  beforeAll(async () => {
    const topicPrefix = uniqueTopicPrefix('gw-rules');
    const topics = new TopicAdmin(createKafka({ clientId: 'gw-rules-setup', brokers: testInfra.kafkaBrokers }), new TopicNames(topicPrefix));
    await waitFor(async () => (await topics.ensureTopics(EVENT_CONTRACTS, { partitions: 1 }), true), { timeoutMs: 90_000, intervalMs: 500, what: 'the topics' });
    await topics.close();
    pricingDb = await createTestDatabase('gw_rules_pricing');
    pricing = new ServiceProcess('pricing', {
      DATABASE_URL: pricingDb.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('gw-rules-pricing')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      PRICING_CHANNELS: 'app,pos-sh01,tmall',
    });
    const pricingUrl = await pricing.url();
    gw = await startGateway('gw_rules', { PRICING_URL: pricingUrl, UPSTREAM_TIMEOUT_MS: '10000' }, { topicPrefix });
    for (const [sku, amount] of [['TEA-250', 10000], ['TEA-500', 20000]] as const) {
      expect((await admin('PUT', `prices/base/${sku}`, { amount })).status).toBe(200);
    }
  });

  afterAll(async () => {
    await gw?.close();
    await pricing?.stop();
    await pricingDb?.drop();
  });

  it('applies a promotion created through the gateway to the cart quote, follows its versions, and drops it while disabled', async () => {
    const lines = [{ sku: 'TEA-250', quantity: 2 }];
    expect(await quote(KEYS.app, lines)).toMatchObject({ channel: 'app', subtotal: 20000, discountTotal: 0, total: 20000, appliedRules: [] });

    const rule = RULE_EXAMPLES['percent-off'];
    const created = await admin('POST', 'price-rules', rule, { 'idempotency-key': 'create-spring-tea-10' });
    expect(created).toMatchObject({ status: 201, body: { id: rule.id, kind: 'percent-off', version: 1, enabled: true, definition: { ...rule, version: 1 } } });
    // A retry with the same key answers the first result instead of a conflict.
    expect(await admin('POST', 'price-rules', rule, { 'idempotency-key': 'create-spring-tea-10' })).toMatchObject({ status: 201, body: created.body });
    expect(await quote(KEYS.app, lines)).toMatchObject({ discountTotal: 2000, total: 18000, appliedRules: [{ ruleId: rule.id, version: 1, amount: 2000 }] });
    expect(await quote(KEYS.pos, lines)).toMatchObject({ channel: 'pos-sh01', total: 18000 });

    expect(await admin('POST', `price-rules/${rule.id}/disable`)).toMatchObject({ status: 200, body: { id: rule.id, enabled: false } });
    expect(await quote(KEYS.app, lines)).toMatchObject({ discountTotal: 0, total: 20000, appliedRules: [] });
    expect(await admin('POST', `price-rules/${rule.id}/enable`)).toMatchObject({ status: 200, body: { enabled: true } });
    expect((await quote(KEYS.app, lines)).total).toBe(18000);

    const updated = await admin('PUT', `price-rules/${rule.id}`, { ...rule, percentOffBps: 2500 });
    expect(updated).toMatchObject({ status: 200, body: { version: 2, definition: { percentOffBps: 2500 } } });
    expect(await quote(KEYS.app, lines)).toMatchObject({ discountTotal: 5000, total: 15000, appliedRules: [{ ruleId: rule.id, version: 2 }] });

    const versions = await admin('GET', `price-rules/${rule.id}/versions`);
    expect(versions.status).toBe(200);
    expect((versions.body as unknown as Array<{ version: number; definition: { percentOffBps: number } }>).map((v) => [v.version, v.definition.percentOffBps])).toEqual([[2, 2500], [1, 1000]]);
    expect(await admin('GET', `price-rules/${rule.id}`)).toMatchObject({ status: 200, body: { version: 2, enabled: true } });
    const listed = await admin('GET', 'price-rules');
    expect((listed.body as unknown as Array<{ id: string }>).map((r) => r.id)).toContain(rule.id);
  });

  it('runs a flash sale created through the gateway on its channel only', async () => {
    const now = Date.now();
    const sale = {
      ...RULE_EXAMPLES['flash-sale'],
      id: 'flash-now',
      effectiveFrom: new Date(now - 3_600_000).toISOString(),
      effectiveTo: new Date(now + 86_400_000).toISOString(),
      salePrice: 12000,
      quantityCap: 50,
      perMemberLimit: 3,
      channels: ['app'],
    };
    expect(await admin('POST', 'price-rules', sale)).toMatchObject({ status: 201, body: { id: 'flash-now', kind: 'flash-sale', enabled: true } });
    const onSale = await quote(KEYS.app, [{ sku: 'TEA-500', quantity: 1 }]);
    expect(onSale).toMatchObject({ total: 12000, appliedRules: [{ ruleId: 'flash-now', amount: 8000 }] });
    expect(await quote(KEYS.tmall, [{ sku: 'TEA-500', quantity: 1 }])).toMatchObject({ channel: 'tmall', total: 20000, appliedRules: [] });
    expect(await admin('POST', 'price-rules/flash-now/disable')).toMatchObject({ status: 200, body: { enabled: false } });
    expect((await quote(KEYS.app, [{ sku: 'TEA-500', quantity: 1 }])).total).toBe(20000);
  });

  it('applies coupon templates created through the gateway when the cart names their code', async () => {
    const cash = COUPON_EXAMPLES.cash;
    expect(await admin('POST', 'coupon-templates', cash)).toMatchObject({ status: 201, body: { id: cash.id, kind: 'cash', version: 1, enabled: true } });
    const percent = COUPON_EXAMPLES.percent;
    expect(await admin('POST', 'coupon-templates', percent)).toMatchObject({ status: 201, body: { id: percent.id } });

    // 10 % off from the rule (25 % since version 2) stacks with the cash coupon, which stacks with the 'promo' group.
    const withCash = await quote(KEYS.app, [{ sku: 'TEA-250', quantity: 2 }], ['WELCOME10']);
    expect(withCash).toMatchObject({ total: 20000 - 5000 - 1000, rejectedCoupons: [] });
    expect(withCash.appliedRules.map((r) => r.couponCode).filter(Boolean)).toEqual(['WELCOME10']);
    // Codes with '.' and ':' are coupon codes too; this one stacks with nothing, so a discounted line is refused.
    const withPercent = await quote(KEYS.app, [{ sku: 'TEA-500', quantity: 1 }], ['TEA.LOVER:5']);
    expect(withPercent).toMatchObject({ total: 19000, appliedRules: [{ couponCode: 'TEA.LOVER:5', amount: 1000 }] });
    expect((await quote(KEYS.app, [{ sku: 'TEA-250', quantity: 1 }], ['TEA.LOVER:5'])).rejectedCoupons).toEqual([expect.objectContaining({ code: 'TEA.LOVER:5', reason: 'does-not-stack' })]);
    // Another channel than the template's is refused by pricing, not hidden by the gateway.
    expect((await quote(KEYS.tmall, [{ sku: 'TEA-500', quantity: 1 }], ['TEA.LOVER:5'])).rejectedCoupons).toEqual([expect.objectContaining({ reason: 'channel-not-allowed' })]);

    expect(await admin('POST', `coupon-templates/${cash.id}/disable`)).toMatchObject({ status: 200, body: { enabled: false } });
    expect((await quote(KEYS.app, [{ sku: 'TEA-250', quantity: 2 }], ['WELCOME10'])).rejectedCoupons).toEqual([expect.objectContaining({ code: 'WELCOME10', reason: 'unknown-code' })]);
    const versions = await admin('PUT', `coupon-templates/${cash.id}`, { ...cash, amount: 1200 });
    expect(versions).toMatchObject({ status: 200, body: { version: 2, enabled: false } });
  });

  it('passes pricing’s refusals through as the same 4xx in the gateway’s error body, field paths in its notation', async () => {
    const base = { ...RULE_EXAMPLES['percent-off'], id: 'refused-rule' };
    const refusals: Array<[string, Answer, number, unknown]> = [
      ['window ends before it starts', await admin('POST', 'price-rules', { ...base, effectiveFrom: '2026-02-01T00:00:00Z', effectiveTo: '2026-01-01T00:00:00Z' }), 400, [{ field: 'effectiveTo', reason: expect.stringContaining('after effectiveFrom') }]],
      ['another currency', await admin('POST', 'price-rules', { ...base, currency: 'USD' }), 400, [{ field: 'currency', reason: expect.stringContaining('CNY') }]],
      ['empty target', await admin('POST', 'price-rules', { ...base, target: {} }), 400, [{ field: 'target', reason: expect.stringContaining('at least one SKU or category') }]],
      ['unknown condition operator', await admin('POST', 'price-rules', { ...base, conditions: { and: [{ '>=': [{ var: 'itemCount' }, 1] }, { log: 'x' }] } }), 400, [{ field: expect.stringMatching(/^conditions\.and\.1/), reason: expect.stringContaining('unknown operator') }]],
      [
        'thresholds not ascending',
        await admin('POST', 'price-rules', { ...RULE_EXAMPLES['spend-threshold'], id: 'refused-threshold', thresholds: [{ minSubtotal: 60000, discount: 3000 }, { minSubtotal: 30000, discount: 3000 }] }),
        400,
        [{ field: 'thresholds.1.minSubtotal', reason: expect.stringContaining('greater than') }],
      ],
      ['rule id taken', await admin('POST', 'price-rules', RULE_EXAMPLES['percent-off']), 409, undefined],
      ['unknown rule', await admin('GET', 'price-rules/no-such-rule'), 404, undefined],
      ['update of an unknown rule', await admin('PUT', 'price-rules/no-such-rule', { ...base, id: 'no-such-rule' }), 404, undefined],
      ['enabling an unknown template', await admin('POST', 'coupon-templates/no-such-template/enable'), 404, undefined],
      ['coupon code held by another template', await admin('POST', 'coupon-templates', { ...COUPON_EXAMPLES.threshold, code: 'WELCOME10' }), 409, [{ field: 'code', reason: expect.any(String) }]],
      ['Idempotency-Key reused for another body', await admin('POST', 'price-rules', { ...base, id: 'other-rule' }, { 'idempotency-key': 'create-spring-tea-10' }), 409, [{ field: 'Idempotency-Key', reason: expect.any(String) }]],
    ];
    const codes: Record<number, RegExp> = { 400: /^VALIDATION_FAILED$/, 404: /_NOT_FOUND$/, 409: /^(RULE_EXISTS|COUPON_TEMPLATE_CONFLICT|IDEMPOTENCY_KEY_REUSED)$/ };
    for (const [what, answer, status, details] of refusals) {
      expect({ what, status: answer.status }).toEqual({ what, status });
      expect(Object.keys(answer.body).sort()).toEqual(details ? ['code', 'details', 'message'] : ['code', 'message']);
      expect({ what, code: answer.body.code }).toEqual({ what, code: expect.stringMatching(codes[status]) });
      if (details) expect({ what, details: answer.body.details }).toEqual({ what, details });
    }
    // Nothing refused was stored.
    const ids = ((await admin('GET', 'price-rules')).body as unknown as Array<{ id: string }>).map((r) => r.id);
    expect(ids).not.toEqual(expect.arrayContaining(['refused-rule']));
    expect(ids).not.toContain('refused-threshold');
    expect(ids).not.toContain('other-rule');
  });

  it('stores a valid definition of every kind the gateway documents (its DTOs are never stricter than pricing)', async () => {
    const failures: string[] = [];
    for (const body of Object.values(RULE_EXAMPLES).filter((r) => r.id !== RULE_EXAMPLES['percent-off'].id)) {
      const answer = await admin('POST', 'price-rules', body);
      if (answer.status !== 201) failures.push(`rule ${String(body.kind)}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    const threshold = COUPON_EXAMPLES.threshold;
    const answer = await admin('POST', 'coupon-templates', threshold);
    if (answer.status !== 201) failures.push(`coupon threshold: ${answer.status} ${answer.text.slice(0, 300)}`);
    expect(failures).toEqual([]);
    const kinds = ((await admin('GET', 'price-rules')).body as unknown as Array<{ kind: string }>).map((r) => r.kind);
    expect(new Set(kinds)).toEqual(new Set(Object.keys(RULE_EXAMPLES)));
    const templates = ((await admin('GET', 'coupon-templates')).body as unknown as Array<{ kind: string }>).map((t) => t.kind);
    expect(new Set(templates)).toEqual(new Set(Object.keys(COUPON_EXAMPLES)));
  });
});
