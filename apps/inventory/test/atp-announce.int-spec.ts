import { createKafka } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import type { Consumer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { call, ledgerMismatches, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(120_000);

interface StockChanged {
  sku: string;
  locationId: string;
  version: number;
  onHand: number;
  reserved: number;
  atp: Array<{ channel: string; available: number }>;
  cause: string;
}

let app: OperationsApp;
let consumer: Consumer;
const received: StockChanged[] = [];
let wh: string;
let store: string;
let owner: string;

const key = () => ({ 'Idempotency-Key': uuidv7() });
const forSku = (sku: string) => received.filter((e) => e.sku === sku).sort((a, b) => a.version - b.version);
const atpOf = (e: StockChanged) => Object.fromEntries(e.atp.map((a) => [a.channel, a.available]));

/** Waits until the relay has sent every outbox row and the consumer has seen every stock-changed of `sku`. */
async function settled(sku: string): Promise<StockChanged[]> {
  await waitFor(
    async () => {
      const { rows } = await app.pool.query(
        `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS pending,
                count(*) FILTER (WHERE topic LIKE '%stock-changed' AND payload->>'sku' = $1)::int AS sent
           FROM messaging_outbox`,
        [sku],
      );
      return rows[0].pending === 0 && forSku(sku).length >= rows[0].sent;
    },
    { timeoutMs: 30_000, what: `stock-changed of ${sku} relayed and consumed` },
  );
  return forSku(sku);
}

beforeAll(async () => {
  app = await startOperationsApp('atp_announce', { INVENTORY_CHANNELS: 'app,tmall' });
  const kafka = createKafka({ clientId: uniqueId('announce-test'), brokers: testInfra.kafkaBrokers });
  consumer = kafka.consumer({ groupId: uniqueId('announce-test-') });
  await consumer.connect();
  await consumer.subscribe({ topic: `${app.topicPrefix}stock-changed`, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(message.value!.toString()) as StockChanged) });
  wh = (await call(app, 'POST', '/internal/locations', { code: 'WH', name: 'DC', type: 'warehouse', lat: 31, lng: 121, shipsInDays: 2 })).body.id as string;
  store = (await call(app, 'POST', '/internal/locations', { code: 'ST', name: 'Store', type: 'store', lat: 31.1, lng: 121.1 })).body.id as string;
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
});
afterAll(async () => {
  await consumer?.disconnect();
  await app?.close();
});

describe('stock-changed for changes that move ATP without moving stock', () => {
  it('announces a changed allocation rule with every channel’s new ATP and a newer version, and stays quiet when nothing changed', async () => {
    const sku = 'ANN-ALLOC';
    expect((await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku, locationId: wh, ownerId: owner, quantity: 10 }] }, key())).status).toBe(201);
    const [receipt] = await settled(sku);
    expect(receipt).toMatchObject({ cause: 'receipt', onHand: 10 });
    expect(atpOf(receipt)).toEqual({ app: 10, tmall: 10 });

    const put = await call(app, 'PUT', `/internal/allocations/${sku}/tmall`, { mode: 'dedicated', quota: 4 });
    expect(put.status).toBe(200);
    const afterQuota = await settled(sku);
    expect(afterQuota).toHaveLength(2);
    expect(afterQuota[1]).toMatchObject({ cause: 'allocation', locationId: wh, onHand: 10, reserved: 0 });
    expect(afterQuota[1].version).toBeGreaterThan(receipt.version);
    expect(atpOf(afterQuota[1])).toEqual({ app: 6, tmall: 4 });

    // The same rule again moves nothing: no event, no version.
    expect((await call(app, 'PUT', `/internal/allocations/${sku}/tmall`, { mode: 'dedicated', quota: 4 })).status).toBe(200);
    expect((await call(app, 'PUT', `/internal/allocations/${sku}/app`, { mode: 'shared', safetyStock: 2 })).status).toBe(200);
    const afterSafety = await settled(sku);
    expect(afterSafety.map((e) => e.cause)).toEqual(['receipt', 'allocation', 'allocation']);
    expect(atpOf(afterSafety[2])).toEqual({ app: 4, tmall: 4 });
    expect(await ledgerMismatches(app.pool)).toEqual([]);
  });

  it('announces every SKU held at a location that closes or opens, one newer version per location holding it', async () => {
    const [a, b] = ['ANN-LOC-A', 'ANN-LOC-B'];
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: a, locationId: store, ownerId: owner, quantity: 3 }, { sku: a, locationId: wh, ownerId: owner, quantity: 5 }] }, key());
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: b, locationId: store, ownerId: owner, quantity: 2 }] }, key());
    const before = { a: (await settled(a)).length, b: (await settled(b)).length };

    expect((await call(app, 'PATCH', `/internal/locations/${store}`, { status: 'closed' })).status).toBe(200);
    const closedA = (await settled(a)).slice(before.a);
    const closedB = (await settled(b)).slice(before.b);
    // SKU A is held at both locations: both are announced (each with its own version), with ATP that no longer counts the store.
    expect(closedA.map((e) => [e.cause, e.locationId]).sort()).toEqual([['location-status', store], ['location-status', wh]].sort());
    expect(new Set(closedA.map((e) => e.version)).size).toBe(2);
    for (const e of closedA) expect(atpOf(e)).toEqual({ app: 5, tmall: 5 });
    expect(closedB).toHaveLength(1);
    expect(atpOf(closedB[0])).toEqual({ app: 0, tmall: 0 });

    // A rename is no status change: nothing announced.
    expect((await call(app, 'PATCH', `/internal/locations/${store}`, { name: 'Store (renovated)' })).status).toBe(200);
    expect((await call(app, 'PATCH', `/internal/locations/${store}`, { status: 'open' })).status).toBe(200);
    const reopenedB = (await settled(b)).slice(before.b + 1);
    expect(reopenedB.map((e) => e.cause)).toEqual(['location-status']);
    expect(atpOf(reopenedB[0])).toEqual({ app: 2, tmall: 2 });
    const all = await settled(a);
    expect(all.map((e) => e.version)).toEqual([...all.map((e) => e.version)].sort((x, y) => x - y));
    expect(new Set(all.map((e) => e.version)).size).toBe(all.length);
  });
});
