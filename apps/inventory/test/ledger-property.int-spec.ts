import fc from 'fast-check';
import { DomainError } from '@omni/platform';
import { v7 as uuidv7 } from 'uuid';
import { MovementInput } from '../src/stock/stock-ledger';
import { addLocation, addOwner, buildReservationService, createInventoryTestDb, InventoryTestDb, ledgerMismatches, setAllocation } from './reservation.harness';

// Property: any sequence of receipts, reservations, confirms, cancels, returns, adjustments and
// transfers keeps stock levels equal to the ledger, never negative, reserved never above on hand,
// and reserved equal to what open reservations hold. Bounded runs against real Postgres.
jest.setTimeout(180_000);

let t: InventoryTestDb;
let locations: string[];
let owners: string[];

beforeAll(async () => {
  t = await createInventoryTestDb('ledger_property', 6);
  locations = [await addLocation(t.pool, 'P-WH'), await addLocation(t.pool, 'P-ST', 'open', 'store')];
  owners = [await addOwner(t.pool, 'Retailer'), await addOwner(t.pool, 'Supplier', 'consignor')];
});
afterAll(() => t.close());

type Op =
  | { kind: 'receipt' | 'return' | 'adjust'; loc: number; owner: number; qty: number }
  | { kind: 'transfer'; from: number; to: number; owner: number; qty: number }
  | { kind: 'reserve'; channel: 'm' | 'a' | 'w'; qty: number; loc: number | 'any' }
  | { kind: 'confirm' | 'cancel'; pick: number };

const loc = fc.integer({ min: 0, max: 1 });
const owner = fc.integer({ min: 0, max: 1 });
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), loc, owner, qty: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('return' as const), loc, owner, qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('adjust' as const), loc, owner, qty: fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('transfer' as const), from: loc, to: loc, owner, qty: fc.integer({ min: 1, max: 5 }) }).filter((o) => o.from !== o.to),
  fc.record({ kind: fc.constant('reserve' as const), channel: fc.constantFrom('m' as const, 'a' as const, 'w' as const), qty: fc.integer({ min: 1, max: 4 }), loc: fc.oneof(fc.constant('any' as const), loc) }),
  fc.record({ kind: fc.constantFrom('confirm' as const, 'cancel' as const), pick: fc.nat(20) }),
);

async function invariants(sku: string): Promise<void> {
  expect(await ledgerMismatches(t.pool)).toEqual([]);
  const { rows } = await t.pool.query(
    `SELECT l.location_id, l.owner_id, l.reserved, coalesce((SELECT sum(rl.quantity)::int FROM reservation_lines rl JOIN reservations r USING (gid, branch_id)
              WHERE r.status = 'tried' AND rl.sku = l.sku AND rl.location_id = l.location_id AND rl.owner_id = l.owner_id), 0) AS held
       FROM stock_levels l WHERE l.sku = $1`,
    [sku],
  );
  for (const r of rows) expect(r.reserved).toBe(r.held);
  const { rows: q } = await t.pool.query(`SELECT min(quota_remaining) AS q FROM channel_allocations WHERE sku = $1`, [sku]);
  expect(Number(q[0].q ?? 0)).toBeGreaterThanOrEqual(0);
}

describe('stock ledger property', () => {
  it('random operation sequences keep levels == ledger, never negative, reserved == open reservations', async () => {
    const { service, ledger } = buildReservationService(t, { activeChannels: ['m', 'a', 'w'] });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 5, maxLength: 25 }), async (ops) => {
        const sku = `PROP-${++run}-${uuidv7().slice(-6)}`;
        await t.dataSource.transaction(async (tx) => {
          await ledger.applyMovements(tx, [{ sku, locationId: locations[0], ownerId: owners[0], type: 'receipt', onHandDelta: 10, reservedDelta: 0 }]);
          await setAllocation(tx, sku, 'm', 'dedicated', 4);
          await setAllocation(tx, sku, 'a', 'shared', 2);
        });
        const branches: Array<{ gid: string; branchId: string }> = [];
        for (const op of ops) {
          if (op.kind === 'reserve') {
            const cmd = { gid: uuidv7(), branchId: uuidv7() };
            const reply = await service.try({
              ...cmd,
              deadline: new Date(Date.now() + 600_000),
              channel: op.channel,
              lines: [{ sku, quantity: op.qty, locationId: op.loc === 'any' ? 'any' : locations[op.loc] }],
            });
            expect(reply.outcome).not.toBe('retry');
            if (reply.outcome === 'success') branches.push(cmd);
          } else if ('pick' in op) {
            if (branches.length === 0) continue;
            const cmd = branches[op.pick % branches.length];
            const reply = op.kind === 'confirm' ? await service.confirm(cmd) : await service.cancel(cmd);
            expect(reply.outcome).not.toBe('retry');
          } else {
            const moves: MovementInput[] =
              op.kind === 'transfer'
                ? [
                    { sku, locationId: locations[op.from], ownerId: owners[op.owner], type: 'transfer-out', onHandDelta: -op.qty, reservedDelta: 0 },
                    { sku, locationId: locations[op.to], ownerId: owners[op.owner], type: 'transfer-in', onHandDelta: op.qty, reservedDelta: 0 },
                  ]
                : [
                    {
                      sku,
                      locationId: locations[op.loc],
                      ownerId: owners[op.owner],
                      type: op.kind === 'receipt' ? 'receipt' : op.kind === 'return' ? 'return-restock' : 'adjustment',
                      onHandDelta: op.qty,
                      reservedDelta: 0,
                    },
                  ];
            try {
              await t.dataSource.transaction((tx) => ledger.applyMovements(tx, moves));
            } catch (error) {
              // Only a movement that would break an invariant may be refused, and it must be a DomainError.
              expect(error).toBeInstanceOf(DomainError);
              expect(['STOCK_WOULD_GO_NEGATIVE', 'RESERVED_EXCEEDS_ON_HAND']).toContain((error as DomainError).code);
            }
          }
        }
        await invariants(sku);
      }),
      { numRuns: 12 },
    );
  });
});
