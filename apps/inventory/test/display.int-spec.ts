import { v7 as uuidv7 } from 'uuid';
import { call, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(60_000);

let app: OperationsApp;
let storeA: string;
let storeB: string;
let wh: string;
let owner: string;

type Availability = { sku: string; channel: string; version: number; atp: number; locations: Array<{ locationId: string; atp: number }>; hint: Record<string, unknown> };
const key = () => ({ 'Idempotency-Key': uuidv7() });
const get = (query: string, sku = 'D-1') => call<Availability>(app, 'GET', `/internal/availability/${sku}?${query}`);

beforeAll(async () => {
  app = await startOperationsApp('display');
  const loc = async (body: Record<string, unknown>) => (await call(app, 'POST', '/internal/locations', body)).body.id as string;
  storeA = await loc({ code: 'A', name: 'People Square', type: 'store', lat: 31.2304, lng: 121.4737, shipsInDays: 1 });
  storeB = await loc({ code: 'B', name: 'Nanjing Road', type: 'store', lat: 31.2394, lng: 121.4737, shipsInDays: 1 });
  wh = await loc({ code: 'W', name: 'DC East', type: 'warehouse', lat: 31.0, lng: 121.0, shipsInDays: 2 });
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
  await call(app, 'POST', '/internal/stock/receipts', { lines: [
    { sku: 'D-1', locationId: storeB, ownerId: owner, quantity: 2 },
    { sku: 'D-1', locationId: wh, ownerId: owner, quantity: 10 },
  ] }, key());
});
afterAll(() => app?.close());

describe('availability with display hints', () => {
  it('online: in stock above the threshold, only N left at or under it', async () => {
    const res = await get('channel=app&profile=online&threshold=5');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku: 'D-1', channel: 'app', atp: 12, hint: { code: 'IN_STOCK' } });
    expect(res.body.version).toBeGreaterThan(0);
    expect(res.body.locations).toEqual(expect.arrayContaining([{ locationId: storeB, atp: 2 }, { locationId: wh, atp: 10 }]));
    expect((await get('channel=app&threshold=12')).body.hint).toEqual({ code: 'ONLY_N_LEFT', quantity: 12, text: 'Only 12 left' });
  });

  it('store: in stock here, else the nearest store with stock, else warehouse shipping', async () => {
    expect((await get(`channel=pos&profile=store&location=${storeB}`)).body.hint).toMatchObject({ code: 'IN_STOCK_HERE', quantity: 2 });
    expect((await get(`channel=pos&profile=store&location=${storeA}`)).body.hint).toMatchObject({
      code: 'AVAILABLE_AT_STORE', locationId: storeB, text: 'Available at Nanjing Road',
    });
    await call(app, 'PATCH', `/internal/locations/${storeB}`, { status: 'closed' });
    expect((await get(`channel=pos&profile=store&location=${storeA}`)).body.hint).toEqual({ code: 'SHIPS_IN_DAYS', days: 2, text: 'Ships in 2 days' });
    await call(app, 'PATCH', `/internal/locations/${storeB}`, { status: 'open' });
  });

  it('remote: ships in the fastest days of a location with stock', async () => {
    expect((await get('channel=app&profile=remote')).body.hint).toMatchObject({ code: 'SHIPS_IN_DAYS', days: 1 });
  });

  it('follows channel allocation: a dedicated quota shows only N left on its channel', async () => {
    expect((await call(app, 'PUT', '/internal/allocations/D-1/tmall', { mode: 'dedicated', quota: 3 })).status).toBe(200);
    expect((await get('channel=tmall&threshold=5')).body).toMatchObject({ atp: 3, hint: { code: 'ONLY_N_LEFT', quantity: 3 } });
    expect((await get('channel=app&threshold=5')).body.atp).toBe(9);
    await call(app, 'PUT', '/internal/allocations/D-1/tmall', { mode: 'shared', safetyStock: 0 });
  });

  it('answers a SKU never stocked as sold out with version 0', async () => {
    expect((await get('channel=app', 'NEVER-1')).body).toEqual({
      sku: 'NEVER-1', channel: 'app', version: 0, atp: 0, locations: [], hint: { code: 'SOLD_OUT', text: 'Sold out' },
    });
  });

  it.each([
    ['profile=online', 'channel'],
    ['channel=APP', 'channel'],
    ['channel=app&profile=catalogue', 'profile'],
    ['channel=app&profile=store', 'location'],
    ['channel=app&profile=store&location=abc', 'location'],
    ['channel=app&threshold=-1', 'threshold'],
    ['channel=app&threshold=x', 'threshold'],
    ['channel=app&size=xl', 'size'],
  ])('answers ?%s with 400 naming %s', async (query, field) => {
    const res = await call<{ details: Array<{ field: string }> }>(app, 'GET', `/internal/availability/D-1?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.field)).toContain(field);
  });

  it('answers a store profile for an unknown location with 404 and a bad SKU with 400', async () => {
    expect((await get(`channel=app&profile=store&location=${uuidv7()}`)).status).toBe(404);
    expect((await call(app, 'GET', '/internal/availability/bad%20sku?channel=app')).status).toBe(400);
  });
});
