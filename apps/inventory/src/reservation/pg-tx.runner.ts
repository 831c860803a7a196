import { Pool } from 'pg';
import { SqlRunner } from '../stock/sql-runner';
import { TxRunner } from './reservation.types';

/** Runs a unit of work in a READ COMMITTED transaction on a pooled pg connection. */
export class PgTxRunner implements TxRunner {
  constructor(private readonly pool: Pool) {}

  /** One statement on its own (autocommit) on a pooled connection. */
  query(sql: string, params: unknown[] = []): Promise<{ rows: unknown[] }> {
    return this.pool.query(sql, params);
  }

  async run<T>(work: (tx: SqlRunner) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    const client = await this.pool.connect();
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
}
