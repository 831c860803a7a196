import fc from 'fast-check';
import { DomainError } from '@omni/platform';
import { v7 as uuidv7 } from 'uuid';
import { createMovementsFixture, MovementsFixture } from './movements.harness';
import { addLocation, addOwner, ledgerMismatches } from './reservation.harness';

jest.setTimeout(180_000);

let f: MovementsFixture;
let locations: string[];
let owners: string[];

beforeAll(async () => {
  f = await createMovementsFixture('movements_property');
  locations = [await addLocation(f.t.pool, 'P-WH'), await addLocation(f.t.pool, 'P-ST', 'open', 'store')];
  owners = [await addOwner(f.t.pool, 'Retailer'), await addOwner(f.t.pool, 'Supplier', 'consignor')];
});
afterAll(() => f.t.close());

type Op =
  | { kind: 'receipt'; loc: number; owner: number; qty: number }
  | { kind: 'return'; loc: number; owner: number; qty: number }
  | { kind: 'adjust'; loc: number; owner: number; delta: number }
  | { kind: 'stocktake'; loc: number; owner: number; counted: number }
  | { kind: 'transfer'; from: number; owner: number; qty: number; inTransit: boolean }
  | { kind: 'receiveTransfer'; pick: number }
  | { kind: 'try'; loc: number | 'any'; qty: number }
  | { kind: 'confirm'; pick: number }
  | { kind: 'cancel'; pick: number };

