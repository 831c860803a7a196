import { runPgTransaction, type SqlExecutor } from '@omni/sql';
import { Pool } from 'pg';

/** Runs work in one transaction (the work says whether to commit), or one statement on its own (`query`). */
export interface TxRunner extends SqlExecutor {
  /** Runs `work` in one transaction, committed when it says so. */
  run<T>(work: (tx: SqlExecutor) => Promise<{ commit: boolean; value: T }>): Promise<T>;
}

/** Runs a unit of work in a READ COMMITTED transaction on a pooled pg connection (the @omni/sql helper). */
export class PgTxRunner implements TxRunner {
  constructor(private readonly pool: Pool) {}

  /** One statement on its own (autocommit) on a pooled connection. */
  query(sql: string, params: unknown[] = []): Promise<{ rows: unknown[] }> {
    return this.pool.query(sql, params);
  }

  /** `work` in one transaction on a pooled connection. */
  run<T>(work: (tx: SqlExecutor) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    return runPgTransaction(this.pool, work);
  }
}
