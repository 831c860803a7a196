import { ORDER_RETURN_DISPOSED, type OrderReturnDisposedEvent, STOCK_CHANGED, type StockChangedEvent } from '@omni/contracts';
import { createKafka, ensureMessagingSchema, EventConsumer, OutboxRelay, OutboxWriter, silentLogger, subscribe, TopicNames } from '@omni/messaging';
import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, type TestDatabase, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { type Consumer, type IHeaders, Partitioners, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { AppModule } from '../src/app.module';
import { RETURN_INTAKE_GROUP } from '../src/returns-intake/return-disposed.handler';
import { addLocation, addOwner } from './reservation.harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

// The return intake end to end over real Postgres, Redis and Kafka: a stand-in order service
// publishes order-return-disposed through its own outbox and relay; the real inventory service
// restocks returns to the owners its deductions took the units from, once per return.
jest.setTimeout(240_000);

let inventoryDb: TestDatabase;
let orderDb: TestDatabase;
let svc: TestService;
let inventory: Pool;
let order: Pool;
let relay: OutboxRelay;
let stockChanges: EventConsumer;
let dlqReader: Consumer;
let producer: Producer;
const changed: StockChangedEvent[] = [];
const deadLetters: Array<{ headers: Record<string, string>; value: string }> = [];
const prefix = uniqueTopicPrefix('return-intake');
const topics = new TopicNames(prefix);
const kafka = createKafka({ clientId: uniqueId('orders'), brokers: testInfra.kafkaBrokers, logger: silentLogger });
const SKU = 'SKU-RET';
let storeA = '';
let storeB = '';
let retailer = '';
let idleRetailer = '';
let consignor = '';

beforeAll(async () => {
  [inventoryDb, orderDb] = await Promise.all([createTestDatabase('return_intake_inv'), createTestDatabase('return_intake_ord')]);
  svc = await startServiceForTest(AppModule, {
    DATABASE_URL: inventoryDb.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId('rint')}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    INVENTORY_CHANNELS: 'app',
    LOG_LEVEL: 'warn',
  });
  inventory = inventoryDb.pool(2);
  inventory.on('error', () => undefined);
  storeA = await addLocation(inventory, 'STORE-A', 'open', 'store');
  storeB = await addLocation(inventory, 'STORE-B', 'open', 'store');
  // Registered first and keeping no stock anywhere: the fallback must not pick it by age alone.
  idleRetailer = await addOwner(inventory, 'Idle retailer');
  retailer = await addOwner(inventory, 'Retailer');
  consignor = await addOwner(inventory, 'Tea consignor', 'consignor');
  await call('/internal/stock/receipts', {
    documentId: uuidv7(),
    lines: [
      { sku: SKU, locationId: storeA, ownerId: retailer, quantity: 2 },
      { sku: SKU, locationId: storeA, ownerId: consignor, quantity: 1 },
    ],
  });

  order = orderDb.pool(2);
  order.on('error', () => undefined);
  await ensureMessagingSchema(order);
  relay = new OutboxRelay({ kafka, connection: orderDb.url, logger: silentLogger });
  await relay.start();
  stockChanges = new EventConsumer({
    kafka,
    groupId: uniqueId('stock-changes'),
    topics,
    fromBeginning: true,
    logger: silentLogger,
    subscriptions: [subscribe(STOCK_CHANGED, async (event) => void changed.push(event))],
  });
  await stockChanges.start();
  dlqReader = kafka.consumer({ groupId: uniqueId('dlq-reader') });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: topics.deadLetter(ORDER_RETURN_DISPOSED.topic), fromBeginning: true });
  await dlqReader.run({
    eachMessage: async ({ message }) => {
      deadLetters.push({ headers: stringHeaders(message.headers), value: message.value?.toString() ?? '' });
    },
  });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await dlqReader?.disconnect();
  await stockChanges?.stop();
  await relay?.stop();
  await svc?.close();
  await inventory?.end();
  await order?.end();
  await inventoryDb?.drop();
  await orderDb?.drop();
});

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]));
}

