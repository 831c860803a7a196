import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog schema: brands, the category tree, display profiles, products with SKUs and per-channel
 * listings, the idempotency log of creates, stores with their assortments, and the shelf-label
 * feed with the prices and stock it is computed from.
 */
export class CatalogCore1764000000000 implements MigrationInterface {
  /** Creates every catalog table. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE brands (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE categories (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        parent_id uuid NULL REFERENCES categories(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_id IS DISTINCT FROM id)
      );
      CREATE INDEX categories_parent ON categories (parent_id);
      CREATE TABLE display_profiles (
        code text PRIMARY KEY,
        stock_hint jsonb NOT NULL,
        badges text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Feeds the export high-water mark: every product write takes the next value.
      CREATE SEQUENCE product_change_seq;
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        description text NULL,
        brand_id uuid NULL REFERENCES brands(id),
        category_ids uuid[] NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        media jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        change_seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX products_brand ON products (brand_id);
      CREATE INDEX products_categories ON products USING gin (category_ids);
      CREATE TABLE skus (
        code text PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX skus_product ON skus (product_id, created_at);
      CREATE TABLE product_listings (
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        channel text NOT NULL,
        visible boolean NOT NULL,
        title text NULL,
        media jsonb NULL,
        display_profile text NULL REFERENCES display_profiles(code),
        PRIMARY KEY (product_id, channel)
      );
      CREATE INDEX product_listings_profile ON product_listings (display_profile);
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        scope text NOT NULL,
        request_hash text NOT NULL,
        status integer NULL,
        response jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE stores (
        location_id uuid PRIMARY KEY,
        channel text NOT NULL,
        name text NOT NULL,
        low_stock_threshold integer NOT NULL DEFAULT 3 CHECK (low_stock_threshold >= 0),
        label_version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE store_assortments (
        location_id uuid NOT NULL REFERENCES stores(location_id),
        sku text NOT NULL REFERENCES skus(code),
        PRIMARY KEY (location_id, sku)
      );
      CREATE INDEX store_assortments_sku ON store_assortments (sku);
      CREATE TABLE shelf_labels (
        location_id uuid NOT NULL REFERENCES stores(location_id),
        sku text NOT NULL,
        product_id uuid NULL,
        title text NOT NULL,
        price_amount bigint NULL,
        price_currency text NULL,
        stock_hint jsonb NOT NULL,
        removed boolean NOT NULL DEFAULT false,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (location_id, sku)
      );
      CREATE INDEX shelf_labels_feed ON shelf_labels (location_id, version);
      -- '' as channel is the base price; every received price is kept so a future one can take over later.
      CREATE TABLE sku_prices (
        sku text NOT NULL,
        channel text NOT NULL,
        version bigint NOT NULL,
        amount bigint NOT NULL,
        currency text NOT NULL,
        effective_from timestamptz NOT NULL,
        -- False while effective_from is in the future; the activation sweep flips it and refreshes labels.
        activated boolean NOT NULL,
        PRIMARY KEY (sku, channel, version)
      );
      CREATE INDEX sku_prices_pending ON sku_prices (effective_from) WHERE NOT activated;
      CREATE TABLE sku_stock (
        sku text NOT NULL,
        location_id uuid NOT NULL,
        version bigint NOT NULL,
        available integer NOT NULL,
        PRIMARY KEY (sku, location_id)
      );
    `);
  }

  /** Drops every catalog table. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE sku_stock; DROP TABLE sku_prices; DROP TABLE shelf_labels; DROP TABLE store_assortments; DROP TABLE stores;
      DROP TABLE idempotency_keys; DROP TABLE product_listings; DROP TABLE skus; DROP TABLE products; DROP SEQUENCE product_change_seq;
      DROP TABLE display_profiles; DROP TABLE categories; DROP TABLE brands;
    `);
  }
}
