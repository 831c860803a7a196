import { queryRows, type SqlExecutor } from '@omni/sql';
import type { WantedStock } from './stock-push.engine';

/** The wanted stock per platform and what each platform acknowledged (table o2o_stock_sync). */
export class StockSyncStore {
  /** Records our new value for each platform whose channel it concerns; returns the rows that were newer than what was held. */
  async recordWanted(
    tx: SqlExecutor,
    rows: Array<{ platform: string; sku: string; locationId: string; quantity: number; version: number; observedAt: string }>,
  ): Promise<Array<{ platform: string } & WantedStock>> {
    if (rows.length === 0) return [];
    const applied = await queryRows<{ platform: string; sku: string; location_id: string; quantity: number; version: string; observed_at: Date }>(
      tx,
      `INSERT INTO o2o_stock_sync (platform, sku, location_id, quantity, version, observed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::timestamptz[])
       ON CONFLICT (platform, sku, location_id) DO UPDATE
         SET quantity = EXCLUDED.quantity, version = EXCLUDED.version, observed_at = EXCLUDED.observed_at
         WHERE o2o_stock_sync.version < EXCLUDED.version
       RETURNING platform, sku, location_id, quantity, version, observed_at`,
      [
        rows.map((row) => row.platform),
        rows.map((row) => row.sku),
        rows.map((row) => row.locationId),
        rows.map((row) => row.quantity),
        rows.map((row) => row.version),
        rows.map((row) => row.observedAt),
      ],
    );
    return applied.map((row) => ({
      platform: row.platform,
      sku: row.sku,
      locationId: row.location_id,
      quantity: row.quantity,
      version: Number(row.version),
      observedAt: new Date(row.observed_at).getTime(),
    }));
  }

  /** Every wanted value of a platform (a full resync), with what it acknowledged. */
  async wantedOf(db: SqlExecutor, platform: string): Promise<Array<WantedStock & { ackedVersion: number }>> {
    const rows = await queryRows<{ sku: string; location_id: string; quantity: number; version: string; observed_at: Date; acked_version: string }>(
      db,
      `SELECT sku, location_id, quantity, version, observed_at, acked_version FROM o2o_stock_sync WHERE platform = $1`,
      [platform],
    );
    return rows.map((row) => ({
      sku: row.sku,
      locationId: row.location_id,
      quantity: row.quantity,
      version: Number(row.version),
      observedAt: new Date(row.observed_at).getTime(),
      ackedVersion: Number(row.acked_version),
    }));
  }

  /** Records the platform's acknowledgements (never lowering one). */
  async acknowledge(db: SqlExecutor, platform: string, pushes: WantedStock[]): Promise<void> {
    if (pushes.length === 0) return;
    await db.query(
      `UPDATE o2o_stock_sync s SET acked_version = GREATEST(s.acked_version, a.version), acked_at = now()
       FROM unnest($2::text[], $3::text[], $4::bigint[]) AS a(sku, location_id, version)
       WHERE s.platform = $1 AND s.sku = a.sku AND s.location_id = a.location_id`,
      [platform, pushes.map((push) => push.sku), pushes.map((push) => push.locationId), pushes.map((push) => push.version)],
    );
  }

  /** Counts an id that had no mapping when a value was due. */
  async recordUnmapped(db: SqlExecutor, platform: string, kind: 'sku' | 'store', ourId: string): Promise<void> {
    await db.query(
      `INSERT INTO o2o_unmapped (platform, kind, our_id) VALUES ($1, $2, $3)
       ON CONFLICT (platform, kind, our_id) DO UPDATE SET last_seen_at = now(), occurrences = o2o_unmapped.occurrences + 1`,
      [platform, kind, ourId],
    );
  }

  /** Ids still unmapped (a mapping added since clears them), most recent first. */
  async unmappedOf(db: SqlExecutor, platform: string): Promise<Array<{ kind: string; ourId: string; occurrences: number; lastSeenAt: string }>> {
    const rows = await queryRows<{ kind: string; our_id: string; occurrences: string; last_seen_at: Date }>(
      db,
      `SELECT kind, our_id, occurrences, last_seen_at FROM o2o_unmapped WHERE platform = $1 ORDER BY last_seen_at DESC LIMIT 500`,
      [platform],
    );
    return rows.map((row) => ({ kind: row.kind, ourId: row.our_id, occurrences: Number(row.occurrences), lastSeenAt: new Date(row.last_seen_at).toISOString() }));
  }

  /** Values the platform has not acknowledged yet, and the oldest of them. */
  async backlogOf(db: SqlExecutor, platform: string): Promise<{ unacknowledged: number; oldestObservedAt: string | null }> {
    const [row] = await queryRows<{ count: string; oldest: Date | null }>(
      db,
      `SELECT count(*) AS count, min(observed_at) AS oldest FROM o2o_stock_sync WHERE platform = $1 AND acked_version < version`,
      [platform],
    );
    return { unacknowledged: Number(row.count), oldestObservedAt: row.oldest ? new Date(row.oldest).toISOString() : null };
  }
}
