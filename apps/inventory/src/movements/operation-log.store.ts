import { claimIdempotencyKey, completeIdempotencyKey, DomainError, DomainErrorType } from '@omni/platform';
import type { SqlExecutor } from '@omni/sql';

/** Kinds of internal stock write that are made idempotent by the log. */
export type StockOperationKind = 'receipt' | 'return' | 'adjustment' | 'stocktake' | 'transfer' | 'transfer-receive';

/** What claiming a key found. */
export type OperationClaim<R> =
  | { readonly status: 'claimed'; readonly operationId: string }
  | { readonly status: 'done'; readonly operationId: string; readonly result: R };

/**
 * The log of internal stock writes: each operation's key, kind, id and request (return intake
 * reads earlier returns from it). Whether a key was used, and the answer a repeat gets, is the
 * platform's idempotency record (same transaction): a concurrent request with the same key waits
 * on it until the first commits (then finds its result) or rolls back (then claims it itself), so
 * a repeat has no second effect; the same key with another body or kind is refused.
 */
export class OperationLogStore {
  /** Claims `key` for a new operation, or returns the stored result of the first one. */
  async claim<R extends { operationId: string }>(
    tx: SqlExecutor,
    key: string,
    kind: StockOperationKind,
    body: unknown,
    operationId: string,
  ): Promise<OperationClaim<R>> {
    const claim = await claimIdempotencyKey<R>(tx, key, kind, body);
    if (claim.status === 'replay') return { status: 'done', operationId: claim.response.operationId, result: claim.response };
    await tx.query(`INSERT INTO stock_operations (idempotency_key, kind, operation_id, request) VALUES ($1, $2, $3, $4::jsonb)`, [
      key,
      kind,
      operationId,
      JSON.stringify(body),
    ]);
    return { status: 'claimed', operationId };
  }

  /** Stores the result a repeat of the request will get. */
  async complete(tx: SqlExecutor, key: string, result: { operationId: string }): Promise<void> {
    await completeIdempotencyKey(tx, key, result);
  }
}

/**
 * The key of a write: the Idempotency-Key header (already checked at the edge against the
 * platform's rule), else the document id; one of them is required.
 */
export function idempotencyKeyOf(header: string | undefined, documentId: string | undefined): string {
  if (header) return `key:${header}`;
  if (documentId) return `doc:${documentId}`;
  throw new DomainError(DomainErrorType.InvalidInput, 'IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header or a documentId', [
    { field: 'Idempotency-Key', reason: 'required when the body has no documentId' },
  ]);
}