const idx = fc.integer({ min: 0, max: 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), loc: idx, owner: idx, qty: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('return' as const), loc: idx, owner: idx, qty: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('adjust' as const), loc: idx, owner: idx, delta: fc.integer({ min: -15, max: 10 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('stocktake' as const), loc: idx, owner: idx, counted: fc.integer({ min: 0, max: 25 }) }),
  fc.record({ kind: fc.constant('transfer' as const), from: idx, owner: idx, qty: fc.integer({ min: 1, max: 15 }), inTransit: fc.boolean() }),
  fc.record({ kind: fc.constant('receiveTransfer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('try' as const), loc: fc.oneof(idx, fc.constant('any' as const)), qty: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
);

/** Refusals (409/422 domain errors) are expected outcomes of random input; anything else fails the run. */
async function refusable(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.httpStatus < 500) return false;
    throw error;
  }
}

async function totals(sku: string): Promise<{ onHand: number; reserved: number; movements: number }> {
  const { rows } = await f.t.pool.query(
    `SELECT (SELECT COALESCE(SUM(on_hand), 0)::int FROM stock_levels WHERE sku = $1) AS on_hand,
            (SELECT COALESCE(SUM(reserved), 0)::int FROM stock_levels WHERE sku = $1) AS reserved,
            (SELECT count(*)::int FROM stock_movements WHERE sku = $1) AS movements`,
    [sku],
  );
  return { onHand: rows[0].on_hand, reserved: rows[0].reserved, movements: rows[0].movements };
}

describe('random sequences of stock documents and reservations', () => {
  it('keep levels equal to the ledger, never negative, matching a model of totals; refused operations leave no trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const sku = `PROP-${uuidv7()}`;
        const model = { onHand: 0, reserved: 0, inTransit: 0 };
        const transfers: Array<{ id: string; qty: number; received: boolean }> = [];
        const tried: Array<{ gid: string; branchId: string; qty: number; state: 'tried' | 'done' }> = [];
        for (const o of ops) {
          const before = await totals(sku);
          let applied = false;
          switch (o.kind) {
            case 'receipt':
              applied = await refusable(() => f.operations.receive({ lines: [{ sku, locationId: locations[o.loc], ownerId: owners[o.owner], quantity: o.qty }] }, uuidv7()));
              if (applied) model.onHand += o.qty;
              break;
            case 'return':
              applied = await refusable(() => f.operations.restock({ orderId: uuidv7(), locationId: locations[o.loc], lines: [{ sku, ownerId: owners[o.owner], quantity: o.qty }] }, uuidv7()));
              if (applied) model.onHand += o.qty;
              break;
            case 'adjust':
              applied = await refusable(() => f.operations.adjust({ lines: [{ sku, locationId: locations[o.loc], ownerId: owners[o.owner], delta: o.delta, reasonCode: 'correction' }] }, uuidv7()));
              if (applied) model.onHand += o.delta;
              break;
            case 'stocktake': {
              let variance = 0;
              applied = await refusable(async () => {
                const { result } = await f.operations.stocktake({ lines: [{ sku, locationId: locations[o.loc], ownerId: owners[o.owner], counted: o.counted }] }, uuidv7());
                variance = result.variances[0].variance;
              });
              if (applied) {
                model.onHand += variance;
                const { rows } = await f.t.pool.query(`SELECT on_hand FROM stock_levels WHERE sku = $1 AND location_id = $2 AND owner_id = $3`, [sku, locations[o.loc], owners[o.owner]]);
                expect(rows[0]?.on_hand ?? 0).toBe(o.counted);
              }
              break;
            }
            case 'transfer': {
              let id = '';
              applied = await refusable(async () => {
                const { result } = await f.transfers.transfer(
                  { fromLocationId: locations[o.from], toLocationId: locations[1 - o.from], inTransit: o.inTransit, lines: [{ sku, ownerId: owners[o.owner], quantity: o.qty }] },
                  uuidv7(),
                );
                id = result.transfer.id;
              });
              if (applied && o.inTransit) {
                model.onHand -= o.qty;
                model.inTransit += o.qty;
                transfers.push({ id, qty: o.qty, received: false });
              }
              break;
            }
            case 'receiveTransfer': {
              const open = transfers.filter((t) => !t.received);
              if (open.length === 0) continue;
              const t = open[o.pick % open.length];
              applied = await refusable(() => f.transfers.receive(t.id));
              expect(applied).toBe(true);
              t.received = true;
              model.onHand += t.qty;
              model.inTransit -= t.qty;
              break;
            }
            case 'try': {
              const gid = uuidv7();
              const branchId = uuidv7();
              const reply = await f.reservations.try({
                gid, branchId, deadline: new Date(Date.now() + 600_000), channel: 'app',
                lines: [{ sku, quantity: o.qty, locationId: o.loc === 'any' ? 'any' : locations[o.loc] }],
              });
              expect(reply.outcome).not.toBe('retry');
              applied = reply.outcome === 'success';
              if (applied) {
                model.reserved += o.qty;
                tried.push({ gid, branchId, qty: o.qty, state: 'tried' });
              }
              break;
            }
            case 'confirm':
            case 'cancel': {
              const open = tried.filter((t) => t.state === 'tried');
              if (open.length === 0) continue;
              const t = open[o.pick % open.length];
              const reply = o.kind === 'confirm' ? await f.reservations.confirm(t) : await f.reservations.cancel(t);
              expect(reply.outcome).toBe('success');
              applied = true;
              t.state = 'done';
              model.reserved -= t.qty;
              if (o.kind === 'confirm') model.onHand -= t.qty;
              break;
            }
          }
          const after = await totals(sku);
          if (!applied) expect(after).toEqual(before);
          expect({ onHand: after.onHand, reserved: after.reserved }).toEqual({ onHand: model.onHand, reserved: model.reserved });
          expect(after.onHand).toBeGreaterThanOrEqual(0);
          expect(after.reserved).toBeLessThanOrEqual(after.onHand);
        }
        expect(await ledgerMismatches(f.t.pool)).toEqual([]);
        // Per-SKU versions in stock-changed only grow and never repeat.
        const { rows } = await f.t.pool.query(
          `SELECT (payload->>'version')::int AS v FROM messaging_outbox WHERE topic = 'stock-changed' AND key = $1 ORDER BY seq`,
          [sku],
        );
        const versions = rows.map((r) => r.v as number);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).toBe(versions.length);
      }),
      { numRuns: 40 },
    );
  });
});
