import { testInfra } from '@omni/testing';
import Redis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { call, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(60_000);

let app: OperationsApp;
let wh: string;
let owner: string;
let redis: Redis;

type ErrorBody = { code: string; details?: Array<{ field: string; reason: string }> };
const fields = (body: ErrorBody) => (body.details ?? []).map((d) => d.field);
const put = (sku: string, channel: string, body: unknown) => call<Record<string, unknown> & ErrorBody>(app, 'PUT', `/internal/allocations/${sku}/${channel}`, body);

beforeAll(async () => {
  // No periodic reconcile: the tests watch the cache entries themselves.
  app = await startOperationsApp('allocations', { ATP_RECONCILE_INTERVAL_MS: '0' });
  redis = new Redis(testInfra.redisUrl, { keyPrefix: app.redisPrefix });
  wh = (await call(app, 'POST', '/internal/locations', { code: 'W', name: 'DC', type: 'warehouse', lat: 31, lng: 121 })).body.id as string;
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
  await call(app, 'POST', '/internal/stock/receipts', { lines: [
    { sku: 'AA-1', locationId: wh, ownerId: owner, quantity: 50 },
    { sku: 'AA-2', locationId: wh, ownerId: owner, quantity: 50 },
  ] }, { 'Idempotency-Key': uuidv7() });
});
afterAll(async () => {
  await redis?.quit();
  await app?.close();
});

describe('channel allocation admin', () => {
  it('sets dedicated quotas only out of unallocated units, and shared safety stock', async () => {
    expect((await put('AA-1', 'tmall', { mode: 'dedicated', quota: 10 })).body).toEqual({
      sku: 'AA-1', channel: 'tmall', mode: 'dedicated', safetyStock: 0, quota: 10, available: 10,
    });
    const tooMuch = await put('AA-1', 'jd', { mode: 'dedicated', quota: 41 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('QUOTA_EXCEEDS_UNALLOCATED');
    expect(tooMuch.body.details).toEqual([{ field: 'quota', reason: 'must be at most 40' }]);
    expect((await put('AA-1', 'jd', { mode: 'dedicated', quota: 40 })).status).toBe(200);
    // tmall's own quota is given back before checking: 10 fits, 11 does not.
    expect((await put('AA-1', 'tmall', { mode: 'dedicated', quota: 10 })).status).toBe(200);
    expect((await put('AA-1', 'tmall', { mode: 'dedicated', quota: 11 })).status).toBe(409);
    expect((await put('AA-1', 'app', { mode: 'shared', safetyStock: 5 })).body).toMatchObject({ mode: 'shared', safetyStock: 5, available: 0 });
    expect((await put('AA-1', 'jd', { mode: 'shared', safetyStock: 0 })).body).toMatchObject({ mode: 'shared', quota: 0, available: 40 });
    const list = await call<Array<{ channel: string; available: number }>>(app, 'GET', '/internal/allocations/AA-1');
    expect(list.body.map((a) => [a.channel, a.available])).toEqual([
      ['app', 35],
      ['jd', 40],
      ['tmall', 10],
    ]);
  });

  it('keeps the Redis gate fresh: a receipt writes the new ATP, a rule change drops the stale entry', async () => {
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'AA-3', locationId: wh, ownerId: owner, quantity: 8 }] }, { 'Idempotency-Key': uuidv7() });
    const { rows } = await app.pool.query(`SELECT version::int AS v FROM sku_stock WHERE sku = 'AA-3'`);
    expect(await redis.hgetall('atp:{AA-3}')).toMatchObject({ v: String(rows[0].v) });
    expect((await put('AA-3', 'tmall', { mode: 'dedicated', quota: 5 })).status).toBe(200);
    expect(await redis.exists('atp:{AA-3}')).toBe(0);
  });

  it('serialises concurrent quota changes under the SKU lock: two 30-unit quotas out of 50 cannot both pass', async () => {
    const results = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((c) => put('AA-2', c, { mode: 'dedicated', quota: 30 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const { rows } = await app.pool.query(`SELECT SUM(quota_remaining)::int AS q FROM channel_allocations WHERE sku = 'AA-2'`);
    expect(rows[0].q).toBe(30);
  });

  it.each([
    [{}, 'mode'],
    [{ mode: 'exclusive', quota: 1 }, 'mode'],
    [{ mode: 'dedicated' }, 'quota'],
    [{ mode: 'dedicated', quota: -1 }, 'quota'],
    [{ mode: 'dedicated', quota: 2.5 }, 'quota'],
    [{ mode: 'dedicated', quota: 1, safetyStock: 1 }, 'safetyStock'],
    [{ mode: 'shared', safetyStock: 1, quota: 1 }, 'quota'],
    [{ mode: 'shared', safetyStock: '3' }, 'safetyStock'],
    [{ mode: 'shared', safetyStock: 1, priority: 1 }, 'priority'],
  ])('answers %j with 400 naming %s', async (body, field) => {
    const res = await put('AA-1', 'app', body);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
  });

  it('answers bad SKU and channel codes with 400', async () => {
    expect((await put('AA-1', 'APP', { mode: 'shared', safetyStock: 0 })).status).toBe(400);
    expect((await put('bad%20sku', 'app', { mode: 'shared', safetyStock: 0 })).status).toBe(400);
  });
});
