import type { OrderReturnDisposedEvent, ReturnDispositionOutcome } from '@omni/contracts';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { EntityManager } from 'typeorm';
import { idempotencyKeyOf } from '../movements/operation-log.store';
import { StockOperationRunner } from '../movements/stock-operation.runner';
import { StockOperationsService } from '../movements/stock-operations.service';
import type { AtpReconciler } from '../redis-gate/atp.reconciler';
import { lockSkus, type StockLedger } from '../stock/stock-ledger';
import { addCredit, type OwnerUnits, planReturnCredit } from './return-credit.plan';

/** What a disposition did to stock. */
export type ReturnIntakeOutcome =
  /** The units are on hand again at the return's location, credited to these owners. */
  | { action: 'restocked'; operationId: string; replayed: boolean; credits: OwnerUnits[] }
  /** outlet / written_off: nothing goes back on sale, so no movement. */
  | { action: 'none'; disposition: Exclude<ReturnDispositionOutcome, 'restocked'> };

/**
 * Puts a restocked return back on hand at the location that received it, through the same
 * return-restock operation as POST /internal/stock/returns (ledger row, levels, stock-changed in the
 * outbox), inside the caller's transaction (the consumer's inbox transaction). The return id is the
 * operation's document id, so a return is restocked once however many events announce it.
 *
 * Owner credited: whoever lost the units when the order's stock was deducted (its confirmed
 * reservation lines, gid = order id), so consigned goods go back to their consignor; when no
 * deduction accounts for the units (an order inventory never reserved), the retailer owner that
 * already keeps stock at that location (that SKU first), else the first retailer owner registered.
 *
 * 'outlet' and 'written_off' put nothing back on sale and the ledger has no non-sellable stock
 * type, so they book no movement.
 */
export class ReturnIntakeService {
  constructor(
    private readonly ledger: StockLedger,
    private readonly reconciler: AtpReconciler | null,
  ) {}

  /** Applies one disposition in `tx`. */
  async apply(tx: EntityManager, event: OrderReturnDisposedEvent): Promise<ReturnIntakeOutcome> {
    if (event.disposition !== 'restocked') return { action: 'none', disposition: event.disposition };
    const key = idempotencyKeyOf(undefined, event.returnId);
    // Returns of the same SKU queue here, so each one sees what the previous ones gave back.
    await lockSkus(tx, [event.sku], true);
    const plan = planReturnCredit(await deductedOwners(tx, event), await creditedOwners(tx, event, key), event.quantity);
    let credits = plan.credits;
    if (plan.uncovered > 0) credits = addCredit(credits, await fallbackOwner(tx, event), plan.uncovered);
    const operations = new StockOperationsService(new StockOperationRunner(tx, this.ledger));
    const outcome = await operations.restock({
      documentId: event.returnId,
      orderId: event.orderId,
      locationId: event.locationId,
      lines: credits.map((c) => ({ sku: event.sku, ownerId: c.ownerId, quantity: c.quantity })),
    });
    // The consumer commits after this returns: the SKU's cache entry is rebuilt a moment later.
    this.reconciler?.rebuildSoon([event.sku]);
    return { action: 'restocked', operationId: outcome.result.operationId, replayed: outcome.replayed, credits };
  }
}

/** Units of the SKU the order's confirmed reservations deducted, per owner, in deduction order. */
async function deductedOwners(tx: SqlExecutor, event: OrderReturnDisposedEvent): Promise<OwnerUnits[]> {
  const rows = await queryRows<{ owner_id: string; quantity: number }>(
    tx,
    `SELECT rl.owner_id, rl.quantity
       FROM reservation_lines rl
       JOIN reservations r ON r.gid = rl.gid AND r.branch_id = rl.branch_id
      WHERE rl.gid = $1 AND rl.sku = $2 AND r.status = 'confirmed'
      ORDER BY r.created_at, rl.branch_id, rl.line_no, rl.location_id, rl.owner_id`,
    [event.orderId, event.sku],
  );
  return rows.map((r) => ({ ownerId: r.owner_id, quantity: Number(r.quantity) }));
}

/** Units of the SKU earlier returns of the order (other than this one) already put back, per owner. */
async function creditedOwners(tx: SqlExecutor, event: OrderReturnDisposedEvent, ownKey: string): Promise<OwnerUnits[]> {
  const rows = await queryRows<{ owner_id: string; quantity: number }>(
    tx,
    `SELECT line->>'ownerId' AS owner_id, sum((line->>'quantity')::int)::int AS quantity
       FROM stock_operations op CROSS JOIN LATERAL jsonb_array_elements(op.request->'lines') AS line
      WHERE op.kind = 'return' AND op.request->>'orderId' = $1 AND op.idempotency_key <> $2 AND line->>'sku' = $3
      GROUP BY 1`,
    [event.orderId, ownKey, event.sku],
  );
  return rows.map((r) => ({ ownerId: r.owner_id, quantity: Number(r.quantity) }));
}

/** The retailer owner to credit when no deduction says whose the units were. */
async function fallbackOwner(tx: SqlExecutor, event: OrderReturnDisposedEvent): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    `SELECT o.id FROM owners o
      WHERE o.type = 'retailer'
      ORDER BY EXISTS (SELECT 1 FROM stock_levels l WHERE l.owner_id = o.id AND l.location_id = $1 AND l.sku = $2) DESC,
               EXISTS (SELECT 1 FROM stock_levels l WHERE l.owner_id = o.id AND l.location_id = $1) DESC,
               o.created_at, o.id
      LIMIT 1`,
    [event.locationId, event.sku],
  );
  if (!row) {
    throw new DomainError(DomainErrorType.NotAllowed, 'NO_OWNER_TO_CREDIT', `no deduction of ${event.sku} for order ${event.orderId} and no retailer owner to credit the return to`);
  }
  return row.id;
}