async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('inventory') }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** An order whose `quantity` units of SKU at store A were reserved and deducted (gid = order id, as the saga does). */
async function soldAtStoreA(quantity: number): Promise<string> {
  const orderId = uuidv7();
  const branch = { gid: orderId, branchId: uuidv7() };
  const tried = await call('/internal/reservations/try', {
    ...branch,
    deadline: new Date(Date.now() + 600_000).toISOString(),
    channel: 'app',
    lines: [{ sku: SKU, quantity, locationId: storeA }],
  });
  expect(tried.outcome).toBe('success');
  expect((await call('/internal/reservations/confirm', branch)).outcome).toBe('success');
  return orderId;
}

function disposed(overrides: Partial<OrderReturnDisposedEvent>): OrderReturnDisposedEvent {
  return {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    orderId: uuidv7(),
    returnId: uuidv7(),
    lineNo: 0,
    sku: SKU,
    quantity: 1,
    locationId: storeB,
    channel: 'app',
    disposition: 'restocked',
    ...overrides,
  };
}

/** Publishes through the stand-in order service's outbox; returns the event id. */
function publish(event: OrderReturnDisposedEvent): Promise<string> {
  return new OutboxWriter(topics).add(order, ORDER_RETURN_DISPOSED, event);
}

/** Waits until inventory's return intake committed the event (its inbox row). */
async function applied(eventId: string): Promise<void> {
  await waitFor(
    async () => (await inventory.query(`SELECT 1 FROM messaging_inbox WHERE consumer_group = $1 AND event_id = $2`, [RETURN_INTAKE_GROUP, eventId])).rowCount === 1,
    { timeoutMs: 90_000, intervalMs: 100, what: `event ${eventId} to be applied by the return intake` },
  );
}

/** On hand of SKU at a location per owner. */
async function onHandAt(locationId: string): Promise<Record<string, number>> {
  const { rows } = await inventory.query(`SELECT owner_id, on_hand FROM stock_levels WHERE sku = $1 AND location_id = $2`, [SKU, locationId]);
  return Object.fromEntries(rows.filter((r: { on_hand: number }) => r.on_hand !== 0).map((r: { owner_id: string; on_hand: number }) => [r.owner_id, r.on_hand]));
}

async function restockRows(returnId: string): Promise<Array<{ owner_id: string; location_id: string; on_hand_delta: number }>> {
  const { rows } = await inventory.query(
    `SELECT m.owner_id, m.location_id, m.on_hand_delta FROM stock_movements m JOIN stock_operations op ON op.operation_id::text = m.ref
      WHERE m.type = 'return-restock' AND op.idempotency_key = $1 ORDER BY m.seq`,
    [`doc:${returnId}`],
  );
  return rows;
}

