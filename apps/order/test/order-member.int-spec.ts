import { uniqueId, waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

// The order saga with member as a participant, as four real processes over real Postgres, Kafka and
// Redis: inventory reserves, pricing locks the quote, member freezes the buyer's wallet coupon,
// points and gift-card amount. The order charges the locked quote minus what member froze, never
// what the request claims; a saga whose inventory Try fails releases everything member froze; a
// paid order earns the member points.
jest.setTimeout(600_000);

const world = new SagaWorld('order_member');
let inventory: ServiceProcess;
let order: ServiceProcess;
let pricing: ServiceProcess;
let member: ServiceProcess;
const SKU = uniqueId('TEA').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);

interface OrderAnswer {
  id: string;
  status: string;
  saga: string | null;
  goodsTotal: number;
  discountTotal: number;
  total: number;
  payable: number;
  currency: string;
  points: { points: number; value: number } | null;
  giftCard: { cardId: string; amount: number } | null;
  rejection: { lineNo: number; code: string }[] | null;
}

beforeAll(async () => {
  await world.init();
  await Promise.all([world.initPricing(), world.initMember()]);
  inventory = await world.startInventory();
  order = await world.startOrder({ ORDER_PAYMENT_WINDOW_MS: '60000', ORDER_DECISION_WAIT_MS: '4000', ORDER_INVENTORY_URL: inventory.url });
  pricing = await world.startPricing({ PRICING_CHANNELS: 'app,web' });
  member = await world.startMember();
  const p = world.topicPrefix;
  await world.consumersJoined([`${p}order`, `${p}inventory`, `${p}pricing`, `${p}member`]);
  await world.seed(inventory, { [SKU]: 5 });
  const price = await fetch(`${pricing.url}/internal/base-prices/${SKU}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('pricing') }, body: JSON.stringify({ amount: 3000 }) });
  expect(price.status).toBeLessThan(300);
});

afterAll(async () => {
  await world.close();
});

/** A member holding 500 points, a wallet coupon and a 2000 gift card. */
async function memberWithWallet(): Promise<{ memberId: string; couponId: string; giftCardId: string }> {
  const reg = await post(member.url, '/internal/members', { channel: 'app', account: { kind: 'app', accountId: uniqueId('acct') } });
  expect(reg.status).toBe(201);
  const memberId = String(reg.body.memberId);
  expect((await post(member.url, `/internal/members/${memberId}/points/earn`, { orderId: uuidv7(), channel: 'app', paidAmount: 50_000 })).status).toBe(200);
  const coupon = await post(member.url, `/internal/members/${memberId}/coupons`, {
    templateId: 'tpl-ten-off',
    code: 'TEN-OFF',
    channels: ['app'],
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validTo: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(coupon.status).toBe(201);
  const card = await post(member.url, '/internal/gift-cards', { currency: 'CNY', amount: 2000, memberId });
  expect(card.status).toBe(201);
  return { memberId, couponId: String(coupon.body.couponId), giftCardId: String(card.body.giftCardId) };
}

/** What the member holds, straight from member's tables. */
async function wallet(memberId: string, couponId: string, giftCardId: string) {
  const db = world.memberPool!;
  const [m] = (await db.query('SELECT points_balance AS balance, points_frozen AS frozen FROM members WHERE id = $1', [memberId])).rows;
  const [c] = (await db.query('SELECT status FROM coupons WHERE id = $1', [couponId])).rows;
  const [g] = (await db.query('SELECT balance, frozen FROM gift_cards WHERE id = $1', [giftCardId])).rows;
  return { points: { balance: Number(m.balance), frozen: Number(m.frozen) }, coupon: String(c.status), giftCard: { balance: Number(g.balance), frozen: Number(g.frozen) } };
}

async function quote(quantity: number): Promise<{ quoteId: string; total: number }> {
  const res = await post(pricing.url, '/internal/quotes', { channel: 'app', lines: [{ sku: SKU, quantity }] });
  expect(res.status).toBe(201);
  return { quoteId: String(res.body.quoteId), total: Number(res.body.total) };
}

/** An order for `quantity` units by the member, spending the coupon, 300 points and 1200 of the gift card. */
function spendingOrder(w: { memberId: string; couponId: string; giftCardId: string }, quoteId: string, quantity: number, unitPrice = 3000): Record<string, unknown> {
  return {
    ...orderBody('app', SKU, quantity, world.locationId, unitPrice),
    buyer: { memberId: w.memberId, anonymous: false },
    quoteId,
    // The request claims a 1000 discount for the coupon: the quote gave none, so none is charged.
    coupons: [{ code: 'TEN-OFF', couponId: w.couponId, discount: 1000 }],
    points: { points: 300, value: 300 },
    giftCard: { cardId: w.giftCardId, amount: 1200 },
  };
}

async function place(body: Record<string, unknown>): Promise<OrderAnswer> {
  const res = await post(order.url, '/orders', body, { 'idempotency-key': uuidv7() });
  expect([201, 202]).toContain(res.status);
  return res.status === 201 ? (res.body as unknown as OrderAnswer) : poll(String(res.body.id), (o) => o.status !== 'created');
}

async function poll(id: string, done: (o: OrderAnswer) => boolean): Promise<OrderAnswer> {
  let last: OrderAnswer | undefined;
  try {
    return await waitFor(
      async () => {
        last = (await get(order.url, `/orders/${id}`)).body as unknown as OrderAnswer;
        return done(last) ? last : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 150, what: `order ${id}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last ${JSON.stringify(last)}; order log:\n${order.tail()}`);
  }
}

async function branches(id: string): Promise<Record<string, string>> {
  const { rows } = await world.orderPool.query('SELECT participant, status FROM tcc_branch WHERE gid = $1', [id]);
  return Object.fromEntries(rows.map((r: { participant: string; status: string }) => [r.participant, r.status]));
}

it('charges the locked quote minus what member froze; payment consumes the coupon, the points and the gift-card amount', async () => {
  const w = await memberWithWallet();
  const q = await quote(1);
  expect(q.total).toBe(3000);
  // The request understates the price (2500) and claims a coupon discount the quote never gave.
  const o = await place(spendingOrder(w, q.quoteId, 1, 2500));
  expect(o).toMatchObject({ status: 'reserved', saga: 'prepared', rejection: null });
  expect(await branches(o.id)).toEqual({ inventory: 'tried', pricing: 'tried', member: 'tried' });
  // 3000 (the quote) − 300 (points) = 2700, of which the gift card pays 1200.
  expect(o).toMatchObject({ total: 2700, payable: 1500, points: { points: 300, value: 300 }, giftCard: { cardId: w.giftCardId, amount: 1200 } });
  // The line carries the settled discount (the points), not the 1300 the request claimed.
  expect(o).toMatchObject({ discountTotal: 300, lines: [{ lineNo: 0, discountShare: 300 }] });
  expect(await wallet(w.memberId, w.couponId, w.giftCardId)).toEqual({ points: { balance: 500, frozen: 300 }, coupon: 'frozen', giftCard: { balance: 2000, frozen: 1200 } });

  // What the request's own arithmetic gives (2500 − 1000 − 300, all paid by the gift card) is refused.
  expect((await world.pay(order.url, { ...o, payable: 0 })).body).toMatchObject({ code: 'PAYMENT_AMOUNT_MISMATCH' });
  expect(await world.pay(order.url, o)).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  await poll(o.id, (x) => x.saga === 'confirmed');
  await waitFor(async () => (await wallet(w.memberId, w.couponId, w.giftCardId)).coupon === 'redeemed', { timeoutMs: 30_000, what: 'the coupon to be redeemed' });
  expect((await wallet(w.memberId, w.couponId, w.giftCardId)).giftCard).toEqual({ balance: 800, frozen: 0 });
  // order-paid: the member earns on the 1500 captured (15 points) after spending 300 of 500.
  await waitFor(async () => (await wallet(w.memberId, w.couponId, w.giftCardId)).points.balance === 215, { timeoutMs: 30_000, what: 'points earned on order-paid' });
  expect(await wallet(w.memberId, w.couponId, w.giftCardId)).toEqual({ points: { balance: 215, frozen: 0 }, coupon: 'redeemed', giftCard: { balance: 800, frozen: 0 } });

});

it("splits a return's refund: the gift card's share goes back to the card, the payment provider refunds only the rest", async () => {
  const w = await memberWithWallet();
  const q = await quote(1);
  const o = await place(spendingOrder(w, q.quoteId, 1));
  // 3000 − 300 points = 2700, of which the gift card pays 1200 and the provider 1500.
  expect(o).toMatchObject({ status: 'reserved', total: 2700, payable: 1500 });
  expect(await world.pay(order.url, o)).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  await poll(o.id, (x) => x.saga === 'confirmed');
  expect((await post(order.url, `/orders/${o.id}/picking`, {})).body).toMatchObject({ status: 'picking' });
  const ready = await post(order.url, `/orders/${o.id}/ready-for-pickup`, {});
  expect((await post(order.url, `/orders/${o.id}/complete`, { pickupCode: ready.body.pickupCode })).body).toMatchObject({ status: 'completed' });
  await waitFor(async () => (await wallet(w.memberId, w.couponId, w.giftCardId)).giftCard.balance === 800, { timeoutMs: 30_000, what: 'the gift-card amount spent' });

  const returned = await post(order.url, `/orders/${o.id}/returns`, { lineNo: 0, quantity: 1, locationId: world.locationId }, { 'idempotency-key': uuidv7() });
  expect(returned).toMatchObject({ status: 201, body: { refundAmount: 2700 } });
  const { rows } = await world.orderPool.query(`SELECT payload FROM messaging_outbox WHERE topic LIKE '%order-refund-required' AND key = $1`, [o.id]);
  expect(rows.map((r: { payload: Record<string, unknown> }) => r.payload)).toEqual([
    expect.objectContaining({ reason: 'return', amount: { amount: 2700, currency: 'CNY' }, paymentAmount: { amount: 1500, currency: 'CNY' } }),
  ]);
  await waitFor(async () => (await wallet(w.memberId, w.couponId, w.giftCardId)).giftCard.balance === 2000, { timeoutMs: 30_000, what: "the gift card's share back on the card" });
});

it('refuses with 400 points whose value the request overstates, and wallet spending without a member', async () => {
  const w = await memberWithWallet();
  const q = await quote(1);
  const overstated = await post(order.url, '/orders', { ...spendingOrder(w, q.quoteId, 1), points: { points: 300, value: 3000 } }, { 'idempotency-key': uuidv7() });
  expect(overstated).toMatchObject({ status: 400, body: { code: 'POINTS_VALUE_MISMATCH' } });
  const anonymous = await post(order.url, '/orders', { ...spendingOrder(w, q.quoteId, 1), buyer: { anonymous: true } }, { 'idempotency-key': uuidv7() });
  expect(anonymous).toMatchObject({ status: 400, body: { code: 'MEMBER_REQUIRED' } });
});

it("rejects an order spending more than the member holds with member's reason, and releases the stock", async () => {
  const w = await memberWithWallet();
  const q = await quote(1);
  const before = await world.stock(SKU);
  const o = await place({ ...spendingOrder(w, q.quoteId, 1), points: { points: 800, value: 800 } });
  expect(o.status).toBe('rejected');
  expect(o.rejection).toEqual([expect.objectContaining({ lineNo: -1 })]);
  await poll(o.id, (x) => x.saga === 'cancelled');
  expect(await world.stock(SKU)).toEqual(before);
  expect(await wallet(w.memberId, w.couponId, w.giftCardId)).toEqual({ points: { balance: 500, frozen: 0 }, coupon: 'available', giftCard: { balance: 2000, frozen: 0 } });
});

it('releases the frozen coupon, points and gift-card amount when the inventory Try fails', async () => {
  const w = await memberWithWallet();
  const q = await quote(50);
  const o = await place(spendingOrder(w, q.quoteId, 50));
  expect(o.status).toBe('rejected');
  expect(o.rejection).toEqual([expect.objectContaining({ lineNo: 0, code: expect.stringMatching(/STOCK|SOLD_OUT/) })]);
  const done = await poll(o.id, (x) => x.saga === 'cancelled');
  expect(done.saga).toBe('cancelled');
  expect(await branches(o.id)).toMatchObject({ member: 'cancelled', pricing: 'cancelled' });
  await waitFor(async () => (await wallet(w.memberId, w.couponId, w.giftCardId)).coupon === 'available', { timeoutMs: 30_000, what: 'the coupon to be released' });
  expect(await wallet(w.memberId, w.couponId, w.giftCardId)).toEqual({ points: { balance: 500, frozen: 0 }, coupon: 'available', giftCard: { balance: 2000, frozen: 0 } });
  const { rows } = await world.memberPool!.query('SELECT status FROM member_branches WHERE gid = $1', [o.id]);
  // Member either froze and then unfroze, or received the Cancel first (an empty rollback).
  expect(rows.every((r: { status: string }) => r.status === 'cancelled')).toBe(true);
});
