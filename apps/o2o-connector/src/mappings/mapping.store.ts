import { queryRows, type SqlExecutor } from '@omni/sql';
import type { PlatformMappings } from '../domain/id-mapping';

/** Our SKU and location ids ↔ a platform's ids (tables o2o_sku_mappings, o2o_store_mappings). */
export class MappingStore {
  /** Every mapping of one platform. */
  async load(db: SqlExecutor, platform: string): Promise<PlatformMappings> {
    const skus = await queryRows<{ sku: string; platform_sku: string }>(db, `SELECT sku, platform_sku FROM o2o_sku_mappings WHERE platform = $1`, [platform]);
    const stores = await queryRows<{ location_id: string; platform_store: string }>(
      db,
      `SELECT location_id, platform_store FROM o2o_store_mappings WHERE platform = $1`,
      [platform],
    );
    return {
      skus: skus.map((row) => ({ sku: row.sku, platformSku: row.platform_sku })),
      stores: stores.map((row) => ({ locationId: row.location_id, platformStore: row.platform_store })),
    };
  }

  /** Sets SKU mappings (ours → theirs), replacing an earlier mapping of the same SKU; clears them from the unmapped report. */
  async putSkus(db: SqlExecutor, platform: string, mappings: Array<{ sku: string; platformSku: string }>): Promise<void> {
    await db.query(
      `INSERT INTO o2o_sku_mappings (platform, sku, platform_sku)
       SELECT $1, * FROM unnest($2::text[], $3::text[])
       ON CONFLICT (platform, sku) DO UPDATE SET platform_sku = EXCLUDED.platform_sku, updated_at = now()`,
      [platform, mappings.map((m) => m.sku), mappings.map((m) => m.platformSku)],
    );
    await db.query(`DELETE FROM o2o_unmapped WHERE platform = $1 AND kind = 'sku' AND our_id = ANY($2::text[])`, [platform, mappings.map((m) => m.sku)]);
  }

  /** Sets store mappings (our location → their store or warehouse). */
  async putStores(db: SqlExecutor, platform: string, mappings: Array<{ locationId: string; platformStore: string }>): Promise<void> {
    await db.query(
      `INSERT INTO o2o_store_mappings (platform, location_id, platform_store)
       SELECT $1, * FROM unnest($2::text[], $3::text[])
       ON CONFLICT (platform, location_id) DO UPDATE SET platform_store = EXCLUDED.platform_store, updated_at = now()`,
      [platform, mappings.map((m) => m.locationId), mappings.map((m) => m.platformStore)],
    );
    await db.query(`DELETE FROM o2o_unmapped WHERE platform = $1 AND kind = 'store' AND our_id = ANY($2::text[])`, [platform, mappings.map((m) => m.locationId)]);
  }

  /** Removes one SKU mapping; false when there was none. Its values are no longer pushed (reported unmapped). */
  async deleteSku(db: SqlExecutor, platform: string, sku: string): Promise<boolean> {
    const rows = await queryRows(db, `DELETE FROM o2o_sku_mappings WHERE platform = $1 AND sku = $2 RETURNING sku`, [platform, sku]);
    return rows.length > 0;
  }

  /** Removes one store mapping; false when there was none. */
  async deleteStore(db: SqlExecutor, platform: string, locationId: string): Promise<boolean> {
    const rows = await queryRows(db, `DELETE FROM o2o_store_mappings WHERE platform = $1 AND location_id = $2 RETURNING location_id`, [platform, locationId]);
    return rows.length > 0;
  }
}
