import { DomainError } from '@omni/platform';
import { StockLedger } from '../src/stock/stock-ledger';
import { addLocation, addOwner, createInventoryTestDb, InventoryTestDb, ledgerMismatches, RecordingSink, setAllocation } from './reservation.harness';

jest.setTimeout(60_000);

let t: InventoryTestDb;
let wh: string;
let store: string;
let retailer: string;
let consignor: string;

beforeAll(async () => {
  t = await createInventoryTestDb('ledger');
  wh = await addLocation(t.pool, 'WH1');
  store = await addLocation(t.pool, 'ST1', 'open', 'store');
  retailer = await addOwner(t.pool, 'Retailer');
  consignor = await addOwner(t.pool, 'Supplier', 'consignor');
});
afterAll(() => t.close());

describe('StockLedger.applyMovements', () => {
  it('receives, transfers and adjusts, keeping levels equal to the ledger and emitting one versioned stock-changed per location', async () => {
    const sink = new RecordingSink();
    const ledger = new StockLedger(sink, { activeChannels: ['app'] });
    await t.dataSource.transaction(async (tx) => {
      await ledger.applyMovements(tx, [
        { sku: 'SKU-L1', locationId: wh, ownerId: retailer, type: 'receipt', onHandDelta: 10, reservedDelta: 0, ref: 'rcpt-1' },
        { sku: 'SKU-L1', locationId: store, ownerId: consignor, type: 'receipt', onHandDelta: 4, reservedDelta: 0, ref: 'rcpt-1' },
      ]);
    });
    await t.dataSource.transaction(async (tx) => {
      await setAllocation(tx, 'SKU-L1', 'tmall', 'dedicated', 3);
      const [change] = await ledger.applyMovements(tx, [
        { sku: 'SKU-L1', locationId: wh, ownerId: retailer, type: 'transfer-out', onHandDelta: -2, reservedDelta: 0, ref: 'tr-1' },
        { sku: 'SKU-L1', locationId: store, ownerId: retailer, type: 'transfer-in', onHandDelta: 2, reservedDelta: 0, ref: 'tr-1' },
      ]);
      expect(change.version).toBe(4);
      expect(change.atp).toEqual([
        { channel: 'app', available: 11 },
        { channel: 'tmall', available: 3 },
      ]);
    });
    expect(sink.events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(sink.events.at(-1)).toMatchObject({ sku: 'SKU-L1', onHand: 6, reserved: 0, available: 6, cause: 'transfer-in' });
    expect(await ledgerMismatches(t.pool)).toEqual([]);
    const { rows } = await t.pool.query(`SELECT max(sku_version)::int AS v FROM stock_movements WHERE sku = 'SKU-L1'`);
    expect(rows[0].v).toBe(4);
  });

  it('holds, releases and deducts at two owners and locations: each change describes the state a fresh read gives', async () => {
    const sink = new RecordingSink();
    const ledger = new StockLedger(sink, { activeChannels: ['app'] });
    const sku = 'SKU-HELD';
    await t.dataSource.transaction((tx) =>
      ledger.applyMovements(tx, [
        { sku, locationId: wh, ownerId: retailer, type: 'receipt', onHandDelta: 8, reservedDelta: 0 },
        { sku, locationId: wh, ownerId: consignor, type: 'receipt', onHandDelta: 3, reservedDelta: 0 },
        { sku, locationId: store, ownerId: retailer, type: 'receipt', onHandDelta: 5, reservedDelta: 0 },
      ]),
    );
    const steps = [
      [
        { locationId: wh, ownerId: retailer, type: 'reservation', onHandDelta: 0, reservedDelta: 3 },
        { locationId: wh, ownerId: consignor, type: 'reservation', onHandDelta: 0, reservedDelta: 2 },
        { locationId: store, ownerId: retailer, type: 'reservation', onHandDelta: 0, reservedDelta: 1 },
      ],
      [
        { locationId: wh, ownerId: retailer, type: 'deduction', onHandDelta: -2, reservedDelta: -2 },
        { locationId: wh, ownerId: consignor, type: 'release', onHandDelta: 0, reservedDelta: -1 },
      ],
      [{ locationId: store, ownerId: retailer, type: 'deduction', onHandDelta: -1, reservedDelta: -1 }],
    ] as const;
    for (const step of steps) {
      const changes = await t.dataSource.transaction(async (tx) => {
        await setAllocation(tx, sku, 'tmall', 'dedicated', 2);
        return ledger.applyMovements(tx, step.map((m) => ({ sku, ...m })));
      });
      // What the change describes (levels, ATP, version) is what the committed rows say.
      const fresh = await t.dataSource.transaction((tx) => ledger.computeAtp(tx, sku, ['tmall']));
      expect(changes[0].atp).toEqual(fresh!.channels);
      const { rows } = await t.pool.query(
        `SELECT location_id, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM stock_levels WHERE sku = $1 GROUP BY location_id`,
        [sku],
      );
      for (const l of changes[0].locations) expect(rows.find((r) => r.location_id === l.locationId)).toMatchObject({ on_hand: l.onHand, reserved: l.reserved });
      const version = await t.pool.query('SELECT version FROM sku_stock WHERE sku = $1', [sku]);
      expect(Number(version.rows[0].version)).toBe(changes[0].version);
    }
    expect(sink.events.at(-1)).toMatchObject({ sku, locationId: store, onHand: 4, reserved: 0, available: 4, cause: 'deduction' });
    expect(await ledgerMismatches(t.pool)).toEqual([]);
    // A hold on a level that does not exist is refused, and writes nothing.
    const other = await addOwner(t.pool, 'Nobody here');
    await expect(
      t.dataSource.transaction((tx) => ledger.applyMovements(tx, [{ sku, locationId: store, ownerId: other, type: 'reservation', onHandDelta: 0, reservedDelta: 1 }])),
    ).rejects.toMatchObject({ code: 'RESERVED_EXCEEDS_ON_HAND' });
    expect((await t.pool.query('SELECT count(*)::int AS n FROM stock_levels WHERE owner_id = $1', [other])).rows[0].n).toBe(0);
  });

  it("a deduction ships held units: its stock-changed says the location's available and every ATP of the change before it; any other deduction is refused", async () => {
    const sink = new RecordingSink();
    const ledger = new StockLedger(sink, { activeChannels: ['app'] });
    const sku = 'SKU-SHIP';
    // Every step after the first (which creates the SKU) keeps a dedicated quota for tmall.
    const apply = (moves: Array<Omit<Parameters<StockLedger['applyMovements']>[1][number], 'sku'>>, allocate = true) =>
      t.dataSource.transaction(async (tx) => {
        if (allocate) await setAllocation(tx, sku, 'tmall', 'dedicated', 2);
        return ledger.applyMovements(tx, moves.map((m) => ({ sku, ...m })));
      });
    await apply([
      { locationId: wh, ownerId: retailer, type: 'receipt', onHandDelta: 6, reservedDelta: 0 },
      { locationId: wh, ownerId: consignor, type: 'receipt', onHandDelta: 2, reservedDelta: 0 },
    ], false);
    await apply([
      { locationId: wh, ownerId: retailer, type: 'reservation', onHandDelta: 0, reservedDelta: 4 },
      { locationId: wh, ownerId: consignor, type: 'reservation', onHandDelta: 0, reservedDelta: 1 },
    ]);
    const reserved = sink.events.at(-1)!;
    await apply([{ locationId: wh, ownerId: retailer, type: 'deduction', onHandDelta: -3, reservedDelta: -3 }]);
    const shipped = sink.events.at(-1)!;
    expect(shipped).toMatchObject({ cause: 'deduction', version: reserved.version + 1, onHand: reserved.onHand - 3, reserved: reserved.reserved - 3 });
    expect({ available: shipped.available, atp: shipped.atp }).toEqual({ available: reserved.available, atp: reserved.atp });
    for (const bad of [
      { onHandDelta: -1, reservedDelta: 0 },
      { onHandDelta: -1, reservedDelta: -2 },
      { onHandDelta: 1, reservedDelta: 1 },
    ]) {
      await expect(apply([{ locationId: wh, ownerId: retailer, type: 'deduction', ...bad }])).rejects.toMatchObject({ code: 'INVALID_MOVEMENT' });
    }
    expect(sink.events.at(-1)).toBe(shipped);
    expect(await ledgerMismatches(t.pool)).toEqual([]);
  });

  it.each([
    [{ onHandDelta: -11, reservedDelta: 0 }, 'STOCK_WOULD_GO_NEGATIVE'],
    [{ onHandDelta: 1, reservedDelta: -1 }, 'RESERVED_WOULD_GO_NEGATIVE'],
    [{ onHandDelta: 0, reservedDelta: 11 }, 'RESERVED_EXCEEDS_ON_HAND'],
  ])('refuses %j with %s and changes nothing', async (delta, code) => {
    const ledger = new StockLedger(new RecordingSink());
    await t.dataSource.transaction((tx) =>
      ledger.applyMovements(tx, [{ sku: 'SKU-L2', locationId: wh, ownerId: retailer, type: 'receipt', onHandDelta: 10, reservedDelta: 0 }]),
    );
    const before = await t.pool.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-L2'`);
    const attempt = t.dataSource.transaction((tx) =>
      ledger.applyMovements(tx, [{ sku: 'SKU-L2', locationId: wh, ownerId: retailer, type: 'adjustment', ...delta }]),
    );
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code });
    const after = await t.pool.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-L2'`);
    expect(after.rows).toEqual(before.rows);
    await t.pool.query(`DELETE FROM stock_movements WHERE sku = 'SKU-L2'; DELETE FROM stock_levels WHERE sku = 'SKU-L2'`);
  });

  it('refuses an unknown location with UNKNOWN_LOCATION_OR_OWNER', async () => {
    const ledger = new StockLedger(new RecordingSink());
    const attempt = t.dataSource.transaction((tx) =>
      ledger.applyMovements(tx, [
        { sku: 'SKU-L3', locationId: '0190a4d2-0000-7000-8000-000000000000', ownerId: retailer, type: 'receipt', onHandDelta: 1, reservedDelta: 0 },
      ]),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_LOCATION_OR_OWNER' });
  });

  it('computes ATP per channel and per channel × location, ignoring closed locations', async () => {
    const closed = await addLocation(t.pool, 'CLOSED1', 'closed');
    const ledger = new StockLedger(new RecordingSink(), { activeChannels: ['app', 'web'] });
    await t.dataSource.transaction(async (tx) => {
      await ledger.applyMovements(tx, [
        { sku: 'SKU-L4', locationId: wh, ownerId: retailer, type: 'receipt', onHandDelta: 20, reservedDelta: 0 },
        { sku: 'SKU-L4', locationId: store, ownerId: retailer, type: 'receipt', onHandDelta: 5, reservedDelta: 0 },
        { sku: 'SKU-L4', locationId: closed, ownerId: retailer, type: 'receipt', onHandDelta: 100, reservedDelta: 0 },
      ]);
      await setAllocation(tx, 'SKU-L4', 'tmall', 'dedicated', 8);
      await setAllocation(tx, 'SKU-L4', 'web', 'shared', 4);
    });
    const view = await ledger.computeAtp(t.dataSource.manager, 'SKU-L4');
    expect(view!.available).toBe(25);
    expect(view!.channels).toEqual([
      { channel: 'app', available: 17 },
      { channel: 'tmall', available: 8 },
      { channel: 'web', available: 13 },
    ]);
    expect(view!.locations.find((l) => l.locationId === store)!.channels).toEqual([
      { channel: 'app', available: 5 },
      { channel: 'tmall', available: 5 },
      { channel: 'web', available: 5 },
    ]);
    expect(await ledger.computeAtp(t.dataSource.manager, 'NOPE')).toBeNull();
  });
});
