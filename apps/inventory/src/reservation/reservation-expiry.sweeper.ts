import { Clock, runTccBranch, SystemClock } from '@omni/tcc';
import { queryRows as sqlRows } from '@omni/sql';
import { SkuChange } from '../stock/stock-ledger';
import { ReservationService, snapshotOf } from './reservation.service';
import { TxRunner } from './reservation.types';

/**
 * Releases reservations whose deadline + grace has passed, through the same Cancel path as the saga
 * (so the barrier records a cancel and a late Confirm is refused). Each reservation is taken with
 * FOR UPDATE SKIP LOCKED on its barrier Try row — the row Confirm and Cancel lock first — so
 * replicas share the work without waiting on each other and without deadlocks.
 */
export class ReservationExpirySweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: TxRunner,
    private readonly service: ReservationService,
    private readonly graceMs: number,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  /** Releases up to `limit` expired reservations; returns how many were released. */
  async sweepOnce(limit = 200): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.graceMs);
    let released = 0;
    for (let taken = 0; taken < limit; taken++) {
      const changes = await this.db.run(async (tx) => {
        const [row] = await sqlRows(
          tx,
          `SELECT r.gid, r.branch_id FROM reservations r
             JOIN tcc_barrier b ON b.gid = r.gid AND b.branch_id = r.branch_id AND b.op = 'try'
            WHERE r.status = 'tried' AND r.deadline < $1
            ORDER BY r.deadline LIMIT 1 FOR UPDATE OF b SKIP LOCKED`,
          [cutoff.toISOString()],
        );
        if (!row) return { commit: false, value: null };
        const cmd = { gid: String(row.gid), branchId: String(row.branch_id) };
        let changes: SkuChange[] = [];
        const outcome = await runTccBranch(tx, { ...cmd, op: 'cancel' }, async () => {
          changes = await this.service.releaseInTx(tx, cmd, 'expired');
        });
        return { commit: true, value: { applied: outcome.status === 'applied', changes } };
      });
      if (changes === null) break;
      if (changes.applied) released++;
      await this.service.refreshCache(changes.changes.map(snapshotOf));
    }
    return released;
  }

  /** Sweeps every `intervalMs` until stopped; a failed pass is retried at the next tick. */
  start(intervalMs: number, onError: (error: unknown) => void = () => undefined): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweepOnce()
        .catch((error: unknown) => {
          onError(error);
          return 0;
        })
        .finally(() => (this.running = null));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
