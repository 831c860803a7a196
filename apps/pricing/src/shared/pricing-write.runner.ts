import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '@omni/sql';

/** Advisory lock key that serialises every write of pricing data and the boundary publisher. */
export const PRICING_WRITE_LOCK = 0x70726963; // 'pric'

/**
 * Runs a write of pricing data in one transaction: takes the write lock (so effective-price deltas
 * are computed against a stable "last published" state, across replicas) and bumps the revision
 * that tells every replica to rebuild its quote engine.
 */
export class PricingWriteRunner {
  private readonly committed = new Set<() => void>();

  constructor(private readonly dataSource: DataSource) {}

  /** `work` runs after the lock is held and the revision bumped; everything commits together. */
  async run<T>(work: (tx: EntityManager, revision: number) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PRICING_WRITE_LOCK]);
      const [row] = await queryRows<{ revision: string }>(tx, 'UPDATE pricing_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision');
      return work(tx, Number(row.revision));
    });
    for (const listener of this.committed) listener();
    return result;
  }

  /** Calls `listener` after each write of this replica commits (e.g. the boundary scheduler, whose next boundary may have moved). */
  onCommitted(listener: () => void): void {
    this.committed.add(listener);
  }
}
