import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';

// The order service applies consecutive TCC replies of a partition in one transaction. Here the
// replies of a dozen sagas pile up in Kafka while order is frozen (SIGSTOP), so its consumer takes
// them in batches; it SIGKILLs itself inside the first batch of two or more, after applying one
// reply and before the batch commits. After a restart every saga is decided exactly once.
jest.setTimeout(300_000);

const world = new SagaWorld('order_reply_batch');
const SKU = uniqueId('BATCH').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const ORDERS = 12;
const QUANTITY = 2;
let inventory: ServiceProcess;
let order: ServiceProcess;

beforeAll(async () => {
  await world.init();
  inventory = await world.startInventory();
  await world.seed(inventory, { [SKU]: 100 });
});

afterAll(async () => {
  for (const p of [order, inventory]) if (p) process.kill(p.pid, 'SIGCONT');
  await world.close();
});

it('killed inside a batch of replies, order decides every saga of the batch exactly once after a restart', async () => {
  order = await world.startOrder({ ORDER_FAULT_AT: 'reply-batch' });
  await world.consumersJoined();

  // Inventory frozen: the orders are written and their Try commands sent, but nobody answers yet.
  process.kill(inventory.pid, 'SIGSTOP');
  const answers = await Promise.all(
    Array.from({ length: ORDERS }, (_, i) => post(order.url, '/orders', orderBody(['app', 'web', 'marketplace'][i % 3], SKU, QUANTITY, world.locationId), { 'idempotency-key': uuidv7() })),
  );
  expect(answers.map((a) => a.status)).toEqual(Array(ORDERS).fill(202));
  await world.waitUntil("order's Try commands to reach Kafka", async () => (await world.unsent(world.orderPool)) === 0);

  // Order frozen, inventory answers every Try: the replies wait in Kafka, several per partition
  // (12 sagas over the topic's partitions), so order's consumer will take some in one batch.
  process.kill(order.pid, 'SIGSTOP');
  process.kill(inventory.pid, 'SIGCONT');
  await world.waitUntil('inventory to hold every order', async () => (await world.stock(SKU)).reserved === ORDERS * QUANTITY);
  await world.waitUntil("inventory's replies to reach Kafka", async () => (await world.unsent(world.inventoryPool)) === 0);
  process.kill(order.pid, 'SIGCONT');

  const exit = await order.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect(order.tail()).toContain('fault injection: SIGKILL at reply-batch:1');

  order = await world.startOrder();
  await world.waitUntil('every saga to be decided', async () => (await world.sagas()).prepared === ORDERS, 120_000);
  const { rows } = await world.orderPool.query(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
  expect(rows).toEqual([{ status: 'reserved', n: ORDERS }]);
  // Each Try held once: no unit reserved twice, none lost.
  expect((await world.stock(SKU)).reserved).toBe(ORDERS * QUANTITY);
  const { rows: branches } = await world.orderPool.query(`SELECT status, count(*)::int AS n FROM tcc_branch GROUP BY status`);
  expect(branches).toEqual([{ status: 'tried', n: ORDERS }]);
});
