import { testInfra } from '@omni/testing';
import Redis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { call, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(60_000);

let app: OperationsApp;

beforeAll(async () => {
  // No periodic reconcile: the tests watch the cache entries themselves.
  app = await startOperationsApp('locations', { ATP_RECONCILE_INTERVAL_MS: '0' });
});
afterAll(() => app?.close());

type ErrorBody = { code: string; details?: Array<{ field: string; reason: string }> };
const fields = (body: ErrorBody) => (body.details ?? []).map((d) => d.field);

const valid = { code: 'SH-01', name: 'People Square', type: 'store', lat: 31.2304, lng: 121.4737, shipsInDays: 0 };

describe('locations API', () => {
  it('creates, reads, lists, filters and updates a location', async () => {
    const created = await call(app, 'POST', '/internal/locations', valid);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...valid, status: 'open' });
    const id = created.body.id as string;
    expect((await call(app, 'GET', `/internal/locations/${id}`)).body).toEqual(created.body);
    await call(app, 'POST', '/internal/locations', { ...valid, code: 'WH-01', type: 'warehouse', shipsInDays: 2 });
    const stores = await call<unknown[]>(app, 'GET', '/internal/locations?type=store');
    expect(stores.body).toHaveLength(1);
    const closed = await call(app, 'PATCH', `/internal/locations/${id}`, { status: 'closed', name: 'People Sq.' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, status: 'closed', name: 'People Sq.', lat: valid.lat });
    expect((await call<unknown[]>(app, 'GET', '/internal/locations?status=closed')).body).toHaveLength(1);
  });

  it('refuses a duplicate code with 409 naming the field', async () => {
    await call(app, 'POST', '/internal/locations', { ...valid, code: 'DUP-1' });
    const res = await call<ErrorBody>(app, 'POST', '/internal/locations', { ...valid, code: 'DUP-1' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LOCATION_CODE_TAKEN');
    expect(fields(res.body)).toEqual(['code']);
  });

  it.each([
    ['latitude above 90', { ...valid, code: 'B1', lat: 90.0001 }, 'lat'],
    ['latitude below -90', { ...valid, code: 'B2', lat: -91 }, 'lat'],
    ['longitude above 180', { ...valid, code: 'B3', lng: 180.5 }, 'lng'],
    ['longitude below -180', { ...valid, code: 'B4', lng: -181 }, 'lng'],
    ['latitude as a string', { ...valid, code: 'B5', lat: '31.2' }, 'lat'],
    ['unknown type', { ...valid, code: 'B6', type: 'kiosk' }, 'type'],
    ['unknown status', { ...valid, code: 'B7', status: 'paused' }, 'status'],
    ['negative ships-in days', { ...valid, code: 'B8', shipsInDays: -1 }, 'shipsInDays'],
    ['fractional ships-in days', { ...valid, code: 'B9', shipsInDays: 1.5 }, 'shipsInDays'],
    ['missing name', { code: 'B10', type: 'store', lat: 0, lng: 0 }, 'name'],
    ['empty name', { ...valid, code: 'B11', name: '' }, 'name'],
    ['bad code', { ...valid, code: 'has space' }, 'code'],
    ['null status', { ...valid, code: 'B12', status: null }, 'status'],
    ['unknown field', { ...valid, code: 'B13', colour: 'red' }, 'colour'],
  ])('answers %s with 400 naming the field', async (_what, body, field) => {
    const res = await call<ErrorBody>(app, 'POST', '/internal/locations', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fields(res.body)).toContain(field);
  });

  it('answers a body that is not an object, or malformed JSON, with 400', async () => {
    expect((await call(app, 'POST', '/internal/locations', '[1,2]')).status).toBe(400);
    expect((await call(app, 'POST', '/internal/locations', '{"code":')).status).toBe(400);
    expect((await call(app, 'POST', '/internal/locations', 'null')).status).toBe(400);
  });

  it('answers bad and unknown ids with 400 and 404, and refuses a patch that blanks a field', async () => {
    const bad = await call<ErrorBody>(app, 'GET', '/internal/locations/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['id']);
    const missing = await call<ErrorBody>(app, 'GET', `/internal/locations/${uuidv7()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('LOCATION_NOT_FOUND');
    expect((await call(app, 'PATCH', `/internal/locations/${uuidv7()}`, { name: 'x' })).status).toBe(404);
    const created = await call(app, 'POST', '/internal/locations', { ...valid, code: 'P-1' });
    const blank = await call<ErrorBody>(app, 'PATCH', `/internal/locations/${created.body.id}`, { name: null, lat: 100 });
    expect(blank.status).toBe(400);
    expect(fields(blank.body).sort()).toEqual(['lat', 'name']);
  });
});

describe('opening and closing a location', () => {
  it('drops the cached ATP of the SKUs stocked there, so the Redis gate never refuses on a stale figure', async () => {
    const redis = new Redis(testInfra.redisUrl, { keyPrefix: app.redisPrefix });
    try {
      const loc = await call(app, 'POST', '/internal/locations', { ...valid, code: 'CL-1' });
      const owner = await call(app, 'POST', '/internal/owners', { name: 'R', type: 'retailer' });
      const receipt = await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'CL-SKU', locationId: loc.body.id, ownerId: owner.body.id, quantity: 3 }] }, { 'Idempotency-Key': uuidv7() });
      expect(receipt.status).toBe(201);
      expect(await redis.exists('atp:{CL-SKU}')).toBe(1);
      await call(app, 'PATCH', `/internal/locations/${loc.body.id}`, { name: 'renamed' });
      expect(await redis.exists('atp:{CL-SKU}')).toBe(1);
      await call(app, 'PATCH', `/internal/locations/${loc.body.id}`, { status: 'closed' });
      expect(await redis.exists('atp:{CL-SKU}')).toBe(0);
    } finally {
      await redis.quit();
    }
  });
});

describe('owners API', () => {
  it('creates, lists and reads owners; refuses a bad type and unknown fields', async () => {
    const created = await call(app, 'POST', '/internal/owners', { name: 'Acme Consignor', type: 'consignor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme Consignor', type: 'consignor' });
    expect((await call(app, 'GET', `/internal/owners/${created.body.id}`)).body).toEqual(created.body);
    expect((await call<unknown[]>(app, 'GET', '/internal/owners')).body).toContainEqual(created.body);
    const bad = await call<ErrorBody>(app, 'POST', '/internal/owners', { name: 'X', type: 'supplier', vat: 1 });
    expect(bad.status).toBe(400);
    expect(fields(bad.body).sort()).toEqual(['type', 'vat']);
    expect((await call(app, 'GET', `/internal/owners/${uuidv7()}`)).status).toBe(404);
    const renamed = await call(app, 'PATCH', `/internal/owners/${created.body.id}`, { name: 'Acme Consignment Ltd' });
    expect(renamed.body).toEqual({ ...created.body, name: 'Acme Consignment Ltd' });
    const retype = await call<ErrorBody>(app, 'PATCH', `/internal/owners/${created.body.id}`, { name: 'X', type: 'retailer' });
    expect(retype.status).toBe(400);
    expect(fields(retype.body)).toEqual(['type']);
    expect((await call(app, 'PATCH', `/internal/owners/${uuidv7()}`, { name: 'Y' })).status).toBe(404);
  });
});

describe('junk bodies on every admin write', () => {
  it('answers 400 (a prototype key is ignored, never applied), never 5xx', async () => {
    const loc = await call(app, 'POST', '/internal/locations', { ...valid, code: 'JUNK-1' });
    const targets: Array<[string, string]> = [
      ['POST', '/internal/locations'],
      ['PATCH', `/internal/locations/${loc.body.id}`],
      ['POST', '/internal/owners'],
      ['PATCH', `/internal/owners/${(await call(app, 'POST', '/internal/owners', { name: 'J', type: 'retailer' })).body.id}`],
      ['PUT', `/internal/thresholds/JUNK-SKU/${loc.body.id}`],
      ['PUT', '/internal/allocations/JUNK-SKU/app'],
    ];
    const junk = ['[]', '"text"', '123', 'null', '{"lat": {"$gt": 1}}', '{"threshold": [1]}', '{"mode": ["shared"]}', '{"name": 1e309}'];
    for (const [method, path] of targets) {
      for (const body of junk) {
        const res = await call(app, method, path, body);
        expect({ method, path, body, status: res.status }).toEqual({ method, path, body, status: 400 });
      }
      const proto = await call(app, method, path, '{"__proto__": {"admin": true}}');
      expect(proto.status).toBeLessThan(500);
      // The service runs in this process: nothing reached Object.prototype.
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    }
    expect((await call(app, 'GET', `/internal/locations/${loc.body.id}`)).body).toEqual(loc.body);
  });
});
