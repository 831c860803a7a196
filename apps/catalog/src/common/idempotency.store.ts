import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';
import { runTransaction } from './transaction';

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

/** Longest Idempotency-Key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The Idempotency-Key header, trimmed; undefined when absent; 400 when too long. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  const key = header?.trim();
  if (!key) return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'Idempotency-Key is too long', [
      { field: 'Idempotency-Key', reason: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
    ]);
  }
  return key;
}

/**
 * Runs creates at most once per Idempotency-Key. The key is claimed inside the create's
 * transaction: a concurrent repeat waits on the primary key until the first commits (then gets its
 * stored result) or rolls back (then runs itself). The same key with another body is refused.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction, once per `key` within `scope`; without a key it simply runs. */
  run<R>(key: string | undefined, scope: string, body: unknown, work: (tx: EntityManager) => Promise<R>): Promise<R> {
    return runTransaction(this.dataSource, async (tx) => {
      if (key === undefined) return work(tx);
      const hash = createHash('sha256').update(scope).update('\n').update(canonicalJson(body)).digest('hex');
      const claimed = await queryRows(
        tx,
        `INSERT INTO idempotency_keys (key, scope, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, scope, hash],
      );
      if (claimed.length === 0) {
        const [row] = await queryRows<{ scope: string; request_hash: string; response: R | null }>(
          tx,
          `SELECT scope, request_hash, response FROM idempotency_keys WHERE key = $1`,
          [key],
        );
        if (!row || row.scope !== scope || row.request_hash !== hash || row.response === null) {
          throw new DomainError(DomainErrorType.Conflict, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', [
            { field: 'Idempotency-Key', reason: 'already used with another body or route' },
          ]);
        }
        return row.response;
      }
      const result = await work(tx);
      await tx.query(`UPDATE idempotency_keys SET response = $2::jsonb WHERE key = $1`, [key, JSON.stringify(result)]);
      return result;
    });
  }
}
