import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { StockLedger } from '../src/stock/stock-ledger';
import { call, ledgerMismatches, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(60_000);

let app: OperationsApp;
let wh: string;
let store: string;
let owner: string;

const key = () => ({ 'Idempotency-Key': uuidv7() });

/** Sales as the reservation path records them: a reservation then its deduction. */
async function sell(sku: string, locationId: string, quantity: number, daysAgo = 0): Promise<void> {
  const ledger = app.service.app.get(StockLedger, { strict: false });
  const ref = uuidv7();
  await app.service.app.get(DataSource).transaction((tx) =>
    ledger.applyMovements(tx, [
      { sku, locationId, ownerId: owner, type: 'reservation', onHandDelta: 0, reservedDelta: quantity, channel: 'app', ref },
      { sku, locationId, ownerId: owner, type: 'deduction', onHandDelta: -quantity, reservedDelta: -quantity, channel: 'app', ref },
    ]),
  );
  if (daysAgo > 0) {
    await app.pool.query(`UPDATE stock_movements SET created_at = now() - make_interval(days => $2) WHERE ref = $1`, [ref, daysAgo]);
  }
}

beforeAll(async () => {
  app = await startOperationsApp('replenishment');
  wh = (await call(app, 'POST', '/internal/locations', { code: 'WH', name: 'DC', type: 'warehouse', lat: 31, lng: 121, shipsInDays: 2 })).body.id as string;
  store = (await call(app, 'POST', '/internal/locations', { code: 'ST', name: 'Store', type: 'store', lat: 31.1, lng: 121.1 })).body.id as string;
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
  await call(app, 'POST', '/internal/stock/receipts', { lines: [
    { sku: 'RP-1', locationId: store, ownerId: owner, quantity: 100 },
    { sku: 'RP-1', locationId: wh, ownerId: owner, quantity: 20 },
    { sku: 'RP-2', locationId: store, ownerId: owner, quantity: 50 },
  ] }, key());
  await sell('RP-1', store, 10, 1);
  await sell('RP-1', store, 4, 6);
  await sell('RP-1', store, 50, 9); // outside a 7-day window
  await sell('RP-1', wh, 7); // another location
  // Open reservation of 6 and 5 units in transit to the store.
  await app.service.app.get(DataSource).transaction((tx) =>
    app.service.app.get(StockLedger, { strict: false }).applyMovements(tx, [
      { sku: 'RP-1', locationId: store, ownerId: owner, type: 'reservation', onHandDelta: 0, reservedDelta: 6, channel: 'app', ref: 'open' },
    ]),
  );
  await call(app, 'POST', '/internal/stock/transfers', { fromLocationId: wh, toLocationId: store, inTransit: true, lines: [{ sku: 'RP-1', ownerId: owner, quantity: 5 }] }, key());
});
afterAll(() => app?.close());

describe('replenishment suggestions', () => {
  it('suggests from the window deductions, lead time (default: fastest warehouse), target cover, stock, reserved and inbound', async () => {
    const res = await call<{ leadTimeDays: number; suggestions: Array<Record<string, unknown>> }>(app, 'GET', `/internal/replenishment/${store}?days=7&targetDays=20`);
    expect(res.status).toBe(200);
    expect(res.body.leadTimeDays).toBe(2);
    expect(res.body.suggestions).toEqual([
      {
        sku: 'RP-1', unitsSold: 14, windowDays: 7, leadTimeDays: 2, targetDaysOfCover: 20, onHand: 36, reserved: 6, inbound: 5,
        dailyVelocity: 2, demandOverHorizon: 44, stockPosition: 35, suggestedQuantity: 9,
      },
      expect.objectContaining({ sku: 'RP-2', unitsSold: 0, onHand: 50, suggestedQuantity: 0 }),
    ]);
    const wider = await call<{ suggestions: Array<{ sku: string; unitsSold: number }> }>(app, 'GET', `/internal/replenishment/${store}?days=10&targetDays=20&leadTimeDays=0`);
    expect(wider.body.suggestions.find((s) => s.sku === 'RP-1')).toMatchObject({ unitsSold: 64, leadTimeDays: 0 });
    expect(await ledgerMismatches(app.pool)).toEqual([]);
  });

  it.each([
    ['days=0&targetDays=5', 'days'],
    ['days=abc&targetDays=5', 'days'],
    ['days=1.5&targetDays=5', 'days'],
    ['targetDays=5', 'days'],
    ['days=7', 'targetDays'],
    ['days=7&targetDays=-1', 'targetDays'],
    ['days=7&targetDays=5&leadTimeDays=-2', 'leadTimeDays'],
    ['days=7&targetDays=5&colour=red', 'colour'],
  ])('answers ?%s with 400 naming %s', async (query, field) => {
    const res = await call<{ details: Array<{ field: string }> }>(app, 'GET', `/internal/replenishment/${store}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.field)).toContain(field);
  });

  it('answers a bad or unknown location with 400 or 404', async () => {
    expect((await call(app, 'GET', `/internal/replenishment/xyz?days=7&targetDays=5`)).status).toBe(400);
    expect((await call(app, 'GET', `/internal/replenishment/${uuidv7()}?days=7&targetDays=5`)).status).toBe(404);
  });
});
