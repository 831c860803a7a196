import type { DataSource, EntityManager } from 'typeorm';
import { pgErrorCode } from './sql';

/** Postgres deadlock_detected and serialization_failure: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
/** Runs of one write before a deadlock is given up (then it surfaces as an error). */
const ATTEMPTS = 4;

/** True when Postgres rolled the transaction back only because of a concurrent one. */
export function isRetryableConflict(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * Runs `work` in one transaction, running it again when Postgres broke a deadlock by aborting it.
 * Writes that touch many products (a profile, brand or category change) take row locks in an order
 * that can cross a single-product write; the loser is retried rather than answered with a 5xx.
 */
export async function runTransaction<R>(dataSource: DataSource, work: (tx: EntityManager) => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}
