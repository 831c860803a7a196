import { uniqueId, waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, post, SagaWorld, ServiceProcess, type JsonResponse } from './saga.harness';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';

// The order saga with two participants, as three real processes over real Postgres, Kafka and
// Redis: inventory reserves the stock and pricing locks the quote the buyer saw (with its
// flash-sale units). Both hold → reserved; payment confirms both; a refusal by pricing rejects
// the order with pricing's reason and releases the stock; the payment deadline cancels both.
jest.setTimeout(600_000);

const world = new SagaWorld('order_quote');
let inventory: ServiceProcess;
let order: ServiceProcess;
let pricing: ServiceProcess;
const SKU = uniqueId('TEA').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const FLASH = 'flash-tea';
const hour = 3_600_000;

interface QuoteAnswer {
  quoteId: string;
  total: number;
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}
interface OrderAnswer {
  id: string;
  status: string;
  saga: string | null;
  total: number;
  payable: number;
  currency: string;
  quoteId: string | null;
  rejection: { lineNo: number; code: string }[] | null;
  cancelReason: string | null;
}

async function json(method: string, base: string, path: string, body: unknown): Promise<JsonResponse> {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(await serviceAuthHeadersForUrl(base)) }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  await world.init();
  await world.initPricing();
  inventory = await world.startInventory();
  order = await world.startOrder({ ORDER_PAYMENT_WINDOW_MS: '20000', ORDER_DECISION_WAIT_MS: '4000', ORDER_INVENTORY_URL: inventory.url });
  pricing = await world.startPricing({ PRICING_CHANNELS: 'app,web' });
  await world.consumersJoined([`${world.topicPrefix}order`, `${world.topicPrefix}inventory`, `${world.topicPrefix}pricing`]);
  await world.seed(inventory, { [SKU]: 50 });
  expect((await json('PUT', pricing.url, `/internal/base-prices/${SKU}`, { amount: 3000 })).status).toBeLessThan(300);
  const rule = await post(pricing.url, '/internal/rules', {
    id: FLASH,
    name: 'Tea flash sale',
    priority: 0,
    group: 'promo',
    currency: 'CNY',
    kind: 'flash-sale',
    sku: SKU,
    salePrice: 1900,
    quantityCap: 100,
    perMemberLimit: 10,
    effectiveFrom: new Date(Date.now() - hour).toISOString(),
    effectiveTo: new Date(Date.now() + 2 * hour).toISOString(),
  });
  if (rule.status !== 201) throw new Error(`flash-sale rule refused: ${rule.status} ${JSON.stringify(rule.body)}`);
});

afterAll(async () => {
  await world.close();
});

/** A quote on `channel` for `quantity` units of the SKU. */
async function quote(channel: string, quantity: number): Promise<QuoteAnswer> {
  const res = await post(pricing.url, '/internal/quotes', { channel, lines: [{ sku: SKU, quantity }] });
  expect(res.status).toBe(201);
  return res.body as unknown as QuoteAnswer;
}

/**
 * An order on `channel` for the quote's lines at the quote's unit prices. Once reserved, the order
 * charges the locked quote's total (its flash-sale price included), not the request's arithmetic.
 */
function orderFromQuote(channel: string, q: QuoteAnswer): Record<string, unknown> {
  const line = q.lines[0];
  return { ...orderBody(channel, line.sku, line.quantity, world.locationId, line.unitPrice), quoteId: q.quoteId };
}

/** Places an order and waits for its decision. */
async function place(body: Record<string, unknown>): Promise<OrderAnswer> {
  const res = await post(order.url, '/orders', body, { 'idempotency-key': uuidv7() });
  expect([201, 202]).toContain(res.status);
  return res.status === 201 ? (res.body as unknown as OrderAnswer) : poll(String(res.body.id), (o) => o.status !== 'created');
}

