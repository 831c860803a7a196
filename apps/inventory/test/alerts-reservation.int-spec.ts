import { v7 as uuidv7 } from 'uuid';
import { ThresholdService } from '../src/alerts/threshold.service';
import { createMovementsFixture, MovementsFixture, outboxPayloads } from './movements.harness';
import { addLocation, addOwner, ledgerMismatches } from './reservation.harness';

jest.setTimeout(60_000);

let f: MovementsFixture;
let thresholds: ThresholdService;
let store: string;
let wh: string;
let owner: string;

beforeAll(async () => {
  f = await createMovementsFixture('alerts_reservation');
  thresholds = new ThresholdService(f.t.dataSource, f.lowStock);
  store = await addLocation(f.t.pool, 'AR-ST', 'open', 'store');
  wh = await addLocation(f.t.pool, 'AR-WH');
  owner = await addOwner(f.t.pool, 'Retailer');
});
afterAll(() => f.t.close());

const lows = async (sku: string) => (await outboxPayloads<{ sku: string; available: number; locationId: string }>(f.t, 'stock-low')).filter((e) => e.sku === sku);
const deadline = () => new Date(Date.now() + 600_000);

// Every writer of stock levels must evaluate thresholds in its own transaction: the StockLedger
// does it when built with LowStockAlertingSink; a writer that emits stock-changed events itself
// (e.g. a batched Try) calls `lowStockMonitor.evaluateEvents(tx, thoseEvents)` once per batch,
// after writing the levels, inside the SKU lock.
describe('stock-low on the reservation path (Try, Confirm, Cancel share the alerting ledger sink)', () => {
  it('fires once when Try crosses, not again on Confirm, re-arms on Cancel of another branch', async () => {
    await f.operations.receive({ lines: [{ sku: 'ARS-1', locationId: store, ownerId: owner, quantity: 10 }] }, uuidv7());
    await thresholds.put('ARS-1', store, 5);
    const a = { gid: uuidv7(), branchId: uuidv7() };
    expect((await f.reservations.try({ ...a, deadline: deadline(), channel: 'app', lines: [{ sku: 'ARS-1', quantity: 4, locationId: store }] })).outcome).toBe('success');
    expect(await lows('ARS-1')).toHaveLength(0); // 6 available
    const b = { gid: uuidv7(), branchId: uuidv7() };
    expect((await f.reservations.try({ ...b, deadline: deadline(), channel: 'app', lines: [{ sku: 'ARS-1', quantity: 2, locationId: store }] })).outcome).toBe('success');
    expect(await lows('ARS-1')).toEqual([expect.objectContaining({ available: 4, locationId: store })]);
    expect((await f.reservations.confirm(b)).outcome).toBe('success'); // on hand 8, reserved 4: still 4 available
    expect(await lows('ARS-1')).toHaveLength(1);
    expect((await f.reservations.cancel(a)).outcome).toBe('success'); // 8 available: re-armed
    const c = { gid: uuidv7(), branchId: uuidv7() };
    expect((await f.reservations.try({ ...c, deadline: deadline(), channel: 'app', lines: [{ sku: 'ARS-1', quantity: 5, locationId: 'any' }] })).outcome).toBe('success');
    expect((await lows('ARS-1')).map((e) => e.available)).toEqual([4, 3]);
    expect(await ledgerMismatches(f.t.pool)).toEqual([]);
  });

  it('fires exactly once under racing Try requests that cross together', async () => {
    await f.operations.receive({ lines: [{ sku: 'ARS-2', locationId: wh, ownerId: owner, quantity: 30 }] }, uuidv7());
    await thresholds.put('ARS-2', wh, 15);
    const replies = await Promise.all(
      Array.from({ length: 24 }, () =>
        f.reservations.try({ gid: uuidv7(), branchId: uuidv7(), deadline: deadline(), channel: 'app', lines: [{ sku: 'ARS-2', quantity: 1, locationId: 'any' }] }),
      ),
    );
    expect(replies.filter((r) => r.outcome === 'success')).toHaveLength(24);
    // Racing Trys of one SKU may share a transaction, so the one crossing carries the level after
    // the batch that crossed: below the threshold, never below what the 24 reservations left.
    const alerts = await lows('ARS-2');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].available).toBeLessThan(15);
    expect(alerts[0].available).toBeGreaterThanOrEqual(6);
  });
});
