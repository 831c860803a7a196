import { DomainError } from '@omni/platform';
import { v7 as uuidv7 } from 'uuid';
import { addLocation, addOwner, ledgerMismatches } from './reservation.harness';
import { createMovementsFixture, MovementsFixture, outboxPayloads } from './movements.harness';

jest.setTimeout(60_000);

let f: MovementsFixture;
let wh: string;
let store: string;
let retailer: string;
let consignor: string;

beforeAll(async () => {
  f = await createMovementsFixture('movements');
  wh = await addLocation(f.t.pool, 'WH1');
  store = await addLocation(f.t.pool, 'ST1', 'open', 'store');
  retailer = await addOwner(f.t.pool, 'Retailer');
  consignor = await addOwner(f.t.pool, 'Supplier', 'consignor');
});
afterAll(() => f.t.close());

async function level(sku: string, locationId: string, ownerId: string): Promise<{ on_hand: number; reserved: number } | undefined> {
  const { rows } = await f.t.pool.query(
    `SELECT on_hand, reserved FROM stock_levels WHERE sku = $1 AND location_id = $2 AND owner_id = $3`,
    [sku, locationId, ownerId],
  );
  return rows[0];
}

async function movementCount(sku: string): Promise<number> {
  const { rows } = await f.t.pool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = $1`, [sku]);
  return rows[0].n;
}

async function expectDomainError(promise: Promise<unknown>, code: string, field?: string): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (field) expect((error as DomainError).details?.map((d) => d.field)).toContain(field);
  return error as DomainError;
}

describe('receipts', () => {
  it('raises on hand with receipt ledger rows and one versioned stock-changed per location', async () => {
    const { result, replayed } = await f.operations.receive(
      { lines: [
        { sku: 'R-1', locationId: wh, ownerId: retailer, quantity: 10 },
        { sku: 'R-1', locationId: store, ownerId: consignor, quantity: 3 },
      ] },
      'rcpt-1',
    );
    expect(replayed).toBe(false);
    expect(result.kind).toBe('receipt');
    expect(result.levels).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: 'R-1', locationId: wh, onHand: 10, available: 10 })]),
    );
    expect(await level('R-1', wh, retailer)).toEqual({ on_hand: 10, reserved: 0 });
    expect(await level('R-1', store, consignor)).toEqual({ on_hand: 3, reserved: 0 });
    const changed = (await outboxPayloads<{ sku: string; version: number; cause: string }>(f.t, 'stock-changed')).filter((e) => e.sku === 'R-1');
    expect(changed.map((e) => e.version).sort()).toEqual([1, 2]);
    expect(changed.every((e) => e.cause === 'receipt')).toBe(true);
    const { rows } = await f.t.pool.query(`SELECT DISTINCT ref FROM stock_movements WHERE sku = 'R-1'`);
    expect(rows).toEqual([{ ref: result.operationId }]);
    expect(await ledgerMismatches(f.t.pool)).toEqual([]);
  });

  it('answers a repeated key with the first result and no second effect', async () => {
    const body = { lines: [{ sku: 'R-2', locationId: wh, ownerId: retailer, quantity: 5 }] };
    const first = await f.operations.receive(body, 'rcpt-2');
    const again = await f.operations.receive({ lines: [{ ...body.lines[0] }] }, 'rcpt-2');
    expect(again.replayed).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(await level('R-2', wh, retailer)).toEqual({ on_hand: 5, reserved: 0 });
    expect(await movementCount('R-2')).toBe(1);
  });

  it('uses the document id as the key when no header is sent, and refuses a key reused for another body', async () => {
    const documentId = uuidv7();
    await f.operations.receive({ documentId, lines: [{ sku: 'R-3', locationId: wh, ownerId: retailer, quantity: 2 }] });
    const again = await f.operations.receive({ documentId, lines: [{ sku: 'R-3', locationId: wh, ownerId: retailer, quantity: 2 }] });
    expect(again.replayed).toBe(true);
    await expectDomainError(
      f.operations.receive({ documentId, lines: [{ sku: 'R-3', locationId: wh, ownerId: retailer, quantity: 9 }] }),
      'IDEMPOTENCY_KEY_REUSED',
    );
    await expectDomainError(f.operations.receive({ lines: [{ sku: 'R-3', locationId: wh, ownerId: retailer, quantity: 9 }] }), 'IDEMPOTENCY_KEY_REQUIRED');
    expect(await level('R-3', wh, retailer)).toEqual({ on_hand: 2, reserved: 0 });
  });

  it('applies a key once when the same request races itself', async () => {
    const body = { lines: [{ sku: 'R-4', locationId: wh, ownerId: retailer, quantity: 7 }] };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => f.operations.receive({ lines: [{ ...body.lines[0] }] }, 'rcpt-race')));
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.result.operationId)).size).toBe(1);
    expect(await level('R-4', wh, retailer)).toEqual({ on_hand: 7, reserved: 0 });
    expect(await movementCount('R-4')).toBe(1);
  });

  it('names the unknown location or owner and changes nothing', async () => {
    const error = await expectDomainError(
      f.operations.receive({ lines: [{ sku: 'R-5', locationId: uuidv7(), ownerId: retailer, quantity: 1 }, { sku: 'R-5', locationId: wh, ownerId: uuidv7(), quantity: 1 }] }, 'rcpt-5'),
      'UNKNOWN_REFERENCE',
    );
    expect(error.details?.map((d) => d.field)).toEqual(['lines.0.locationId', 'lines.1.ownerId']);
    expect(await movementCount('R-5')).toBe(0);
  });
});

describe('adjustments', () => {
  it('applies signed deltas and refuses one that would take stock below zero, naming the line', async () => {
    await f.operations.receive({ lines: [{ sku: 'A-1', locationId: wh, ownerId: retailer, quantity: 4 }] }, 'adj-rcpt');
    const { result } = await f.operations.adjust({ lines: [{ sku: 'A-1', locationId: wh, ownerId: retailer, delta: -1, reasonCode: 'damaged' }] }, 'adj-1');
    expect(result.movements).toEqual([{ sku: 'A-1', locationId: wh, ownerId: retailer, type: 'adjustment', onHandDelta: -1 }]);
    await expectDomainError(
      f.operations.adjust(
        { lines: [
          { sku: 'A-1', locationId: wh, ownerId: retailer, delta: 1, reasonCode: 'found' },
          { sku: 'A-1', locationId: wh, ownerId: retailer, delta: -5, reasonCode: 'lost' },
        ] },
        'adj-2',
      ),
      'INSUFFICIENT_STOCK',
      'lines.1.delta',
    );
    expect(await level('A-1', wh, retailer)).toEqual({ on_hand: 3, reserved: 0 });
    // A refused request leaves its key free: the corrected retry goes through.
    await f.operations.adjust({ lines: [{ sku: 'A-1', locationId: wh, ownerId: retailer, delta: -3, reasonCode: 'lost' }] }, 'adj-3');
    expect(await level('A-1', wh, retailer)).toEqual({ on_hand: 0, reserved: 0 });
    expect(await ledgerMismatches(f.t.pool)).toEqual([]);
  });

  it('refuses to take on hand below what is reserved', async () => {
    await f.operations.receive({ lines: [{ sku: 'A-2', locationId: wh, ownerId: retailer, quantity: 5 }] }, 'adj-rcpt-2');
    await f.t.dataSource.transaction((tx) =>
      f.ledger.applyMovements(tx, [{ sku: 'A-2', locationId: wh, ownerId: retailer, type: 'reservation', onHandDelta: 0, reservedDelta: 4, channel: 'app', ref: 'g/b' }]),
    );
    await expectDomainError(
      f.operations.adjust({ lines: [{ sku: 'A-2', locationId: wh, ownerId: retailer, delta: -2, reasonCode: 'damaged' }] }, 'adj-4'),
      'INSUFFICIENT_STOCK',
      'lines.0.delta',
    );
    expect(await level('A-2', wh, retailer)).toEqual({ on_hand: 5, reserved: 4 });
  });
});

describe('stocktakes', () => {
  it('turns counts into variance movements and reports them', async () => {
    await f.operations.receive({ lines: [{ sku: 'S-1', locationId: store, ownerId: retailer, quantity: 10 }] }, 'st-rcpt');
    const { result } = await f.operations.stocktake(
      { lines: [
        { sku: 'S-1', locationId: store, ownerId: retailer, counted: 8 },
        { sku: 'S-1', locationId: wh, ownerId: retailer, counted: 2 },
        { sku: 'S-2', locationId: store, ownerId: retailer, counted: 0 },
      ] },
      'st-1',
    );
    expect(result.variances).toEqual([
      { sku: 'S-1', locationId: store, ownerId: retailer, counted: 8, onHandBefore: 10, variance: -2 },
      { sku: 'S-1', locationId: wh, ownerId: retailer, counted: 2, onHandBefore: 0, variance: 2 },
      { sku: 'S-2', locationId: store, ownerId: retailer, counted: 0, onHandBefore: 0, variance: 0 },
    ]);
    expect(result.movements.map((m) => m.onHandDelta)).toEqual([-2, 2]);
    expect(await level('S-1', store, retailer)).toEqual({ on_hand: 8, reserved: 0 });
    expect(await level('S-1', wh, retailer)).toEqual({ on_hand: 2, reserved: 0 });
    expect(await ledgerMismatches(f.t.pool)).toEqual([]);
  });

  it('refuses a count below reserved and a repeated line', async () => {
    await f.operations.receive({ lines: [{ sku: 'S-3', locationId: store, ownerId: retailer, quantity: 6 }] }, 'st-rcpt-3');
    await f.t.dataSource.transaction((tx) =>
      f.ledger.applyMovements(tx, [{ sku: 'S-3', locationId: store, ownerId: retailer, type: 'reservation', onHandDelta: 0, reservedDelta: 3, channel: 'app', ref: 'g/b' }]),
    );
    await expectDomainError(f.operations.stocktake({ lines: [{ sku: 'S-3', locationId: store, ownerId: retailer, counted: 2 }] }, 'st-3'), 'COUNT_BELOW_RESERVED', 'lines.0.counted');
    const line = { sku: 'S-3', locationId: store, ownerId: retailer, counted: 5 };
    await expectDomainError(f.operations.stocktake({ lines: [line, { ...line }] }, 'st-4'), 'DUPLICATE_LINE', 'lines.1');
    expect(await level('S-3', store, retailer)).toEqual({ on_hand: 6, reserved: 3 });
  });
});

describe('returns', () => {
  it('restocks at the given location with the original order on the operation', async () => {
    const orderId = uuidv7();
    const { result } = await f.operations.restock({ orderId, locationId: store, lines: [{ sku: 'RT-1', ownerId: consignor, quantity: 2 }] }, 'ret-1');
    expect(result).toMatchObject({ kind: 'return', orderId, movements: [{ type: 'return-restock', onHandDelta: 2, locationId: store }] });
    expect(await level('RT-1', store, consignor)).toEqual({ on_hand: 2, reserved: 0 });
    const { rows } = await f.t.pool.query(`SELECT request->>'orderId' AS order_id FROM stock_operations WHERE operation_id = $1`, [result.operationId]);
    expect(rows[0].order_id).toBe(orderId);
  });
});

describe('transfers', () => {
  it('moves stock at once: transfer-out then transfer-in, both versioned', async () => {
    await f.operations.receive({ lines: [{ sku: 'T-1', locationId: wh, ownerId: retailer, quantity: 10 }] }, 'tr-rcpt');
    const { result } = await f.transfers.transfer({ fromLocationId: wh, toLocationId: store, lines: [{ sku: 'T-1', ownerId: retailer, quantity: 4 }] }, 'tr-1');
    expect(result.transfer.status).toBe('received');
    expect(result.movements.map((m) => m.type)).toEqual(['transfer-out', 'transfer-in']);
    expect(await level('T-1', wh, retailer)).toEqual({ on_hand: 6, reserved: 0 });
    expect(await level('T-1', store, retailer)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await ledgerMismatches(f.t.pool)).toEqual([]);
  });

  it('keeps goods in transit until received, and receives once', async () => {
    await f.operations.receive({ lines: [{ sku: 'T-2', locationId: wh, ownerId: retailer, quantity: 5 }] }, 'tr-rcpt-2');
    const sent = await f.transfers.transfer({ fromLocationId: wh, toLocationId: store, inTransit: true, lines: [{ sku: 'T-2', ownerId: retailer, quantity: 5 }] }, 'tr-2');
    expect(sent.result.transfer.status).toBe('in_transit');
    expect(await level('T-2', wh, retailer)).toEqual({ on_hand: 0, reserved: 0 });
    expect(await level('T-2', store, retailer)).toBeUndefined();
    const received = await Promise.all([f.transfers.receive(sent.result.transfer.id), f.transfers.receive(sent.result.transfer.id)]);
    expect(received.filter((r) => !r.replayed)).toHaveLength(1);
    expect(received[0].result).toEqual(received[1].result);
    expect(await level('T-2', store, retailer)).toEqual({ on_hand: 5, reserved: 0 });
    expect(await movementCount('T-2')).toBe(3);
  });

  it('refuses a transfer of more than is free at the source, and one to the same location', async () => {
    await expectDomainError(
      f.transfers.transfer({ fromLocationId: wh, toLocationId: store, lines: [{ sku: 'T-1', ownerId: retailer, quantity: 7 }] }, 'tr-3'),
      'INSUFFICIENT_STOCK',
      'lines.0.quantity',
    );
    await expectDomainError(f.transfers.transfer({ fromLocationId: wh, toLocationId: wh, lines: [{ sku: 'T-1', ownerId: retailer, quantity: 1 }] }, 'tr-4'), 'VALIDATION_FAILED', 'toLocationId');
    await expectDomainError(f.transfers.receive(uuidv7()), 'TRANSFER_NOT_FOUND');
    expect(await level('T-1', wh, retailer)).toEqual({ on_hand: 6, reserved: 0 });
  });
});
