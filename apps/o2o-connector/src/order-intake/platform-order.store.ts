import { queryRows, type SqlExecutor } from '@omni/sql';

/** A platform order as the connector recorded it. */
export interface PlatformOrderRecord {
  platform: string;
  platformOrderId: string;
  orderId: string | null;
  locationId: string | null;
  status: 'received' | 'accepted' | 'rejected' | 'cancelled';
  reason: string | null;
  totalAmount: number | null;
  currency: string | null;
  platformTotal: number;
  receivedAt: string;
  lastStatusSent: string | null;
}

type Row = {
  platform: string;
  platform_order_id: string;
  order_id: string | null;
  location_id: string | null;
  status: PlatformOrderRecord['status'];
  reason: string | null;
  total_amount: string | null;
  currency: string | null;
  platform_total: string;
  received_at: Date;
  last_status_sent: string | null;
};

const COLUMNS = 'platform, platform_order_id, order_id, location_id, status, reason, total_amount, currency, platform_total, received_at, last_status_sent';

function toRecord(row: Row): PlatformOrderRecord {
  return {
    platform: row.platform,
    platformOrderId: row.platform_order_id,
    orderId: row.order_id,
    locationId: row.location_id,
    status: row.status,
    reason: row.reason,
    totalAmount: row.total_amount === null ? null : Number(row.total_amount),
    currency: row.currency?.trim() ?? null,
    platformTotal: Number(row.platform_total),
    receivedAt: new Date(row.received_at).toISOString(),
    lastStatusSent: row.last_status_sent,
  };
}

/** Platform orders ↔ our orders, and what we answered the platform (table o2o_platform_orders). */
export class PlatformOrderStore {
  /** Records a platform order on its first delivery (a redelivery keeps the first record); returns the record. */
  async received(db: SqlExecutor, platform: string, platformOrderId: string, platformTotal: number): Promise<PlatformOrderRecord> {
    await db.query(
      `INSERT INTO o2o_platform_orders (platform, platform_order_id, status, platform_total) VALUES ($1, $2, 'received', $3)
       ON CONFLICT (platform, platform_order_id) DO NOTHING`,
      [platform, platformOrderId, platformTotal],
    );
    return (await this.find(db, platform, platformOrderId))!;
  }

  /** Links our order (once created) to the platform order. */
  async linked(db: SqlExecutor, platform: string, platformOrderId: string, order: { id: string; total: number; currency: string }, locationId: string): Promise<void> {
    await db.query(
      `UPDATE o2o_platform_orders SET order_id = $3, total_amount = $4, currency = $5, location_id = $6 WHERE platform = $1 AND platform_order_id = $2`,
      [platform, platformOrderId, order.id, order.total, order.currency, locationId],
    );
  }

  /** Records what we answered (accepted, rejected with a reason, cancelled). */
  async decided(db: SqlExecutor, platform: string, platformOrderId: string, status: 'accepted' | 'rejected' | 'cancelled', reason: string | null): Promise<void> {
    await db.query(`UPDATE o2o_platform_orders SET status = $3, reason = $4, decided_at = now() WHERE platform = $1 AND platform_order_id = $2`, [
      platform,
      platformOrderId,
      status,
      reason,
    ]);
  }

  /** Records the last status the platform acknowledged. */
  async statusSent(db: SqlExecutor, orderId: string, status: string): Promise<void> {
    await db.query(`UPDATE o2o_platform_orders SET last_status_sent = $2 WHERE order_id = $1`, [orderId, status]);
  }

  /** One platform order. */
  async find(db: SqlExecutor, platform: string, platformOrderId: string): Promise<PlatformOrderRecord | undefined> {
    const [row] = await queryRows<Row>(db, `SELECT ${COLUMNS} FROM o2o_platform_orders WHERE platform = $1 AND platform_order_id = $2`, [platform, platformOrderId]);
    return row ? toRecord(row) : undefined;
  }

  /** The platform order behind one of our orders, if any. */
  async findByOrder(db: SqlExecutor, orderId: string): Promise<PlatformOrderRecord | undefined> {
    const [row] = await queryRows<Row>(db, `SELECT ${COLUMNS} FROM o2o_platform_orders WHERE order_id = $1`, [orderId]);
    return row ? toRecord(row) : undefined;
  }

  /** The orders we accepted from a platform on one UTC day (what its settlement should pay). */
  async acceptedOn(db: SqlExecutor, platform: string, day: string): Promise<PlatformOrderRecord[]> {
    const rows = await queryRows<Row>(
      db,
      `SELECT ${COLUMNS} FROM o2o_platform_orders
        WHERE platform = $1 AND status = 'accepted' AND received_at >= ($2::date::timestamp AT TIME ZONE 'UTC') AND received_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')
        ORDER BY platform_order_id`,
      [platform, day],
    );
    return rows.map(toRecord);
  }
}
