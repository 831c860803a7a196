import { queryRows, type SqlExecutor } from '@omni/sql';
import { DomainError, DomainErrorType } from '../errors/domain-error';
import { requestHash } from './canonical-json';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key';

/** The table of idempotency records every service that takes an Idempotency-Key keeps (IdempotencyRecords migration). */
export const IDEMPOTENCY_TABLE = 'idempotency_records';

/** What claiming a key found: the key is ours to run the request under, or the first answer to replay. */
export type IdempotencyClaim<R> = { readonly status: 'claimed' } | { readonly status: 'replay'; readonly response: R };

/** 409 for an Idempotency-Key already used with another request (route or body): the one reuse answer. */
export function idempotencyKeyReused(): DomainError {
  return new DomainError(DomainErrorType.Conflict, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', [
    { field: IDEMPOTENCY_KEY_HEADER, reason: 'already used with another body or route' },
  ]);
}

// The replay rule, whichever service runs it: a key is claimed inside the write's own transaction,
// so a concurrent repeat waits on the key's row until the first commits (then replays its answer)
// or rolls back (then claims the key itself) and a repeat never has a second effect. The same key
// with the same request (scope and canonical body) gets the first answer; with another request it
// is refused with idempotencyKeyReused().

/** Claims `key` for the request (`scope`, `body`) in `tx`, or finds the answer of its first run. */
export async function claimIdempotencyKey<R>(tx: SqlExecutor, key: string, scope: string, body: unknown): Promise<IdempotencyClaim<R>> {
  const hash = requestHash(body, scope);
  const claimed = await queryRows(
    tx,
    `INSERT INTO ${IDEMPOTENCY_TABLE} (key, scope, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, scope, hash],
  );
  if (claimed.length === 1) return { status: 'claimed' };
  const [row] = await queryRows<{ request_hash: string; response: R; completed: boolean }>(
    tx,
    `SELECT request_hash, response, response IS NOT NULL AS completed FROM ${IDEMPOTENCY_TABLE} WHERE key = $1`,
    [key],
  );
  // Not completed: the first run committed its claim without an answer, which only a caller's bug does.
  if (!row || row.request_hash !== hash || !row.completed) throw idempotencyKeyReused();
  return { status: 'replay', response: row.response };
}

/** Stores the answer a repeat of the request under `key` replays (in the same transaction as the claim). */
export async function completeIdempotencyKey(tx: SqlExecutor, key: string, response: unknown): Promise<void> {
  await tx.query(`UPDATE ${IDEMPOTENCY_TABLE} SET response = $2::jsonb WHERE key = $1`, [key, JSON.stringify(response ?? null)]);
}

/** Runs `work` once per `key` (claim, work, store its answer) in the caller's transaction `tx`; without a key it simply runs. */
export async function withIdempotency<R>(tx: SqlExecutor, key: string | undefined, scope: string, body: unknown, work: () => Promise<R>): Promise<R> {
  if (key === undefined) return work();
  const claim = await claimIdempotencyKey<R>(tx, key, scope, body);
  if (claim.status === 'replay') return claim.response;
  const response = await work();
  await completeIdempotencyKey(tx, key, response);
  return response;
}
