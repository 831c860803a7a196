import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';

// Inventory applies a partition's consecutive Try and Confirm commands in one transaction. Here the
// Confirms of a dozen paid orders and the Trys of a dozen new ones pile up in Kafka while inventory
// is frozen (SIGSTOP), so its consumer takes them in mixed runs; it SIGKILLs itself inside the
// first run holding a Confirm and another command, after applying all of them and before the
// commit. After a restart every saga is decided exactly once: each paid unit deducted once, each
// new order's units held once.
jest.setTimeout(300_000);

const world = new SagaWorld('inventory_run_crash');
const SKU = uniqueId('RUN').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const ORDERS = 12;
const QUANTITY = 2;
let inventory: ServiceProcess;
let order: ServiceProcess;

beforeAll(async () => {
  await world.init();
  inventory = await world.startInventory({ INVENTORY_FAULT_AT: 'command-run' });
  await world.seed(inventory, { [SKU]: 100 });
});

afterAll(async () => {
  for (const p of [order, inventory]) if (p) process.kill(p.pid, 'SIGCONT');
  await world.close();
});

function place(i: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return post(order.url, '/orders', orderBody(['app', 'web', 'marketplace'][i % 3], SKU, QUANTITY, world.locationId), { 'idempotency-key': uuidv7() });
}

async function count(sql: string, values: unknown[]): Promise<number> {
  const { rows } = await world.inventoryPool.query(sql, values);
  return rows[0].n;
}

it('killed inside a run of Confirms and Trys, inventory applies every command of the run exactly once after a restart', async () => {
  order = await world.startOrder();
  await world.consumersJoined();

  // A dozen orders reserved (runs of Trys alone do not trip the fault).
  const first = await Promise.all(Array.from({ length: ORDERS }, (_, i) => place(i)));
  const paidIds = first.map((a) => String(a.body.id));
  await world.waitUntil('the first orders to be reserved', async () => (await world.orders()).reserved === ORDERS);

  // Inventory frozen: the dozen are paid (their Confirms queued) and a dozen more ordered (their Trys queued).
  process.kill(inventory.pid, 'SIGSTOP');
  for (const id of paidIds) {
    const view = (await get(order.url, `/orders/${id}`)).body;
    const paid = await world.pay(order.url, { id, payable: Number(view.payable), currency: String(view.currency) });
    expect(paid).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  }
  const second = await Promise.all(Array.from({ length: ORDERS }, (_, i) => place(i)));
  expect(second.map((a) => a.status)).toEqual(Array(ORDERS).fill(202));
  const newIds = second.map((a) => String(a.body.id));
  await world.waitUntil("order's Confirm and Try commands to reach Kafka", async () => (await world.unsent(world.orderPool)) === 0);

  process.kill(inventory.pid, 'SIGCONT');
  const exit = await inventory.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect(inventory.tail()).toContain('fault injection: SIGKILL at command-run:1');

  inventory = await world.startInventory();
  await world.waitUntil('every saga to be decided', async () => {
    const sagas = await world.sagas();
    return sagas.confirmed === ORDERS && sagas.prepared === ORDERS;
  }, 120_000);
  expect(await world.orders()).toEqual({ paid: ORDERS, reserved: ORDERS });
  // Each paid unit left the stock once; each new order's units are held once.
  expect(await world.stock(SKU)).toEqual({ onHand: 100 - ORDERS * QUANTITY, reserved: ORDERS * QUANTITY });
  expect(await world.deducted(SKU)).toBe(ORDERS * QUANTITY);
  const refs = (ids: string[]) => ids.map((id) => `${id}/%`);
  expect(await count(`SELECT count(*)::int AS n FROM stock_movements WHERE type = 'deduction' AND ref LIKE ANY($1)`, [refs(paidIds)])).toBe(ORDERS);
  expect(await count(`SELECT count(*)::int AS n FROM stock_movements WHERE type = 'reservation' AND ref LIKE ANY($1)`, [refs([...paidIds, ...newIds])])).toBe(2 * ORDERS);
  expect(await count(`SELECT count(DISTINCT payload->>'orderId')::int AS n FROM messaging_outbox WHERE topic LIKE '%stock-deducted'`, [])).toBe(ORDERS);
  expect(await count(`SELECT count(*)::int AS n FROM messaging_outbox WHERE topic LIKE '%stock-deducted'`, [])).toBe(ORDERS);
  expect(await count(`SELECT count(*)::int AS n FROM tcc_barrier WHERE op = 'confirm' AND gid = ANY($1)`, [paidIds])).toBe(ORDERS);
});
