import { testInfra, uniqueId, waitFor } from '@omni/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';

// A return's disposition reaching inventory as an event: order and inventory as two real processes
// over real Postgres, Kafka and Redis. A restocked unit is on hand again at the store that received
// it, once, however often the disposition is asked for or its event delivered; a written-off one is not.
jest.setTimeout(600_000);

const world = new SagaWorld('order_return');
const SKU = uniqueId('RET').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const kafka = new Kafka({ clientId: uniqueId('return-redeliver'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
let inventory: ServiceProcess;
let order: ServiceProcess;
let storeB = '';

beforeAll(async () => {
  await world.init();
  // One at a time: two services compiling at once on this machine has made one exit silently at start-up.
  inventory = await world.startInventory();
  order = await world.startOrder({ ORDER_INVENTORY_URL: inventory.url });
  await world.consumersJoined([`${world.topicPrefix}order`, `${world.topicPrefix}inventory`, `${world.topicPrefix}inventory-returns`]);
  await world.seed(inventory, { [SKU]: 10 });
  const store = await post(inventory.url, '/internal/locations', { code: uniqueId('ret').slice(0, 30), name: 'Returns desk store', type: 'store', lat: 31.2, lng: 121.5 });
  storeB = String(store.body.id);
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await world.close();
});

async function orderState(id: string, done: (body: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const res = await get(order.url, `/orders/${id}`);
      return done(res.body) ? res.body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `order ${id} ${what}; order log:\n${order.tail()}` },
  );
}

/** On hand of SKU at a location, over its owners. */
async function onHandAt(locationId: string): Promise<number> {
  const { rows } = await world.inventoryPool.query(`SELECT COALESCE(sum(on_hand), 0)::int AS n FROM stock_levels WHERE sku = $1 AND location_id = $2`, [SKU, locationId]);
  return rows[0].n;
}

/** Ledger rows of the return-restock operation of a return (its id is the operation's document id). */
async function restockRows(returnId: string): Promise<Array<{ location_id: string; owner_id: string; on_hand_delta: number }>> {
  const { rows } = await world.inventoryPool.query(
    `SELECT m.location_id, m.owner_id, m.on_hand_delta FROM stock_movements m JOIN stock_operations op ON op.operation_id::text = m.ref
      WHERE m.type = 'return-restock' AND op.idempotency_key = $1`,
    [`doc:${returnId}`],
  );
  return rows;
}

/** The order service's order-return-disposed outbox rows of a return. */
async function disposedEvents(returnId: string): Promise<Array<{ id: string; topic: string; key: string; headers: Record<string, string>; payload: Record<string, unknown>; sent_at: Date | null }>> {
  const { rows } = await world.orderPool.query(`SELECT id, topic, key, headers, payload, sent_at FROM messaging_outbox WHERE topic = $1 AND payload->>'returnId' = $2`, [
    `${world.topicPrefix}order-return-disposed`,
    returnId,
  ]);
  return rows;
}

/** Waits until inventory's return intake committed the event. */
async function appliedByInventory(eventId: string): Promise<void> {
  await waitFor(
    async () => (await world.inventoryPool.query(`SELECT 1 FROM messaging_inbox WHERE consumer_group = 'inventory-returns' AND event_id = $1`, [eventId])).rowCount === 1,
    { timeoutMs: 90_000, intervalMs: 200, what: `inventory to apply ${eventId}; inventory log:\n${inventory.tail()}` },
  );
}

it('puts a restocked unit back on hand at the store that received it, once; a written-off unit stays off sale', async () => {
  // A pickup order for 2 units at store A, paid, its stock deducted, ready at the counter.
  const created = await post(order.url, '/orders', orderBody('app', SKU, 2, world.locationId, 3000), { 'idempotency-key': uuidv7() });
  expect([201, 202]).toContain(created.status);
  const o = created.body as { id: string; payable: number; currency: string };
  await orderState(o.id, (b) => b.status === 'reserved', 'to be reserved');
  expect((await world.pay(order.url, o)).body.outcome).toBe('captured');
  await orderState(o.id, (b) => b.saga === 'confirmed', 'to have its stock deducted');
  await waitFor(async () => (await world.deducted(SKU)) === 2, { timeoutMs: 60_000, what: 'inventory to deduct the 2 units' });
  expect((await post(order.url, `/orders/${o.id}/picking`, {})).body.status).toBe('picking');
  expect((await post(order.url, `/orders/${o.id}/ready-for-pickup`, {})).body.status).toBe('ready_for_pickup');
  const atA = await onHandAt(world.locationId);
  expect(atA).toBe(8);
  expect(await onHandAt(storeB)).toBe(0);

  // One unit comes back at store B and is restocked.
  const received = await post(order.url, `/orders/${o.id}/returns`, { lineNo: 0, quantity: 1, locationId: storeB }, { 'idempotency-key': uuidv7() });
  expect(received).toMatchObject({ status: 201, body: { status: 'received' } });
  const returnId = String(received.body.id);
  const restocked = await post(order.url, `/orders/${o.id}/returns/${returnId}/disposition`, { disposition: 'restock' });
  expect(restocked).toMatchObject({ status: 200, body: { status: 'restocked' } });
  const [event] = await disposedEvents(returnId);
  expect(event.payload).toMatchObject({ orderId: o.id, returnId, lineNo: 0, sku: SKU, quantity: 1, locationId: storeB, channel: 'app', disposition: 'restocked' });
  await appliedByInventory(event.id);
  expect(await onHandAt(storeB)).toBe(1);
  expect(await onHandAt(world.locationId)).toBe(atA);
  // The retailer's units were deducted, so the retailer gets this one back.
  expect(await restockRows(returnId)).toEqual([{ location_id: storeB, owner_id: world.ownerId, on_hand_delta: 1 }]);
  // stock-changed for store B went out through inventory's outbox and relay.
  await waitFor(
    async () =>
      (
        await world.inventoryPool.query(
          `SELECT 1 FROM messaging_outbox WHERE topic = $1 AND payload->>'sku' = $2 AND payload->>'locationId' = $3
              AND payload->>'cause' = 'return-restock' AND (payload->>'onHand')::int = 1 AND sent_at IS NOT NULL`,
          [`${world.topicPrefix}stock-changed`, SKU, storeB],
        )
      ).rowCount === 1,
    { timeoutMs: 60_000, intervalMs: 200, what: 'stock-changed of the restock to be published' },
  );

  // Asking again is refused, and writes no second event.
  const again = await post(order.url, `/orders/${o.id}/returns/${returnId}/disposition`, { disposition: 'restock' });
  expect(again).toMatchObject({ status: 409, body: { code: 'RETURN_ILLEGAL_TRANSITION' } });
  const other = await post(order.url, `/orders/${o.id}/returns/${returnId}/disposition`, { disposition: 'write-off' });
  expect(other).toMatchObject({ status: 409, body: { code: 'RETURN_ILLEGAL_TRANSITION' } });
  expect(await disposedEvents(returnId)).toHaveLength(1);

  // The event delivered a second time (same id, as Kafka redelivers after a crash).
  await waitFor(async () => (await disposedEvents(returnId))[0].sent_at !== null, { timeoutMs: 30_000, what: 'the disposition event to be relayed' });
  await producer.send({ topic: event.topic, messages: [{ key: event.key, value: JSON.stringify(event.payload), headers: event.headers }] });

  // The other unit comes back at store B and is written off; its event follows the redelivery on
  // the order's partition, so once it is applied the redelivery has been handled too.
  const second = await post(order.url, `/orders/${o.id}/returns`, { lineNo: 0, quantity: 1, locationId: storeB }, { 'idempotency-key': uuidv7() });
  const secondId = String(second.body.id);
  expect((await post(order.url, `/orders/${o.id}/returns/${secondId}/disposition`, { disposition: 'write-off' })).body.status).toBe('written_off');
  const [writeOff] = await disposedEvents(secondId);
  expect(writeOff.payload).toMatchObject({ returnId: secondId, disposition: 'written_off' });
  await appliedByInventory(writeOff.id);

  expect(await onHandAt(storeB)).toBe(1);
  expect(await onHandAt(world.locationId)).toBe(atA);
  expect(await restockRows(returnId)).toHaveLength(1);
  expect(await restockRows(secondId)).toEqual([]);
  const { rows } = await world.inventoryPool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = $1 AND type = 'return-restock'`, [SKU]);
  expect(rows[0].n).toBe(1);
});
