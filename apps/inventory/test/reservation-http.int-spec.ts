import { startServiceForTest, TestService } from '@omni/platform';
import { createTestDatabase, testInfra, TestDatabase, uniqueId, uniqueTopicPrefix } from '@omni/testing';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { AppModule } from '../src/app.module';
import { StockLedger } from '../src/stock/stock-ledger';
import { addLocation, addOwner, RecordingSink } from './reservation.harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

// The internal HTTP API of the reservation participant on the real inventory service.
jest.setTimeout(120_000);

let db: TestDatabase;
let svc: TestService;
let pool: Pool;
let location: string;

beforeAll(async () => {
  db = await createTestDatabase('reservation_http');
  svc = await startServiceForTest(AppModule, {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId('rhttp')}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('reservation-http'),
    INVENTORY_CHANNELS: 'app,web',
    LOG_LEVEL: 'warn',
  });
  pool = db.pool(3);
  pool.on('error', () => undefined);
  location = await addLocation(pool, 'WH-H');
  const owner = await addOwner(pool, 'Retailer');
  const client = await pool.connect();
  await client.query('BEGIN');
  await new StockLedger(new RecordingSink()).applyMovements(client, [
    { sku: 'SKU-H', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 5, reservedDelta: 0 },
  ]);
  await client.query('COMMIT');
  client.release();
});
afterAll(async () => {
  await svc?.close();
  await pool?.end();
  await db?.drop();
});

/** The fields these tests read from JSON answers. */
interface Answer {
  code?: string;
  details?: Array<{ field: string; reason: string }>;
  outcome?: string;
  lines?: unknown[];
  channels?: unknown[];
  locations?: unknown[];
}
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${svc.url}/internal/reservations/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('inventory') }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Answer };
};
const deadline = () => new Date(Date.now() + 600_000).toISOString();

describe('POST /internal/reservations/*', () => {
  it('answers 400 naming each bad field', async () => {
    const res = await post('try', {
      gid: 'not-a-uuid',
      branchId: uuidv7(),
      deadline: 'tomorrow',
      channel: 'app',
      lines: [{ sku: 'SKU-H', quantity: 0, locationId: 'somewhere' }],
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details!.map((d) => d.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['gid', 'deadline', 'lines.0.quantity', 'lines.0.locationId', 'extra']));
  });

  it('reserves, answers a duplicate with the same lines, confirms, and refuses a late cancel', async () => {
    const cmd = { gid: uuidv7(), branchId: uuidv7() };
    const tried = await post('try', { ...cmd, deadline: deadline(), channel: 'app', lines: [{ sku: 'SKU-H', quantity: 2, locationId: 'any' }] });
    expect(tried).toMatchObject({ status: 200, body: { outcome: 'success', reasons: [], lines: [{ line: 0, sku: 'SKU-H', locationId: location, quantity: 2 }] } });
    const again = await post('try', { ...cmd, deadline: deadline(), channel: 'app', lines: [{ sku: 'SKU-H', quantity: 2, locationId: 'any' }] });
    expect(again.body.lines).toEqual(tried.body.lines);

    const atp = (await (await fetch(`${svc.url}/internal/atp/SKU-H`, { headers: serviceAuthHeaders('inventory') })).json()) as Answer;
    expect(atp.channels).toEqual([
      { channel: 'app', available: 3 },
      { channel: 'web', available: 3 },
    ]);
    expect(atp.locations).toEqual([{ locationId: location, available: 3, channels: atp.channels }]);

    expect((await post('confirm', cmd)).body).toMatchObject({ outcome: 'success', op: 'confirm' });
    expect((await post('cancel', cmd)).body).toMatchObject({ outcome: 'failure', reasons: [{ code: 'BRANCH_CONFIRMED' }] });
  });

  it('replies failure with per-line reasons when stock is short', async () => {
    const res = await post('try', { gid: uuidv7(), branchId: uuidv7(), deadline: deadline(), channel: 'web', lines: [{ sku: 'SKU-H', quantity: 9, locationId: 'any' }] });
    expect(res).toMatchObject({ status: 200, body: { outcome: 'failure', reasons: [{ line: 0, code: expect.stringMatching(/INSUFFICIENT_STOCK|SOLD_OUT_GATE/) }] } });
  });

  it('answers 404 for the ATP of an unknown SKU', async () => {
    const res = await fetch(`${svc.url}/internal/atp/NOPE-1`, { headers: serviceAuthHeaders('inventory') });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Answer).code).toBe('UNKNOWN_SKU');
  });
});
