import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { queryRows } from '@omni/sql';
import { QuoteLockService } from './quote-lock.service';

/**
 * Cancels quote locks whose order was not confirmed by deadline + grace, through the same Cancel
 * path as the saga: the barrier records the cancel (a late Confirm is refused) and the flash-sale
 * units go back to the cap. Each lock is taken with FOR UPDATE SKIP LOCKED on its barrier Try row,
 * the row Confirm and Cancel lock first, so replicas share the work without waiting on each other.
 */
export class QuoteLockExpirySweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly locks: QuoteLockService,
    private readonly graceMs: number,
    private readonly clock: Clock,
  ) {}

  /** Cancels up to `limit` expired locks; returns how many it cancelled. */
  async sweepOnce(limit = 200): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.graceMs);
    let cancelled = 0;
    for (let taken = 0; taken < limit; taken++) {
      const done = await this.dataSource.transaction(async (tx) => {
        const [row] = await queryRows<{ gid: string; branch_id: string; quote_id: string }>(
          tx,
          `SELECT l.gid, l.branch_id, l.quote_id FROM quote_locks l
             JOIN tcc_barrier b ON b.gid = l.gid AND b.branch_id = l.branch_id AND b.op = 'try'
            WHERE l.status = 'locked' AND l.deadline < $1
            ORDER BY l.deadline LIMIT 1 FOR UPDATE OF b SKIP LOCKED`,
          [cutoff],
        );
        if (!row) return null;
        // Cancel settles by gid and branch id only; the channel is not consulted.
        const reply = await this.locks.cancelIn(tx, { gid: row.gid, branchId: row.branch_id, quoteId: row.quote_id, channel: 'expiry' });
        return reply.outcome === 'success';
      });
      if (done === null) break;
      if (done) cancelled++;
    }
    return cancelled;
  }
}