async function poll(id: string, done: (o: OrderAnswer) => boolean, timeoutMs = 60_000): Promise<OrderAnswer> {
  let last: OrderAnswer | undefined;
  try {
    return await waitFor(
      async () => {
        last = (await get(order.url, `/orders/${id}`)).body as unknown as OrderAnswer;
        return done(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 150, what: `order ${id}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last ${JSON.stringify(last)}; order log:\n${order.tail()}`);
  }
}

/** Participant → branch status of an order's saga, read from the order database. */
async function branches(id: string): Promise<Record<string, string>> {
  const { rows } = await world.orderPool.query('SELECT participant, status FROM tcc_branch WHERE gid = $1', [id]);
  return Object.fromEntries(rows.map((r: { participant: string; status: string }) => [r.participant, r.status]));
}

/** The quote lock pricing holds for an order (null when pricing recorded none). */
async function lockOf(id: string): Promise<{ status: string; quoteId: string } | null> {
  const { rows } = await world.pricingPool!.query('SELECT status, quote_id AS "quoteId" FROM quote_locks WHERE gid = $1', [id]);
  return rows[0] ?? null;
}

async function flashSold(): Promise<number> {
  const { rows } = await world.pricingPool!.query('SELECT sold FROM flash_sale_counters WHERE rule_id = $1', [FLASH]);
  return rows[0]?.sold ?? 0;
}

it('reserves stock and locks the quote; payment confirms both branches and the lock', async () => {
  const stockBefore = await world.stock(SKU);
  const soldBefore = await flashSold();
  const q = await quote('app', 2);
  expect(q.total).toBe(3800); // two units at the flash-sale price: what the lock takes from the cap
  const o = await place(orderFromQuote('app', q));
  // The quote's total, not Σ unitPrice × quantity of the request (6000): the buyer pays what the quote showed.
  const charged = q.total;
  expect(o).toMatchObject({ status: 'reserved', saga: 'prepared', quoteId: q.quoteId, total: charged, payable: charged, rejection: null });
  expect(await branches(o.id)).toEqual({ inventory: 'tried', pricing: 'tried' });
  expect(await lockOf(o.id)).toEqual({ status: 'locked', quoteId: q.quoteId });
  expect(await flashSold()).toBe(soldBefore + 2);
  expect((await world.stock(SKU)).reserved).toBe(stockBefore.reserved + 2);

  expect(await world.pay(order.url, o)).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  const done = await poll(o.id, (x) => x.saga === 'confirmed');
  expect(done.status).toBe('paid');
  expect(await branches(o.id)).toEqual({ inventory: 'confirmed', pricing: 'confirmed' });
  await waitFor(async () => (await lockOf(o.id))?.status === 'confirmed', { timeoutMs: 30_000, what: 'the quote lock to be confirmed' });
  expect(await flashSold()).toBe(soldBefore + 2);
  expect(await world.stock(SKU)).toEqual({ onHand: stockBefore.onHand - 2, reserved: stockBefore.reserved });
});

it("rejects an order with another channel's quote with pricing's reason and releases the stock", async () => {
  const stockBefore = await world.stock(SKU);
  const soldBefore = await flashSold();
  const q = await quote('web', 1);
  const o = await place(orderFromQuote('app', q));
  expect(o.status).toBe('rejected');
  expect(o.cancelReason).toBe('rejected');
  expect(o.rejection).toEqual([expect.objectContaining({ lineNo: -1, code: 'QUOTE_NOT_FOUND' })]);
  await poll(o.id, (x) => x.saga === 'cancelled');
  expect(await branches(o.id)).toEqual({ inventory: 'cancelled', pricing: 'cancelled' });
  expect(await lockOf(o.id)).toMatchObject({ status: 'cancelled' });
  expect(await world.stock(SKU)).toEqual(stockBefore);
  expect(await flashSold()).toBe(soldBefore);
});

it("rejects an order with an expired quote with pricing's reason and releases the stock; the quote stays free", async () => {
  const stockBefore = await world.stock(SKU);
  const soldBefore = await flashSold();
  const q = await quote('app', 3);
  await world.pricingPool!.query(`UPDATE quotes SET expires_at = now() - interval '1 second' WHERE id = $1`, [q.quoteId]);
  const o = await place(orderFromQuote('app', q));
  expect(o.status).toBe('rejected');
  expect(o.rejection).toEqual([expect.objectContaining({ lineNo: -1, code: 'QUOTE_EXPIRED' })]);
  await poll(o.id, (x) => x.saga === 'cancelled');
  expect(await branches(o.id)).toEqual({ inventory: 'cancelled', pricing: 'cancelled' });
  expect(await world.stock(SKU)).toEqual(stockBefore);
  expect(await flashSold()).toBe(soldBefore);
  const { rows } = await world.pricingPool!.query('SELECT locked_by_gid FROM quotes WHERE id = $1', [q.quoteId]);
  expect(rows[0].locked_by_gid).toBeNull();
});

it('rejects a second order with a quote another order already locked, leaving the first one reserved', async () => {
  const q = await quote('app', 1);
  const first = await place(orderFromQuote('app', q));
  expect(first.status).toBe('reserved');
  const reservedAfterFirst = (await world.stock(SKU)).reserved;
  const second = await place(orderFromQuote('app', q));
  expect(second.status).toBe('rejected');
  expect(second.rejection).toEqual([expect.objectContaining({ lineNo: -1, code: 'QUOTE_ALREADY_LOCKED' })]);
  await poll(second.id, (x) => x.saga === 'cancelled');
  expect((await world.stock(SKU)).reserved).toBe(reservedAfterFirst);
  expect(await lockOf(first.id)).toEqual({ status: 'locked', quoteId: q.quoteId });
  // The buyer cancels the first: both of its branches are cancelled and the quote is free again.
  expect((await post(order.url, `/orders/${first.id}/cancel`, {})).status).toBe(200);
  await poll(first.id, (x) => x.saga === 'cancelled');
  expect(await branches(first.id)).toEqual({ inventory: 'cancelled', pricing: 'cancelled' });
  expect(await lockOf(first.id)).toMatchObject({ status: 'cancelled' });
});

it('cancels both branches of an unpaid order at its deadline: the stock and the flash-sale units come back', async () => {
  const stockBefore = await world.stock(SKU);
  const soldBefore = await flashSold();
  const q = await quote('app', 2);
  const o = await place(orderFromQuote('app', q));
  expect(o.status).toBe('reserved');
  expect(await flashSold()).toBe(soldBefore + 2);
  const cancelled = await poll(o.id, (x) => x.status === 'cancelled', 120_000);
  expect(cancelled.cancelReason).toBe('payment-timeout');
  await poll(o.id, (x) => x.saga === 'cancelled');
  expect(await branches(o.id)).toEqual({ inventory: 'cancelled', pricing: 'cancelled' });
  await waitFor(async () => (await lockOf(o.id))?.status === 'cancelled', { timeoutMs: 30_000, what: 'the quote lock to be cancelled' });
  expect(await flashSold()).toBe(soldBefore);
  expect(await world.stock(SKU)).toEqual(stockBefore);
});

it('runs an order without a quote as before: one inventory branch, pricing never asked', async () => {
  const stockBefore = await world.stock(SKU);
  const o = await place(orderBody('app', SKU, 1, world.locationId, 3000));
  expect(o).toMatchObject({ status: 'reserved', quoteId: null, total: 3000 });
  expect(await branches(o.id)).toEqual({ inventory: 'tried' });
  expect(await world.pay(order.url, o)).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  await poll(o.id, (x) => x.saga === 'confirmed');
  expect(await branches(o.id)).toEqual({ inventory: 'confirmed' });
  expect(await lockOf(o.id)).toBeNull();
  expect(await world.stock(SKU)).toEqual({ onHand: stockBefore.onHand - 1, reserved: stockBefore.reserved });
});

it('refuses a quoteId that is not a UUID with the field and reason', async () => {
  const res = await post(order.url, '/orders', { ...orderBody('app', SKU, 1, world.locationId), quoteId: 'not-a-quote' }, { 'idempotency-key': uuidv7() });
  expect(res.status).toBe(400);
  expect(res.body.details).toEqual([expect.objectContaining({ field: 'quoteId' })]);
});
