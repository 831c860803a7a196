import { runPgTransaction, type SqlExecutor } from '@omni/sql';
import { Pool } from 'pg';
import { TxRunner } from './reservation.types';

/** Runs a unit of work in a READ COMMITTED transaction on a pooled pg connection (the @omni/sql helper). */
export class PgTxRunner implements TxRunner {
  constructor(private readonly pool: Pool) {}

  /** One statement on its own (autocommit) on a pooled connection. */
  query(sql: string, params: unknown[] = []): Promise<{ rows: unknown[] }> {
    return this.pool.query(sql, params);
  }

  run<T>(work: (tx: SqlExecutor) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    return runPgTransaction(this.pool, work);
  }
}
