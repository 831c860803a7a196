import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Id mappings per platform, the stock each platform should show (our latest channel ATP per SKU ×
 * location, with the version the platform acknowledged) and what could not be pushed for want of a
 * mapping. The wanted value is stored before the event's offset moves, so a crash loses nothing.
 */
export class O2oStockSync1766000000000 implements MigrationInterface {
  /** Creates the mapping and sync tables. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE o2o_sku_mappings (
        platform text NOT NULL,
        sku text NOT NULL,
        platform_sku text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, sku),
        UNIQUE (platform, platform_sku)
      )`);
    await queryRunner.query(`
      CREATE TABLE o2o_store_mappings (
        platform text NOT NULL,
        location_id text NOT NULL,
        platform_store text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, location_id),
        UNIQUE (platform, platform_store)
      )`);
    await queryRunner.query(`
      CREATE TABLE o2o_stock_sync (
        platform text NOT NULL,
        sku text NOT NULL,
        location_id text NOT NULL,
        quantity integer NOT NULL CHECK (quantity >= 0),
        version bigint NOT NULL,
        observed_at timestamptz NOT NULL,
        acked_version bigint NOT NULL DEFAULT 0,
        acked_at timestamptz,
        PRIMARY KEY (platform, sku, location_id)
      )`);
    await queryRunner.query(`CREATE INDEX o2o_stock_sync_unacked ON o2o_stock_sync (platform) WHERE acked_version < version`);
    await queryRunner.query(`
      CREATE TABLE o2o_unmapped (
        platform text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('sku', 'store')),
        our_id text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        occurrences bigint NOT NULL DEFAULT 1,
        PRIMARY KEY (platform, kind, our_id)
      )`);
  }

  /** Drops them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE o2o_unmapped, o2o_stock_sync, o2o_sku_mappings, o2o_store_mappings`);
  }
}
