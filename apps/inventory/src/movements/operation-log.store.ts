import { createHash } from 'node:crypto';
import type { SqlExecutor } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows } from './sql-rows';

/** Kinds of internal stock write that are made idempotent by the log. */
export type StockOperationKind = 'receipt' | 'return' | 'adjustment' | 'stocktake' | 'transfer' | 'transfer-receive';

/** What claiming a key found. */
export type OperationClaim<R> =
  | { readonly status: 'claimed'; readonly operationId: string }
  | { readonly status: 'done'; readonly operationId: string; readonly result: R };

/** JSON with object keys sorted, so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Hash identifying a request: its kind and its canonical body. */
export function requestHash(kind: StockOperationKind, body: unknown): string {
  return createHash('sha256').update(kind).update('\n').update(canonicalJson(body)).digest('hex');
}

/**
 * The idempotency log of internal stock writes. A key is claimed inside the operation's
 * transaction: a concurrent request with the same key waits on the primary key until the first
 * commits (then finds its result) or rolls back (then claims it itself), so a repeat has no
 * second effect. The same key with a different body is refused.
 */
export class OperationLogStore {
  /** Claims `key` for a new operation, or returns the stored result of the first one. */
  async claim<R>(
    tx: SqlExecutor,
    key: string,
    kind: StockOperationKind,
    body: unknown,
    operationId: string,
  ): Promise<OperationClaim<R>> {
    const hash = requestHash(kind, body);
    const inserted = await queryRows(
      tx,
      `INSERT INTO stock_operations (idempotency_key, kind, request_hash, operation_id, request)
       VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (idempotency_key) DO NOTHING RETURNING operation_id`,
      [key, kind, hash, operationId, JSON.stringify(body)],
    );
    if (inserted.length === 1) return { status: 'claimed', operationId };
    const [row] = await queryRows<{ request_hash: string; operation_id: string; result: R | null }>(
      tx,
      `SELECT request_hash, operation_id, result FROM stock_operations WHERE idempotency_key = $1`,
      [key],
    );
    if (!row || row.request_hash !== hash || row.result === null) {
      throw new DomainError(
        DomainErrorType.Conflict,
        'IDEMPOTENCY_KEY_REUSED',
        'This idempotency key was already used for a different request',
        [{ field: 'Idempotency-Key', reason: 'already used with another body or operation' }],
      );
    }
    return { status: 'done', operationId: row.operation_id, result: row.result };
  }

  /** Stores the result a repeat of the request will get. */
  async complete(tx: SqlExecutor, key: string, result: unknown): Promise<void> {
    await tx.query(`UPDATE stock_operations SET result = $2::jsonb WHERE idempotency_key = $1`, [key, JSON.stringify(result)]);
  }
}

/** The key of a write: the Idempotency-Key header, else the document id; one of them is required. */
export function idempotencyKeyOf(header: string | undefined, documentId: string | undefined): string {
  const key = header?.trim();
  if (key) {
    if (key.length > 200) {
      throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'Idempotency-Key is too long', [
        { field: 'Idempotency-Key', reason: 'must be at most 200 characters' },
      ]);
    }
    return `key:${key}`;
  }
  if (documentId) return `doc:${documentId}`;
  throw new DomainError(DomainErrorType.InvalidInput, 'IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header or a documentId', [
    { field: 'Idempotency-Key', reason: 'required when the body has no documentId' },
  ]);
}
