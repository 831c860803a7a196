// Platform order intake end to end: the platform simulator (its own process) sends signed webhooks to
// the connector, which creates our orders in the real order service (inventory reserves and deducts)
// and answers the platform. One order however often the webhook comes; forged and stale webhooks are
// refused; an unknown SKU and an order beyond the store's stock are rejected back with a reason, and
// our stock is untouched by them. Our order's statuses reach the platform in its own vocabulary,
// and a cancellation on the platform cancels our order and puts its stock back.
import { uniqueId, waitFor } from '@omni/testing';
import { call, O2oWorld } from './o2o-world.harness';

jest.setTimeout(600_000);

const world = new O2oWorld('o2o_intake');
const TEA = uniqueId('TEA').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const CUP = uniqueId('CUP').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const STORE = 'ST-100';

beforeAll(async () => {
  await world.start();
  await world.consumersJoined(['order', 'inventory', 'inventory-returns', 'o2o-connector']);
  await world.seed({ [TEA]: 20, [CUP]: 1 });
  await world.map({ [TEA]: 'E-TEA', [CUP]: 'E-CUP' }, STORE);
});

afterAll(() => world.close());

it('a platform order delivered three times (one of them twice at once) makes one order, accepted and paid, its stock deducted once', async () => {
  const placed = await world.placeOrder(STORE, [{ item: 'E-TEA', qty: 2, price: 1_250 }]);
  expect(placed.webhookStatus).toBe(200);
  const platformOrderId = placed.order.orderId;
  expect((await world.platformOrder(platformOrderId)).state).toBe('accepted');
  const redelivered = await call('POST', `${world.simulator.url}/_sim/orders/${platformOrderId}/redeliver`, { times: 2 });
  expect(redelivered.body.statuses).toEqual([200, 200]);

  const orders = await world.ourOrders();
  expect(orders).toHaveLength(1);
  expect(orders[0].total).toBe(2_500);
  const order = await waitFor(
    async () => {
      const read = await call('GET', `${world.order.url}/orders/${orders[0].id}`);
      return read.body.saga === 'confirmed' ? read.body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `the order to be paid and confirmed; connector:\n${world.connector.tail()}` },
  );
  expect(order).toMatchObject({ channel: world.channel, status: 'paid', fulfilment: { type: 'delivery', locationId: world.locationId } });
  await waitFor(async () => (await world.stock(TEA)).onHand === 18, { timeoutMs: 60_000, what: 'inventory to deduct the 2 units once' });
  expect(await world.stock(TEA)).toEqual({ onHand: 18, reserved: 0 });
  // The platform was told once what it needed: accepted, never rejected.
  expect((await world.platformOrder(platformOrderId)).statusHistory).toEqual(['accepted']);
  const { rows } = await world.connectorPool.query(`SELECT status, order_id FROM o2o_platform_orders WHERE platform_order_id = $1`, [platformOrderId]);
  expect(rows).toEqual([{ status: 'accepted', order_id: orders[0].id }]);
});

it.each([
  ['forged (another secret)', { secret: 'not-the-platform-secret' }],
  ['stale (signed 10 minutes ago)', { timestampOffsetMs: -600_000 }],
  ['from the future (10 minutes ahead)', { timestampOffsetMs: 600_000 }],
])('a %s webhook is refused with 401 and creates nothing', async (_name, forge) => {
  const before = (await world.ourOrders()).length;
  // A real order the platform has, whose webhook an attacker replays or forges.
  const placed = await world.placeOrder(STORE, [{ item: 'E-TEA', qty: 1, price: 1_250 }]);
  const forged = await call('POST', `${world.simulator.url}/_sim/orders/${placed.order.orderId}/forge`, forge);
  expect(forged.body.statuses).toEqual([401]);
  expect((await world.ourOrders()).length).toBe(before + 1); // only the genuine delivery made one
  // An unsigned request is refused the same way.
  const unsigned = await call('POST', `${world.connector.url}/webhooks/${world.channel}`, { event: 'order.created', data: { order_id: 'X1' } });
  expect(unsigned.status).toBe(401);
  expect(unsigned.body).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
});

it('an order for a SKU we do not map is rejected to the platform with the reason, and no order is created', async () => {
  const before = await world.ourOrders();
  const placed = await world.placeOrder(STORE, [
    { item: 'E-TEA', qty: 1, price: 1_250 },
    { item: 'E-UNKNOWN', qty: 1, price: 300 },
  ]);
  expect(placed.webhookStatus).toBe(200);
  expect(await world.platformOrder(placed.order.orderId)).toMatchObject({ state: 'rejected', reason: 'unknown SKU E-UNKNOWN' });
  expect(await world.ourOrders()).toEqual(before);
});

