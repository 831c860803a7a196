import { DomainError, DomainErrorType, type ErrorDetail } from '@omni/platform';
import { loadSkuStates } from '../stock/stock-reader';
import { idempotencyKeyOf } from './operation-log.store';
import { PlannedMovement, requireKnown, StockOperationRunner, type OperationOutcome } from './stock-operation.runner';
import { AdjustmentDto, ReceiptDto, ReturnDto, StocktakeDto } from './stock-operation.dto';

/** Extra result fields of a return. */
export interface ReturnExtra {
  orderId: string;
}

/** Extra result fields of a stocktake: the variance found per counted line. */
export interface StocktakeExtra {
  variances: Array<{ sku: string; locationId: string; ownerId: string; counted: number; onHandBefore: number; variance: number }>;
}

/**
 * Receipts, returns, adjustments and stocktakes: each one idempotent transaction of ledger rows
 * (through StockLedger, which also writes stock-changed) with low-stock evaluation.
 */
export class StockOperationsService {
  constructor(private readonly runner: StockOperationRunner) {}

  /** Goods arrived at locations: on hand goes up. */
  async receive(body: ReceiptDto, idempotencyKey?: string): Promise<OperationOutcome<Record<string, never>>> {
    const key = idempotencyKeyOf(idempotencyKey, body.documentId);
    return this.runner.run('receipt', key, body, [], async (tx) => {
      await requireKnown(tx, {
        locations: body.lines.map((l, i) => ({ id: l.locationId, field: `lines.${i}.locationId` })),
        owners: body.lines.map((l, i) => ({ id: l.ownerId, field: `lines.${i}.ownerId` })),
      });
      const movements: PlannedMovement[] = body.lines.map((l, i) => ({
        sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, type: 'receipt', onHandDelta: l.quantity, reservedDelta: 0, field: `lines.${i}.quantity`,
      }));
      return { movements, extra: {} };
    });
  }

  /** Returned goods are restocked at a location. */
  async restock(body: ReturnDto, idempotencyKey?: string): Promise<OperationOutcome<ReturnExtra>> {
    const key = idempotencyKeyOf(idempotencyKey, body.documentId);
    return this.runner.run('return', key, body, [], async (tx) => {
      await requireKnown(tx, {
        locations: [{ id: body.locationId, field: 'locationId' }],
        owners: body.lines.map((l, i) => ({ id: l.ownerId, field: `lines.${i}.ownerId` })),
      });
      const movements: PlannedMovement[] = body.lines.map((l, i) => ({
        sku: l.sku, locationId: body.locationId, ownerId: l.ownerId, type: 'return-restock', onHandDelta: l.quantity, reservedDelta: 0, field: `lines.${i}.quantity`,
      }));
      return { movements, extra: { orderId: body.orderId } };
    });
  }

  /** Signed corrections with a reason (damage, loss, found…). */
  async adjust(body: AdjustmentDto, idempotencyKey?: string): Promise<OperationOutcome<Record<string, never>>> {
    const key = idempotencyKeyOf(idempotencyKey, body.documentId);
    return this.runner.run('adjustment', key, body, [], async (tx) => {
      await requireKnown(tx, {
        locations: body.lines.map((l, i) => ({ id: l.locationId, field: `lines.${i}.locationId` })),
        owners: body.lines.map((l, i) => ({ id: l.ownerId, field: `lines.${i}.ownerId` })),
      });
      const movements: PlannedMovement[] = body.lines.map((l, i) => ({
        sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, type: 'adjustment', onHandDelta: l.delta, reservedDelta: 0, field: `lines.${i}.delta`,
      }));
      return { movements, extra: {} };
    });
  }

  /** Counted quantities replace on hand; each difference is a stocktake-variance movement. */
  async stocktake(body: StocktakeDto, idempotencyKey?: string): Promise<OperationOutcome<StocktakeExtra>> {
    const key = idempotencyKeyOf(idempotencyKey, body.documentId);
    refuseDuplicateCounts(body);
    return this.runner.run('stocktake', key, body, body.lines.map((l) => l.sku), async (tx) => {
      await requireKnown(tx, {
        locations: body.lines.map((l, i) => ({ id: l.locationId, field: `lines.${i}.locationId` })),
        owners: body.lines.map((l, i) => ({ id: l.ownerId, field: `lines.${i}.ownerId` })),
      });
      // Read under the SKU locks the runner already holds, so the variance is against the real count.
      const states = await loadSkuStates(tx, [...new Set(body.lines.map((l) => l.sku))]);
      const variances: StocktakeExtra['variances'] = [];
      const movements: PlannedMovement[] = [];
      const belowReserved: ErrorDetail[] = [];
      body.lines.forEach((l, i) => {
        const level = states.get(l.sku)?.levels.find((x) => x.locationId === l.locationId && x.ownerId === l.ownerId);
        const onHandBefore = level?.onHand ?? 0;
        const reserved = level?.reserved ?? 0;
        if (l.counted < reserved) {
          belowReserved.push({ field: `lines.${i}.counted`, reason: `${reserved} units are reserved there; release them before recording a lower count` });
        }
        const variance = l.counted - onHandBefore;
        variances.push({ sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, counted: l.counted, onHandBefore, variance });
        if (variance !== 0) {
          movements.push({
            sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, type: 'stocktake-variance', onHandDelta: variance, reservedDelta: 0, field: `lines.${i}.counted`,
          });
        }
      });
      if (belowReserved.length > 0) {
        throw new DomainError(DomainErrorType.Conflict, 'COUNT_BELOW_RESERVED', 'A count is below the units reserved at that location', belowReserved);
      }
      return { movements, extra: { variances } };
    });
  }
}

/** A count sheet naming the same SKU × location × owner twice is ambiguous. */
function refuseDuplicateCounts(body: StocktakeDto): void {
  const seen = new Map<string, number>();
  const details: ErrorDetail[] = [];
  body.lines.forEach((l, i) => {
    const k = `${l.sku}\u0000${l.locationId}\u0000${l.ownerId}`;
    const first = seen.get(k);
    if (first !== undefined) details.push({ field: `lines.${i}`, reason: `counts the same SKU, location and owner as lines.${first}` });
    else seen.set(k, i);
  });
  if (details.length > 0) throw new DomainError(DomainErrorType.InvalidInput, 'DUPLICATE_LINE', 'A stocktake line is repeated', details);
}
