import { v7 as uuidv7 } from 'uuid';
import { call, queuedPriceChanges, ruleBody, startPricing, type PricingHarness } from './pricing.harness';

// Channel isolation across every channel-scoped endpoint and event: a caller of one channel never
// receives a price (or even the name) of another channel's exclusive price, rule or coupon.
jest.setTimeout(120_000);

let h: PricingHarness;
const hour = 3_600_000;

// Each channel's exclusive prices; amounts chosen so they cannot appear by accident.
const EXCLUSIVE = {
  app: { list: 8811, words: ['app'] },
  tmall: { list: 7733, adjusted: 6960, flash: 4477, words: ['tmall'] },
};

beforeAll(async () => {
  h = await startPricing('isolation');
  await call(h.service, 'PUT', '/internal/base-prices/SKU-X', { amount: 10000 });
  await call(h.service, 'PUT', '/internal/base-prices/SKU-Y', { amount: 6000 });
  await call(h.service, 'PUT', '/internal/channel-prices/app/SKU-X', { amount: EXCLUSIVE.app.list });
  await call(h.service, 'PUT', '/internal/channel-prices/tmall/SKU-X', { amount: EXCLUSIVE.tmall.list });
  // Rule and coupon ids are neutral so that a leak of the object itself would be caught by the price checks.
  for (const rule of [
    ruleBody({ id: 'adj-1', kind: 'channel-adjustment', channels: ['tmall'], priceRatioBps: 9000 }),
    ruleBody({
      id: 'fs-1',
      kind: 'flash-sale',
      sku: 'SKU-Y',
      salePrice: EXCLUSIVE.tmall.flash,
      quantityCap: 10,
      perMemberLimit: 1,
      channels: ['tmall'],
      effectiveFrom: new Date(Date.now() - hour).toISOString(),
      effectiveTo: new Date(Date.now() + hour).toISOString(),
    }),
  ]) {
    expect((await call(h.service, 'POST', '/internal/rules', rule)).status).toBe(201);
  }
  const coupon = { id: 'cp-1', code: 'ONLYTM', name: 'Marketplace coupon', kind: 'cash', currency: 'CNY', amount: 1234, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z', channels: ['tmall'], stacksWithGroups: ['promo'] };
  expect((await call(h.service, 'POST', '/internal/coupon-templates', coupon)).status).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

/** Every channel-scoped answer one channel gets, as raw JSON text. */
async function everythingSeenBy(channel: 'app' | 'tmall'): Promise<string[]> {
  const seen: string[] = [];
  const keep = (answer: { status: number; body: unknown }) => {
    expect(answer.status).toBeLessThan(300);
    seen.push(JSON.stringify(answer.body));
    return answer.body;
  };
  keep(await call(h.service, 'GET', `/internal/prices/SKU-X?channel=${channel}`));
  keep(await call(h.service, 'GET', `/internal/prices/SKU-Y?channel=${channel}`));
  keep(await call(h.service, 'GET', `/internal/channel-prices/${channel}`));
  keep(await call(h.service, 'GET', `/internal/channel-prices/${channel}/SKU-X`));
  const quote = keep(
    await call(h.service, 'POST', '/internal/quotes', { channel, memberId: `m-${channel}`, lines: [{ sku: 'SKU-X', quantity: 2 }, { sku: 'SKU-Y', quantity: 1 }], couponCodes: ['ONLYTM'] }),
  ) as { quoteId: string };
  keep(await call(h.service, 'GET', `/internal/quotes/${quote.quoteId}?channel=${channel}`));
  const branch = { gid: uuidv7(), branchId: uuidv7(), quoteId: quote.quoteId, channel };
  keep(await call(h.service, 'POST', '/internal/quote-locks/try', { ...branch, deadline: new Date(Date.now() + 600_000).toISOString() }));
  keep(await call(h.service, 'POST', '/internal/quote-locks/confirm', branch));
  return seen;
}

// An amount as a value in the answers (`"listPrice":7733,`), not the same digits inside an id: the
// answers carry random uuids, and "01a24ada-b6ec-7733-..." once failed a plain substring check.
function asValue(amount: number): RegExp {
  return new RegExp(`(?<![0-9a-f-])${amount}(?![0-9a-f-])`);
}

it('answers app callers with app prices only, on every channel-scoped endpoint', async () => {
  const seen = await everythingSeenBy('app');
  const text = seen.join('\n');
  for (const amount of [EXCLUSIVE.tmall.list, EXCLUSIVE.tmall.adjusted, EXCLUSIVE.tmall.flash, 1234]) expect(text).not.toMatch(asValue(amount));
  expect(text).not.toContain('tmall');
  // And the app's own exclusive price is what it got.
  expect(JSON.parse(seen[0])).toMatchObject({ channel: 'app', listPrice: EXCLUSIVE.app.list, effectivePrice: EXCLUSIVE.app.list });
  expect(JSON.parse(seen[4])).toMatchObject({ total: 2 * EXCLUSIVE.app.list + 6000, rejectedCoupons: [{ code: 'ONLYTM', reason: 'channel-not-allowed' }] });
});

it('answers tmall callers with tmall prices only, on every channel-scoped endpoint', async () => {
  const seen = await everythingSeenBy('tmall');
  const text = seen.join('\n');
  expect(text).not.toMatch(asValue(EXCLUSIVE.app.list));
  expect(text).not.toMatch(/"app"|channel app/);
  expect(JSON.parse(seen[0])).toMatchObject({ channel: 'tmall', listPrice: EXCLUSIVE.tmall.list, unitPrice: EXCLUSIVE.tmall.adjusted });
  expect(JSON.parse(seen[1])).toMatchObject({ effectivePrice: EXCLUSIVE.tmall.flash });
  expect(JSON.parse(seen[4])).toMatchObject({ rejectedCoupons: [] });
});

it('refuses to show or lock one channel\'s quote for another channel', async () => {
  const quote = (await call<{ quoteId: string }>(h.service, 'POST', '/internal/quotes', { channel: 'tmall', lines: [{ sku: 'SKU-X', quantity: 1 }] })).body;
  const read = await call(h.service, 'GET', `/internal/quotes/${quote.quoteId}?channel=app`);
  expect(read.status).toBe(404);
  expect(JSON.stringify(read.body)).not.toMatch(asValue(EXCLUSIVE.tmall.adjusted));
  const lock = await call<{ outcome: string; reasons: { code: string }[] }>(h.service, 'POST', '/internal/quote-locks/try', {
    gid: uuidv7(),
    branchId: uuidv7(),
    quoteId: quote.quoteId,
    channel: 'app',
    deadline: new Date(Date.now() + 600_000).toISOString(),
  });
  expect(lock.body).toMatchObject({ outcome: 'failure', reasons: [{ code: 'QUOTE_NOT_FOUND' }] });
  expect(JSON.stringify(lock.body)).not.toMatch(asValue(EXCLUSIVE.tmall.adjusted));
});

it('addresses each price-changed event to one channel, carrying that channel\'s own price', async () => {
  const events = (await queuedPriceChanges(h.dataSource, h.topicPrefix)).filter((e) => e.sku === 'SKU-X' || e.sku === 'SKU-Y');
  const latest = new Map<string, number>();
  for (const event of events) latest.set(`${event.sku}/${event.channel}`, event.price.amount);
  expect(Object.fromEntries(latest)).toEqual({
    'SKU-X/app': EXCLUSIVE.app.list,
    'SKU-X/tmall': EXCLUSIVE.tmall.adjusted,
    'SKU-X/jd': 10000,
    'SKU-Y/app': 6000,
    'SKU-Y/tmall': EXCLUSIVE.tmall.flash,
    'SKU-Y/jd': 6000,
  });
  const tmallOnly = new Set([EXCLUSIVE.tmall.list, EXCLUSIVE.tmall.adjusted, EXCLUSIVE.tmall.flash]);
  expect(events.filter((e) => e.channel !== 'tmall' && tmallOnly.has(e.price.amount))).toEqual([]);
  expect(events.filter((e) => e.channel !== 'app' && e.price.amount === EXCLUSIVE.app.list)).toEqual([]);
});
