import { createKafka } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import type { Consumer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { call, ledgerMismatches, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(120_000);

interface StockLow {
  id: string;
  sku: string;
  locationId: string;
  available: number;
  threshold: number;
}

let app: OperationsApp;
let consumer: Consumer;
const received: StockLow[] = [];
let wh: string;
let store: string;
let owner: string;

const key = () => ({ 'Idempotency-Key': uuidv7() });

beforeAll(async () => {
  app = await startOperationsApp('alerts');
  const kafka = createKafka({ clientId: uniqueId('alerts-test'), brokers: testInfra.kafkaBrokers });
  consumer = kafka.consumer({ groupId: uniqueId('alerts-test-') });
  await consumer.connect();
  await consumer.subscribe({ topic: `${app.topicPrefix}stock-low`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.ce_id?.toString() ?? '';
      received.push({ id, ...(JSON.parse(message.value!.toString()) as Omit<StockLow, 'id'>) });
    },
  });
  wh = (await call(app, 'POST', '/internal/locations', { code: 'WH', name: 'DC', type: 'warehouse', lat: 31, lng: 121, shipsInDays: 2 })).body.id as string;
  store = (await call(app, 'POST', '/internal/locations', { code: 'ST', name: 'Store', type: 'store', lat: 31.1, lng: 121.1 })).body.id as string;
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
});
afterAll(async () => {
  await consumer?.disconnect();
  await app?.close();
});

/** Waits until the relay has sent every outbox row and the consumer has seen every stock-low sent. */
async function drained(): Promise<StockLow[]> {
  await waitFor(
    async () => {
      const { rows } = await app.pool.query(
        `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS pending, count(*) FILTER (WHERE topic LIKE '%stock-low')::int AS lows FROM messaging_outbox`,
      );
      return rows[0].pending === 0 && new Set(received.map((r) => r.id)).size >= rows[0].lows;
    },
    { timeoutMs: 30_000, what: 'outbox drained and stock-low consumed' },
  );
  return received;
}

const forSku = (sku: string) => received.filter((r) => r.sku === sku);

async function adjust(sku: string, locationId: string, delta: number): Promise<number> {
  const res = await call(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku, locationId, ownerId: owner, delta, reasonCode: 'correction' }] }, key());
  return res.status;
}

describe('low-stock alerts', () => {
  it('publishes stock-low once per downward crossing and re-arms when stock is back at the threshold', async () => {
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'AL-1', locationId: store, ownerId: owner, quantity: 10 }] }, key());
    const put = await call(app, 'PUT', `/internal/thresholds/AL-1/${store}`, { threshold: 5 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ sku: 'AL-1', locationId: store, threshold: 5, available: 10, below: false });
    expect(await adjust('AL-1', store, -3)).toBe(201); // 7
    expect(await adjust('AL-1', store, -3)).toBe(201); // 4: crossing
    expect(await adjust('AL-1', store, -1)).toBe(201); // 3: still below
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'AL-1', locationId: store, ownerId: owner, quantity: 2 }] }, key()); // 5: re-armed
    expect((await call(app, 'GET', `/internal/thresholds/AL-1/${store}`)).body).toMatchObject({ available: 5, below: false });
    await call(app, 'POST', '/internal/stock/transfers', { fromLocationId: store, toLocationId: wh, lines: [{ sku: 'AL-1', ownerId: owner, quantity: 2 }] }, key()); // 3: crossing
    // Stock at another location of the same SKU has no threshold: no alert.
    await call(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku: 'AL-1', locationId: wh, ownerId: owner, delta: -1, reasonCode: 'lost' }] }, key());
    await drained();
    expect(forSku('AL-1').map(({ available, threshold, locationId }) => ({ available, threshold, locationId }))).toEqual([
      { available: 4, threshold: 5, locationId: store },
      { available: 3, threshold: 5, locationId: store },
    ]);
  });

  it('alerts once when a threshold is set above current stock, not again when it is raised', async () => {
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'AL-2', locationId: wh, ownerId: owner, quantity: 2 }] }, key());
    expect((await call(app, 'PUT', `/internal/thresholds/AL-2/${wh}`, { threshold: 5 })).body).toMatchObject({ below: true, available: 2 });
    expect((await call(app, 'PUT', `/internal/thresholds/AL-2/${wh}`, { threshold: 6 })).body).toMatchObject({ below: true, threshold: 6 });
    await drained();
    expect(forSku('AL-2')).toHaveLength(1);
  });

  it('publishes exactly once when many concurrent changes cross the threshold together', async () => {
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'AL-3', locationId: wh, ownerId: owner, quantity: 20 }] }, key());
    await call(app, 'PUT', `/internal/thresholds/AL-3/${wh}`, { threshold: 10 });
    const statuses = await Promise.all(Array.from({ length: 16 }, () => adjust('AL-3', wh, -1)));
    expect(statuses.every((s) => s === 201)).toBe(true);
    await drained();
    expect(forSku('AL-3')).toHaveLength(1);
    expect(forSku('AL-3')[0]).toMatchObject({ available: 9, threshold: 10 });
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(await ledgerMismatches(app.pool)).toEqual([]);
  });

  it('validates threshold input and answers unknown thresholds and locations', async () => {
    const bad = await call<{ details: Array<{ field: string }> }>(app, 'PUT', `/internal/thresholds/AL-4/${wh}`, { threshold: -1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.field).sort()).toEqual(['extra', 'threshold']);
    expect((await call(app, 'PUT', `/internal/thresholds/AL-4/not-a-uuid`, { threshold: 1 })).status).toBe(400);
    expect((await call(app, 'PUT', `/internal/thresholds/bad%20sku/${wh}`, { threshold: 1 })).status).toBe(400);
    expect((await call(app, 'PUT', `/internal/thresholds/AL-4/${uuidv7()}`, { threshold: 1 })).status).toBe(404);
    expect((await call(app, 'GET', `/internal/thresholds/AL-4/${wh}`)).status).toBe(404);
    await call(app, 'PUT', `/internal/thresholds/AL-4/${wh}`, { threshold: 1 });
    expect((await call(app, 'DELETE', `/internal/thresholds/AL-4/${wh}`)).status).toBe(204);
    expect((await call(app, 'GET', `/internal/thresholds/AL-4/${wh}`)).status).toBe(404);
  });
});
