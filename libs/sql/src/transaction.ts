import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableConflict } from './pg-errors';

/** Runs of one unit of work before a deadlock is given up (then it surfaces as an error). */
const ATTEMPTS = 4;

/**
 * Runs `work` in one transaction, running it again (up to four runs) when Postgres aborted it
 * only to break a deadlock or a serialization conflict: writes that lock many rows can cross one
 * another, and the loser is retried rather than answered with a 5xx. `work` must be safe to rerun,
 * which it is when all its effects are in the transaction.
 */
export async function runTransaction<R>(source: Pick<DataSource, 'transaction'>, work: (tx: EntityManager) => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await source.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

/** What a unit of work run by runPgTransaction decided: commit or roll back, and its value either way. */
export interface TransactionOutcome<T> {
  commit: boolean;
  value: T;
}

/**
 * Runs `work` in a READ COMMITTED transaction on a pooled pg connection; the work decides whether
 * it commits. A connection whose ROLLBACK failed is destroyed rather than returned to the pool in
 * an unknown state.
 */
export async function runPgTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<TransactionOutcome<T>>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const { commit, value } = await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `work` in one transaction on a pooled pg connection: committed when it returns, rolled back when it throws. */
export function inPgTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return runPgTransaction(pool, async (client) => ({ commit: true, value: await work(client) }));
}
