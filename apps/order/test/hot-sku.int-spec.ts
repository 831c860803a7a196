import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, placeOrder, SagaWorld, ServiceProcess } from './saga.harness';

// 300 buyers from 5 channels race for 100 units of one SKU through the whole stack (order HTTP →
// saga → Kafka → inventory → reply): exactly 100 orders reserve, none oversell, and after payment
// exactly 100 units are deducted.
jest.setTimeout(600_000);

const world = new SagaWorld('order_hot');
const SKU = uniqueId('HOT').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const CHANNELS = ['app', 'web', 'marketplace', 'social', 'store-pos'];
let inventory: ServiceProcess;
let order: ServiceProcess;

beforeAll(async () => {
  await world.init();
  // One at a time: two services compiling at once on this machine has made one exit silently at start-up.
  inventory = await world.startInventory();
  order = await world.startOrder();
  await world.consumersJoined();
  await world.seed(inventory, { [SKU]: 100 });
});

afterAll(async () => {
  await world.close();
});

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

it('reserves exactly 100 of 300 concurrent orders and deducts exactly 100 units after payment', async () => {
  const answers = await Promise.all(
    Array.from({ length: 300 }, (_, i) => placeOrder(order.url, orderBody(CHANNELS[i % 5], SKU, 1, world.locationId), uuidv7())),
  );
  const refused = answers.filter((a) => a.status !== 201 && a.status !== 202);
  if (refused.length > 0) throw new Error(`${refused.length} of 300 answers were not 201/202, e.g. ${JSON.stringify(refused[0])}; order errors:\n${order.errorLines()}`);
  const ids = answers.map((a) => String(a.body.id));
  expect(new Set(ids).size).toBe(300);

  // Orders answered 202 decide shortly after; wait until none is still 'created'.
  const until = Date.now() + 180_000;
  for (;;) {
    const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'created'`);
    if (rows[0].n === 0) break;
    if (Date.now() > until) throw new Error(`${rows[0].n} orders undecided\n${order.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(await world.orders()).toEqual({ reserved: 100, rejected: 200 });
  expect(await world.stock(SKU)).toEqual({ onHand: 100, reserved: 100 });
  const { rows: perChannel } = await world.orderPool.query(`SELECT count(DISTINCT channel)::int AS n FROM orders WHERE status = 'reserved'`);
  expect(perChannel[0].n).toBeGreaterThan(1);

  const reserved = (await inBatches(ids, 50, (id) => get(order.url, `/orders/${id}`))).map((r) => r.body).filter((o) => o.status === 'reserved');
  const payments = await inBatches(reserved, 25, (o) => world.pay(order.url, o as { id: string; payable: number; currency: string }));
  expect(payments.every((p) => p.status === 200 && p.body.outcome === 'captured')).toBe(true);

  const done = Date.now() + 180_000;
  for (;;) {
    const sagas = await world.sagas();
    if (sagas.confirmed === 100 && sagas.cancelled === 200) break;
    if (Date.now() > done) throw new Error(`sagas ${JSON.stringify(sagas)}\n${order.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(await world.stock(SKU)).toEqual({ onHand: 0, reserved: 0 });
  expect(await world.deducted(SKU)).toBe(100);
});
