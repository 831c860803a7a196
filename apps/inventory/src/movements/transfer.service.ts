import { queryRows, type SqlExecutor } from '@omni/sql';
import { DomainError, DomainErrorType } from '@omni/platform';
import { v7 as uuidv7 } from 'uuid';
import { idempotencyKeyOf } from './operation-log.store';
import { PlannedMovement, requireKnown, StockOperationRunner, type OperationOutcome } from './stock-operation.runner';
import { TransferDto } from './stock-operation.dto';

/** Transfer lifecycle: goods sent and not yet received, or received. */
export type TransferStatus = 'in_transit' | 'received';

/** Extra result fields of a transfer operation. */
export interface TransferExtra {
  transfer: { id: string; fromLocationId: string; toLocationId: string; status: TransferStatus };
}

interface TransferRow {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: TransferStatus;
}

function transferNotFound(id: string): DomainError {
  return new DomainError(DomainErrorType.NotFound, 'TRANSFER_NOT_FOUND', `Transfer ${id} does not exist`, [{ field: 'id', reason: 'unknown transfer' }]);
}

/**
 * Moves stock between locations: transfer-out at the source and transfer-in at the destination,
 * in one transaction, or with the goods in transit until `receive`.
 */
export class TransferService {
  constructor(private readonly runner: StockOperationRunner) {}

  /** Sends stock from one location to another (received at once unless `inTransit`). */
  async transfer(body: TransferDto, idempotencyKey?: string): Promise<OperationOutcome<TransferExtra>> {
    if (body.fromLocationId === body.toLocationId) {
      throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'A transfer needs two different locations', [
        { field: 'toLocationId', reason: 'must differ from fromLocationId' },
      ]);
    }
    const key = idempotencyKeyOf(idempotencyKey, body.documentId);
    return this.runner.run('transfer', key, body, [], async (tx) => {
      await requireKnown(tx, {
        locations: [
          { id: body.fromLocationId, field: 'fromLocationId' },
          { id: body.toLocationId, field: 'toLocationId' },
        ],
        owners: body.lines.map((l, i) => ({ id: l.ownerId, field: `lines.${i}.ownerId` })),
      });
      const id = uuidv7();
      const status: TransferStatus = body.inTransit ? 'in_transit' : 'received';
      await tx.query(
        `INSERT INTO stock_transfers (id, from_location_id, to_location_id, status, received_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'received' THEN now() END)`,
        [id, body.fromLocationId, body.toLocationId, status],
      );
      await tx.query(
        `INSERT INTO stock_transfer_lines (transfer_id, line_no, sku, owner_id, quantity)
         SELECT $1, n - 1, sku, owner_id, quantity FROM unnest($2::text[], $3::uuid[], $4::int[]) WITH ORDINALITY AS l(sku, owner_id, quantity, n)`,
        [id, body.lines.map((l) => l.sku), body.lines.map((l) => l.ownerId), body.lines.map((l) => l.quantity)],
      );
      const movements: PlannedMovement[] = body.lines.map((l, i) => ({
        sku: l.sku, locationId: body.fromLocationId, ownerId: l.ownerId, type: 'transfer-out', onHandDelta: -l.quantity, reservedDelta: 0, ref: id, field: `lines.${i}.quantity`,
      }));
      if (status === 'received') {
        movements.push(
          ...body.lines.map((l, i): PlannedMovement => ({
            sku: l.sku, locationId: body.toLocationId, ownerId: l.ownerId, type: 'transfer-in', onHandDelta: l.quantity, reservedDelta: 0, ref: id, field: `lines.${i}.quantity`,
          })),
        );
      }
      return { movements, extra: { transfer: { id, fromLocationId: body.fromLocationId, toLocationId: body.toLocationId, status } } };
    });
  }

  /** Books the arrival of an in-transit transfer; receiving it again returns the first result. */
  async receive(transferId: string): Promise<OperationOutcome<TransferExtra>> {
    // The transfer id is the natural key: a transfer is received once.
    return this.runner.run('transfer-receive', `receive:${transferId}`, { transferId }, [], async (tx) => {
      const transfer = await lockTransfer(tx, transferId);
      if (transfer.status !== 'in_transit') {
        throw new DomainError(DomainErrorType.Conflict, 'TRANSFER_ALREADY_RECEIVED', `Transfer ${transferId} was already received`);
      }
      const lines = await queryRows<{ line_no: number; sku: string; owner_id: string; quantity: number }>(
        tx,
        `SELECT line_no, sku, owner_id, quantity FROM stock_transfer_lines WHERE transfer_id = $1 ORDER BY line_no`,
        [transferId],
      );
      await tx.query(`UPDATE stock_transfers SET status = 'received', received_at = now() WHERE id = $1`, [transferId]);
      const movements: PlannedMovement[] = lines.map((l) => ({
        sku: l.sku, locationId: transfer.to_location_id, ownerId: l.owner_id, type: 'transfer-in', onHandDelta: l.quantity, reservedDelta: 0, ref: transferId, field: `lines.${l.line_no}`,
      }));
      return {
        movements,
        extra: { transfer: { id: transferId, fromLocationId: transfer.from_location_id, toLocationId: transfer.to_location_id, status: 'received' as const } },
      };
    });
  }

  /** One transfer with its lines. */
  async get(tx: SqlExecutor, transferId: string): Promise<TransferExtra['transfer'] & { lines: Array<{ sku: string; ownerId: string; quantity: number }> }> {
    const [row] = await queryRows<TransferRow>(tx, `SELECT id, from_location_id, to_location_id, status FROM stock_transfers WHERE id = $1`, [transferId]);
    if (!row) throw transferNotFound(transferId);
    const lines = await queryRows<{ sku: string; owner_id: string; quantity: number }>(
      tx,
      `SELECT sku, owner_id, quantity FROM stock_transfer_lines WHERE transfer_id = $1 ORDER BY line_no`,
      [transferId],
    );
    return {
      id: row.id, fromLocationId: row.from_location_id, toLocationId: row.to_location_id, status: row.status,
      lines: lines.map((l) => ({ sku: l.sku, ownerId: l.owner_id, quantity: l.quantity })),
    };
  }
}

async function lockTransfer(tx: SqlExecutor, transferId: string): Promise<TransferRow> {
  const [row] = await queryRows<TransferRow>(
    tx,
    `SELECT id, from_location_id, to_location_id, status FROM stock_transfers WHERE id = $1 FOR UPDATE`,
    [transferId],
  );
  if (!row) throw transferNotFound(transferId);
  return row;
}
