import { createHash } from 'node:crypto';
import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows, SqlTx } from './sql.util';

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

/** The Idempotency-Key header, trimmed; undefined when absent; 400 when too long. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  const key = header?.trim();
  if (!key) return undefined;
  if (key.length > 200) {
    throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'Idempotency-Key is too long', [
      { field: 'Idempotency-Key', reason: 'must be at most 200 characters' },
    ]);
  }
  return key;
}

/**
 * Makes a write idempotent inside its own transaction: the key is claimed with the write, so a
 * repeat (even a concurrent one, which waits on the key's row) gets the first result and has no
 * second effect; the same key with another request is refused with 409.
 */
export async function withIdempotency<T>(tx: SqlTx, key: string | undefined, scope: string, request: unknown, work: () => Promise<T>): Promise<T> {
  if (key === undefined) return work();
  const hash = createHash('sha256').update(scope).update('\n').update(canonicalJson(request)).digest('hex');
  const claimed = await queryRows(
    tx,
    `INSERT INTO pricing_idempotency (key, scope, request_hash) VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [key, scope, hash],
  );
  if (claimed.length === 0) {
    const [row] = await queryRows<{ request_hash: string; response: T | null }>(
      tx,
      `SELECT request_hash, response FROM pricing_idempotency WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (!row || row.request_hash !== hash || row.response === null) {
      throw new DomainError(DomainErrorType.Conflict, 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request', [
        { field: 'Idempotency-Key', reason: 'already used with another body or operation' },
      ]);
    }
    return row.response;
  }
  const result = await work();
  await tx.query(`UPDATE pricing_idempotency SET response = $3::jsonb, status = 200 WHERE scope = $1 AND key = $2`, [scope, key, JSON.stringify(result ?? null)]);
  return result;
}