describe('return intake', () => {
  it('credits restocked units at the return location to the owners the deduction took them from, never more than each lost', async () => {
    const orderId = await soldAtStoreA(3);
    expect(await onHandAt(storeA)).toEqual({});
    const first = disposed({ orderId, quantity: 2 });
    await applied(await publish(first));
    const afterFirst = await onHandAt(storeB);
    expect(Object.values(afterFirst).reduce((a, b) => a + b, 0)).toBe(2);
    expect(afterFirst[retailer] ?? 0).toBeLessThanOrEqual(2);
    expect(afterFirst[consignor] ?? 0).toBeLessThanOrEqual(1);
    const second = disposed({ orderId, quantity: 1 });
    await applied(await publish(second));
    // Consigned goods went back to their consignor, the retailer's to the retailer.
    expect(await onHandAt(storeB)).toEqual({ [retailer]: 2, [consignor]: 1 });
    expect((await restockRows(first.returnId)).reduce((s, r) => s + r.on_hand_delta, 0)).toBe(2);
    expect(await restockRows(second.returnId)).toEqual([expect.objectContaining({ location_id: storeB, on_hand_delta: 1 })]);
    await waitFor(() => changed.some((e) => e.sku === SKU && e.locationId === storeB && e.cause === 'return-restock' && e.onHand === 3), {
      timeoutMs: 60_000,
      what: 'stock-changed for the restock at store B',
    });
  });

  it('restocks a return once, whether its event is redelivered or announced again under a new id', async () => {
    await call('/internal/stock/receipts', { documentId: uuidv7(), lines: [{ sku: SKU, locationId: storeA, ownerId: retailer, quantity: 2 }] });
    const orderId = await soldAtStoreA(1);
    const before = await onHandAt(storeB);
    const event = disposed({ orderId });
    const id = await publish(event);
    await applied(id);
    // Redelivery: the very message again (same ce_id), as after a relay or consumer crash.
    const { rows } = await order.query(`SELECT topic, key, headers, payload FROM messaging_outbox WHERE id = $1`, [id]);
    await waitFor(async () => (await order.query(`SELECT 1 FROM messaging_outbox WHERE id = $1 AND sent_at IS NOT NULL`, [id])).rowCount === 1, { timeoutMs: 30_000, what: 'first send' });
    await producer.send({ topic: rows[0].topic, messages: [{ key: rows[0].key, value: JSON.stringify(rows[0].payload), headers: rows[0].headers }] });
    // A second event for the same return (same key, so it is consumed after the redelivery).
    await applied(await publish({ ...event, occurredAt: new Date().toISOString() }));
    const after = await onHandAt(storeB);
    const gained = Object.values(after).reduce((a, b) => a + b, 0) - Object.values(before).reduce((a, b) => a + b, 0);
    expect(gained).toBe(1);
    expect(await restockRows(event.returnId)).toEqual([expect.objectContaining({ location_id: storeB, on_hand_delta: 1 })]);
  });

  it('puts nothing back on sale for outlet and written_off', async () => {
    const orderId = await soldAtStoreA(1);
    const before = { a: await onHandAt(storeA), b: await onHandAt(storeB) };
    const { rows: ledgerBefore } = await inventory.query(`SELECT count(*)::int AS n FROM stock_movements`);
    const outlet = disposed({ orderId, disposition: 'outlet' });
    const writtenOff = disposed({ orderId, disposition: 'written_off' });
    await applied(await publish(outlet));
    await applied(await publish(writtenOff));
    expect({ a: await onHandAt(storeA), b: await onHandAt(storeB) }).toEqual(before);
    const { rows: ledgerAfter } = await inventory.query(`SELECT count(*)::int AS n FROM stock_movements`);
    expect(ledgerAfter[0].n).toBe(ledgerBefore[0].n);
    expect(await restockRows(outlet.returnId)).toEqual([]);
    expect(await restockRows(writtenOff.returnId)).toEqual([]);
  });

  it('credits the retailer keeping stock at the location when no deduction of the order is known', async () => {
    const before = await onHandAt(storeA);
    const event = disposed({ locationId: storeA, quantity: 2 });
    await applied(await publish(event));
    expect(await onHandAt(storeA)).toEqual({ ...before, [retailer]: (before[retailer] ?? 0) + 2 });
    // Not the retailer registered first, which keeps no stock there.
    expect((await restockRows(event.returnId)).map((r) => r.owner_id)).toEqual([retailer]);
    expect(await onHandAt(storeA)).not.toHaveProperty(idleRetailer);
  });

  it('dead-letters a payload that fails the contract and a return at a location inventory does not know, and keeps consuming', async () => {
    const template = await order.query(`SELECT topic, headers FROM messaging_outbox WHERE topic = $1 LIMIT 1`, [topics.physical(ORDER_RETURN_DISPOSED.topic)]);
    const bad = { ...disposed({}), quantity: 0 };
    const badId = uuidv7();
    await producer.send({
      topic: template.rows[0].topic,
      messages: [{ key: bad.orderId, value: JSON.stringify(bad), headers: { ...template.rows[0].headers, ce_id: badId, ce_subject: bad.orderId } }],
    });
    const nowhere = disposed({ locationId: uuidv7() });
    const nowhereId = await publish(nowhere);
    const fine = disposed({ locationId: storeB });
    await applied(await publish(fine));
    await waitFor(() => deadLetters.filter((m) => [badId, nowhereId].includes(m.headers.ce_id)).length === 2, { timeoutMs: 60_000, what: 'two dead letters' });
    const reasonOf = (id: string) => deadLetters.find((m) => m.headers.ce_id === id)?.headers['dlq-reason'];
    expect(reasonOf(badId)).toBe('quantity: quantity must be a positive integer');
    expect(reasonOf(nowhereId)).toMatch(/^UNKNOWN_REFERENCE: .*locationId: unknown location/);
    expect(await restockRows(nowhere.returnId)).toEqual([]);
    expect(await restockRows(fine.returnId)).toHaveLength(1);
  });
});
