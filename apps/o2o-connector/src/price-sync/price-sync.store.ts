import { queryRows, type SqlExecutor } from '@omni/sql';

/** Our wanted price of one SKU on one platform. */
export interface WantedPrice {
  sku: string;
  amount: number;
  currency: string;
  version: number;
  /** When it applies from (ms). */
  effectiveFrom: number;
}

type Row = { platform: string; sku: string; amount: string; currency: string; version: string; effective_from: Date };

function toWanted(row: Row): { platform: string } & WantedPrice {
  return { platform: row.platform, sku: row.sku, amount: Number(row.amount), currency: row.currency.trim(), version: Number(row.version), effectiveFrom: new Date(row.effective_from).getTime() };
}

/** The price each platform should show and what it acknowledged (table o2o_price_sync). */
export class PriceSyncStore {
  /** Records a newer price (an older or equal version changes nothing); returns it when applied. */
  async recordWanted(tx: SqlExecutor, platform: string, price: { sku: string; amount: number; currency: string; version: number; effectiveFrom: string }): Promise<({ platform: string } & WantedPrice) | undefined> {
    const [row] = await queryRows<Row>(
      tx,
      `INSERT INTO o2o_price_sync (platform, sku, amount, currency, version, effective_from) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, sku) DO UPDATE
         SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, version = EXCLUDED.version, effective_from = EXCLUDED.effective_from
         WHERE o2o_price_sync.version < EXCLUDED.version
       RETURNING platform, sku, amount, currency, version, effective_from`,
      [platform, price.sku, price.amount, price.currency, price.version, price.effectiveFrom],
    );
    return row ? toWanted(row) : undefined;
  }

  /** Every wanted price of a platform not yet acknowledged (a resync). */
  async unacknowledgedOf(db: SqlExecutor, platform: string): Promise<WantedPrice[]> {
    const rows = await queryRows<Row>(db, `SELECT platform, sku, amount, currency, version, effective_from FROM o2o_price_sync WHERE platform = $1 AND acked_version < version`, [platform]);
    return rows.map(toWanted);
  }

  /** Records the platform's acknowledgements (never lowering one). */
  async acknowledge(db: SqlExecutor, platform: string, prices: Array<{ sku: string; version: number }>): Promise<void> {
    if (prices.length === 0) return;
    await db.query(
      `UPDATE o2o_price_sync s SET acked_version = GREATEST(s.acked_version, a.version), acked_at = now()
       FROM unnest($2::text[], $3::bigint[]) AS a(sku, version) WHERE s.platform = $1 AND s.sku = a.sku`,
      [platform, prices.map((price) => price.sku), prices.map((price) => price.version)],
    );
  }
}