it('an order for more than the store has is rejected as sold out; our stock is untouched', async () => {
  const before = await world.stock(CUP);
  expect(before).toEqual({ onHand: 1, reserved: 0 });
  const placed = await world.placeOrder(STORE, [{ item: 'E-CUP', qty: 3, price: 900 }]);
  expect(placed.webhookStatus).toBe(200);
  expect(await world.platformOrder(placed.order.orderId)).toMatchObject({ state: 'rejected', reason: `sold out: ${CUP}` });
  const ours = (await world.ourOrders()).at(-1)!;
  expect(ours.status).toBe('rejected');
  expect(await world.stock(CUP)).toEqual(before);
  const { rows } = await world.inventoryPool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = $1 AND type <> 'receipt'`, [CUP]);
  expect(rows[0].n).toBe(0);
});

/** Our order behind a platform order, once paid and its stock deducted. */
async function paidOrderOf(platformOrderId: string): Promise<string> {
  const { rows } = await world.connectorPool.query(`SELECT order_id FROM o2o_platform_orders WHERE platform_order_id = $1 AND status = 'accepted'`, [platformOrderId]);
  expect(rows).toHaveLength(1);
  const orderId = String(rows[0].order_id);
  await waitFor(async () => (await call('GET', `${world.order.url}/orders/${orderId}`)).body.saga === 'confirmed', { timeoutMs: 60_000, what: `order ${orderId} to be confirmed` });
  return orderId;
}

it('tells the platform, in its own states, that our order is ready and that the courier picked it up', async () => {
  const placed = await world.placeOrder(STORE, [{ item: 'E-TEA', qty: 1, price: 1_250 }]);
  const orderId = await paidOrderOf(placed.order.orderId);
  expect((await call('POST', `${world.order.url}/orders/${orderId}/picking`, {})).body.status).toBe('picking');
  expect((await call('POST', `${world.order.url}/orders/${orderId}/ready-for-pickup`, {})).body.status).toBe('ready_for_pickup');
  await waitFor(async () => (await world.platformOrder(placed.order.orderId)).state === 'meal_ready', { timeoutMs: 60_000, what: `the platform to show meal_ready; connector:\n${world.connector.tail()}` });
  const shipped = await call('POST', `${world.order.url}/orders/${orderId}/ship`, { carrier: 'eleme-courier', trackingNumber: 'RIDER-7' });
  expect(shipped.body.status).toBe('shipped');
  await waitFor(async () => (await world.platformOrder(placed.order.orderId)).state === 'courier_picked_up', { timeoutMs: 60_000, what: 'the platform to show courier_picked_up' });
  expect((await world.platformOrder(placed.order.orderId)).statusHistory).toEqual(['accepted', 'meal_ready', 'courier_picked_up']);
  // A late redelivery of the order's webhook changes nothing on either side.
  expect((await call('POST', `${world.simulator.url}/_sim/orders/${placed.order.orderId}/redeliver`, {})).body.statuses).toEqual([200]);
  expect((await call('GET', `${world.order.url}/orders/${orderId}`)).body.status).toBe('shipped');
  expect((await world.platformOrder(placed.order.orderId)).state).toBe('courier_picked_up');
});

it('a cancellation on the platform cancels our paid order and puts its units back on sale at the store', async () => {
  const before = await world.stock(TEA);
  const placed = await world.placeOrder(STORE, [{ item: 'E-TEA', qty: 1, price: 1_250 }]);
  const orderId = await paidOrderOf(placed.order.orderId);
  await waitFor(async () => (await world.stock(TEA)).onHand === before.onHand - 1, { timeoutMs: 60_000, what: 'the unit to be deducted' });
  const cancelled = await call('POST', `${world.simulator.url}/_sim/orders/${placed.order.orderId}/cancel`, { reason: 'buyer changed their mind' });
  expect(cancelled.body.statuses).toEqual([200]);
  const order = await call('GET', `${world.order.url}/orders/${orderId}`);
  expect(order.body).toMatchObject({ status: 'cancelled', cancelReason: 'channel' });
  await waitFor(async () => (await world.stock(TEA)).onHand === before.onHand, { timeoutMs: 60_000, what: `the unit to be restocked; inventory:\n${world.inventory.tail()}` });
  // A second cancellation webhook changes nothing more.
  expect((await call('POST', `${world.simulator.url}/_sim/orders/${placed.order.orderId}/cancel`, {})).body.statuses).toEqual([200]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await world.stock(TEA)).toEqual(before);
  // The platform was never told "cancelled" back: it cancelled the order itself.
  expect((await world.platformOrder(placed.order.orderId)).statusHistory).toEqual(['accepted']);
});
