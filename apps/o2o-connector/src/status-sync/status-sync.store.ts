import { queryRows, type SqlExecutor } from '@omni/sql';
import type { PlatformOrderStatus } from '../domain/platform-adapter.port';

/** A status the platform must be told. */
export interface DueStatus {
  platform: string;
  platformOrderId: string;
  orderId: string;
  status: PlatformOrderStatus;
  attempts: number;
}

/** The status each platform order should show on its platform, and what the platform was told (o2o_platform_orders). */
export class StatusSyncStore {
  /** Records the latest status of one of our orders when it is a platform order we accepted; false otherwise (not one, or rejected or cancelled at intake). */
  async want(tx: SqlExecutor, orderId: string, status: PlatformOrderStatus): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `UPDATE o2o_platform_orders SET wanted_status = $2, status_attempts = 0, status_due_at = now(), status_error = NULL
        WHERE order_id = $1 AND status = 'accepted' RETURNING platform`,
      [orderId, status],
    );
    return rows.length > 0;
  }

  /**
   * Claims due statuses for sending, locked until `tx` ends so two replicas never send the same one
   * at once (SKIP LOCKED: each takes what the other does not hold).
   */
  async claimDue(tx: SqlExecutor, limit: number): Promise<DueStatus[]> {
    const rows = await queryRows<{ platform: string; platform_order_id: string; order_id: string; wanted_status: PlatformOrderStatus; status_attempts: number }>(
      tx,
      `SELECT platform, platform_order_id, order_id, wanted_status, status_attempts FROM o2o_platform_orders
        WHERE wanted_status IS DISTINCT FROM last_status_sent AND wanted_status IS NOT NULL AND status_due_at <= now()
        ORDER BY status_due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({ platform: row.platform, platformOrderId: row.platform_order_id, orderId: row.order_id, status: row.wanted_status, attempts: row.status_attempts }));
  }

  /** When the earliest status not yet sent falls due (maybe already), or null when every status was sent. */
  async nextDueAt(executor: SqlExecutor): Promise<Date | null> {
    const [row] = await queryRows<{ at: Date | null }>(
      executor,
      `SELECT min(status_due_at) AS at FROM o2o_platform_orders WHERE wanted_status IS DISTINCT FROM last_status_sent AND wanted_status IS NOT NULL`,
    );
    return row?.at ? new Date(row.at) : null;
  }

  /** The platform took the status (or refused it for good, with the reason kept). */
  async sent(tx: SqlExecutor, due: DueStatus, error: string | null): Promise<void> {
    await tx.query(
      `UPDATE o2o_platform_orders SET last_status_sent = $3, status_error = $4 WHERE platform = $1 AND platform_order_id = $2 AND wanted_status = $3`,
      [due.platform, due.platformOrderId, due.status, error],
    );
  }

  /** The call failed: try again after `delayMs`. */
  async retryLater(tx: SqlExecutor, due: DueStatus, delayMs: number, error: string): Promise<void> {
    await tx.query(
      `UPDATE o2o_platform_orders SET status_attempts = status_attempts + 1, status_due_at = now() + make_interval(secs => $3::double precision / 1000), status_error = $4
        WHERE platform = $1 AND platform_order_id = $2`,
      [due.platform, due.platformOrderId, delayMs, error],
    );
  }
}
