import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, JsonResponse, orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';

// Real process kills: the order service SIGKILLs itself at injected points (after persisting the
// saga, while applying Try replies, during Confirm), and inventory is SIGKILLed mid-saga. After
// restarts every saga must end confirmed or cancelled, with nothing left reserved and every paid
// unit deducted exactly once.
jest.setTimeout(600_000);

const world = new SagaWorld('order_crash');
const SKU = uniqueId('CRASH').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
let inventory: ServiceProcess;
let order: ServiceProcess;
const paid = new Map<string, { id: string; payable: number; currency: string; ref: string }>();
const cancelled = new Set<string>();

beforeAll(async () => {
  await world.init();
  inventory = await world.startInventory();
  await world.seed(inventory, { [SKU]: 100 });
});

afterAll(async () => {
  await world.close();
});

/** A POST that may hit a process in the middle of dying: a network error is an answer too. */
async function tryPost(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse | 'no-answer'> {
  try {
    return await post(base, path, body, headers);
  } catch {
    return 'no-answer';
  }
}

async function statusOf(id: string): Promise<Record<string, unknown>> {
  return (await get(order.url, `/orders/${id}`)).body;
}

async function orderIds(): Promise<string[]> {
  const { rows } = await world.orderPool.query('SELECT id FROM orders ORDER BY created_at');
  return rows.map((r: { id: string }) => r.id);
}

async function pay(id: string): Promise<JsonResponse | 'no-answer'> {
  const o = await statusOf(id);
  const entry = paid.get(id) ?? { id, payable: Number(o.payable), currency: String(o.currency), ref: `pay-${uuidv7()}` };
  paid.set(id, entry);
  try {
    return await world.pay(order.url, entry, entry.ref);
  } catch {
    return 'no-answer';
  }
}

it('order killed after persisting the saga, before any Try was sent: the restarted service sends it and decides', async () => {
  order = await world.startOrder({ ORDER_FAULT_AT: 'after-begin' });
  const answer = await tryPost(order.url, '/orders', orderBody('app', SKU, 2, world.locationId), { 'idempotency-key': uuidv7() });
  expect(answer).toBe('no-answer');
  expect((await order.exited).signal).toBe('SIGKILL');
  const [id] = await orderIds();
  expect(id).toBeDefined();
  expect((await world.stock(SKU)).reserved).toBe(0); // nothing was sent before the kill

  order = await world.startOrder({ ORDER_FAULT_AT: 'try-reply:3' });
  await world.waitUntil('the first order to be reserved', async () => (await statusOf(id)).status === 'reserved');
  expect((await world.stock(SKU)).reserved).toBe(2);
});

it('order killed while applying Try replies: after restart every order is decided', async () => {
  // Reply 1 was the first order's; the process dies inside the 3rd, i.e. in the middle of this batch.
  const answers = await Promise.all(
    ['web', 'marketplace', 'social', 'store-pos'].map((channel) => tryPost(order.url, '/orders', orderBody(channel, SKU, 3, world.locationId), { 'idempotency-key': uuidv7() })),
  );
  expect((await order.exited).signal).toBe('SIGKILL');
  expect(answers.some((a) => a === 'no-answer')).toBe(true);
  const ids = await orderIds();
  expect(ids.length).toBeGreaterThanOrEqual(2);

  order = await world.startOrder({ ORDER_FAULT_AT: 'confirm-reply:2' });
  await world.waitUntil('every order to be reserved', async () => {
    for (const id of await orderIds()) if ((await statusOf(id)).status !== 'reserved') return false;
    return true;
  });
  const all = await orderIds();
  expect((await world.stock(SKU)).reserved).toBe(2 + 3 * (all.length - 1));
});

it('order killed during Confirm: after restart every paid saga is confirmed, every cancelled one released', async () => {
  const ids = await orderIds();
  const toPay = ids.slice(0, 3);
  for (const id of ids.slice(3)) {
    expect((await post(order.url, `/orders/${id}/cancel`, {})).status).toBe(200);
    cancelled.add(id);
  }
  const answers = await Promise.all(toPay.map((id) => pay(id)));
  await order.exited; // dies inside the 2nd Confirm reply
  order = await world.startOrder();
  // The provider retries callbacks that got no answer (same paymentRef: idempotent).
  for (const [i, id] of toPay.entries()) {
    const a = answers[i];
    if (a === 'no-answer' || a.status !== 200) expect((await pay(id)) as JsonResponse).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  }
  await world.waitUntil('sagas to finish', async () => {
    const sagas = await world.sagas();
    return (sagas.confirmed ?? 0) === toPay.length && (sagas.cancelled ?? 0) === ids.length - toPay.length;
  });
});

it('inventory killed mid-saga: commands wait in Kafka and every saga still ends', async () => {
  await inventory.kill();
  const asks = ['app', 'web'].map((channel) => ({ body: orderBody(channel, SKU, 1, world.locationId), key: { 'idempotency-key': uuidv7() } }));
  const answers = await Promise.all(asks.map(({ body, key }) => post(order.url, '/orders', body, key)));
  // No participant: no decision within the wait, but the orders exist and are readable.
  expect(answers.map((a) => a.status)).toEqual([202, 202]);
  expect(answers.map((a) => a.body.status)).toEqual(['created', 'created']);
  // Asking again with the same key waits again and is still pending: the same order, not a second one.
  const askedAgain = await post(order.url, '/orders', asks[0].body, asks[0].key);
  expect([askedAgain.status, askedAgain.body.id, askedAgain.body.status]).toEqual([202, answers[0].body.id, 'created']);
  inventory = await world.startInventory();
  const [a, b] = answers.map((x) => String(x.body.id));
  // Once inventory is back, asking again (each ask waits on the service) ends with the decision.
  let decided = await post(order.url, '/orders', asks[1].body, asks[1].key);
  for (const until = Date.now() + 60_000; decided.status === 202 && Date.now() < until; ) decided = await post(order.url, '/orders', asks[1].body, asks[1].key);
  expect([decided.status, decided.body.id, decided.body.status]).toEqual([201, b, 'reserved']);
  await world.waitUntil('both to be reserved', async () => (await statusOf(a)).status === 'reserved' && (await statusOf(b)).status === 'reserved');
  await inventory.kill();
  expect((await pay(a)) as JsonResponse).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  expect((await post(order.url, `/orders/${b}/cancel`, {})).status).toBe(200);
  cancelled.add(b);
  inventory = await world.startInventory();
  await world.waitUntil('every saga to be final', async () => {
    const sagas = await world.sagas();
    return Object.keys(sagas).every((s) => s === 'confirmed' || s === 'cancelled');
  });
});

it('ends with nothing reserved and every paid unit deducted exactly once', async () => {
  const sagas = await world.sagas();
  expect(sagas).toEqual({ confirmed: paid.size, cancelled: cancelled.size });
  let units = 0;
  for (const id of paid.keys()) {
    const o = await statusOf(id);
    expect(o.status).toBe('paid');
    units += (o.lines as { quantity: number }[]).reduce((n, l) => n + l.quantity, 0);
  }
  expect(await world.stock(SKU)).toEqual({ onHand: 100 - units, reserved: 0 });
  expect(await world.deducted(SKU)).toBe(units);
  const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM order_payments WHERE outcome = 'captured'`);
  expect(rows[0].n).toBe(paid.size);
});
