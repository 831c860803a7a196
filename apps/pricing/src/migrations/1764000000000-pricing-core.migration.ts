import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pricing's own tables: price data (base prices, channel price lists), versioned rules and coupon
 * templates, quotes, quote locks with flash-sale counters, the published effective prices, the
 * boundary cursor and the idempotency log of writes.
 */
export class PricingCore1764000000000 implements MigrationInterface {
  name = 'PricingCore1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES.slice().reverse()) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    await queryRunner.query('DROP SEQUENCE IF EXISTS price_change_version_seq');
  }
}

const TABLES = [
  'pricing_revision',
  'base_prices',
  'channel_prices',
  'price_rules',
  'price_rule_versions',
  'coupon_templates',
  'coupon_template_versions',
  'quotes',
  'quote_locks',
  'flash_sale_counters',
  'flash_sale_member_usage',
  'effective_prices',
  'price_schedule_cursor',
  'pricing_idempotency',
];

const UP = [
  // One row whose revision grows with every write, so replicas know when to rebuild their engine.
  `CREATE TABLE pricing_revision (id smallint PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`,
  `INSERT INTO pricing_revision (id, revision) VALUES (1, 1)`,
  `CREATE TABLE base_prices (
    sku text PRIMARY KEY,
    amount bigint NOT NULL CHECK (amount >= 0),
    category_ids text[] NOT NULL DEFAULT '{}',
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE channel_prices (
    channel text NOT NULL,
    sku text NOT NULL,
    amount bigint NOT NULL CHECK (amount >= 0),
    effective_from timestamptz NULL,
    effective_to timestamptz NULL,
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, sku),
    CHECK (effective_from IS NULL OR effective_to IS NULL OR effective_to > effective_from)
  )`,
  `CREATE TABLE price_rules (
    id text PRIMARY KEY,
    kind text NOT NULL,
    latest_version integer NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE price_rule_versions (
    id text NOT NULL REFERENCES price_rules (id),
    version integer NOT NULL,
    definition jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
  )`,
  `CREATE TABLE coupon_templates (
    id text PRIMARY KEY,
    code text NOT NULL UNIQUE,
    kind text NOT NULL,
    latest_version integer NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE coupon_template_versions (
    id text NOT NULL REFERENCES coupon_templates (id),
    version integer NOT NULL,
    definition jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
  )`,
  `CREATE TABLE quotes (
    id uuid PRIMARY KEY,
    channel text NOT NULL,
    member_id text NULL,
    request jsonb NOT NULL,
    result jsonb NOT NULL,
    total bigint NOT NULL,
    currency text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    locked_by_gid text NULL
  )`,
  `CREATE TABLE quote_locks (
    gid text NOT NULL,
    branch_id text NOT NULL,
    quote_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('locked', 'rejected', 'confirmed', 'cancelled')),
    flash_sale_units jsonb NOT NULL DEFAULT '[]',
    member_id text NULL,
    deadline timestamptz NOT NULL,
    reasons jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gid, branch_id)
  )`,
  `CREATE INDEX quote_locks_quote_idx ON quote_locks (quote_id)`,
  // The cap is enforced by the row itself: an increment that would pass it updates nothing.
  `CREATE TABLE flash_sale_counters (
    rule_id text PRIMARY KEY,
    cap integer NOT NULL CHECK (cap >= 0),
    sold integer NOT NULL DEFAULT 0 CHECK (sold >= 0)
  )`,
  `CREATE TABLE flash_sale_member_usage (
    rule_id text NOT NULL,
    member_id text NOT NULL,
    units integer NOT NULL CHECK (units >= 0),
    PRIMARY KEY (rule_id, member_id)
  )`,
  // The last effective price published per SKU × channel: deltas are computed against it.
  `CREATE TABLE effective_prices (
    sku text NOT NULL,
    channel text NOT NULL,
    amount bigint NULL,
    currency text NOT NULL,
    version bigint NOT NULL,
    effective_from timestamptz NOT NULL,
    PRIMARY KEY (sku, channel)
  )`,
  `CREATE SEQUENCE price_change_version_seq`,
  `CREATE TABLE price_schedule_cursor (id smallint PRIMARY KEY CHECK (id = 1), published_through timestamptz NOT NULL)`,
  `CREATE TABLE pricing_idempotency (
    key text NOT NULL,
    scope text NOT NULL,
    request_hash text NOT NULL,
    status integer NULL,
    response jsonb NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
  )`,
];
