import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared core of the inventory schema: locations, owners, per-SKU serialisation rows,
 * channel allocations, stock levels (the database itself refuses an oversell through CHECKs),
 * the movement ledger and reservations. Other inventory features add their tables in their own
 * migrations.
 */
export class InventoryCore1763800000000 implements MigrationInterface {
  name = 'InventoryCore1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE locations (
      id uuid PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      type text NOT NULL CHECK (type IN ('warehouse', 'store', 'dark_store')),
      lat double precision,
      lng double precision,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      ships_in_days integer NOT NULL DEFAULT 0 CHECK (ships_in_days >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE owners (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      type text NOT NULL CHECK (type IN ('retailer', 'consignor')),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // One row per SKU: the row every stock change of the SKU locks first (sorted by SKU, so no
    // deadlocks) and the per-SKU version that only grows.
    await q.query(`CREATE TABLE sku_stock (
      sku text PRIMARY KEY,
      version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE channel_allocations (
      sku text NOT NULL REFERENCES sku_stock (sku),
      channel text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('shared', 'dedicated')),
      safety_stock integer NOT NULL DEFAULT 0 CONSTRAINT channel_allocations_safety_nonneg CHECK (safety_stock >= 0),
      quota_remaining integer NOT NULL DEFAULT 0 CONSTRAINT channel_allocations_quota_nonneg CHECK (quota_remaining >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sku, channel)
    )`);
    await q.query(`CREATE TABLE stock_levels (
      sku text NOT NULL REFERENCES sku_stock (sku),
      location_id uuid NOT NULL REFERENCES locations (id),
      owner_id uuid NOT NULL REFERENCES owners (id),
      on_hand integer NOT NULL DEFAULT 0,
      reserved integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sku, location_id, owner_id),
      CONSTRAINT stock_levels_on_hand_nonneg CHECK (on_hand >= 0),
      CONSTRAINT stock_levels_reserved_nonneg CHECK (reserved >= 0),
      CONSTRAINT stock_levels_reserved_le_on_hand CHECK (reserved <= on_hand)
    )`);
    await q.query(`CREATE INDEX stock_levels_location_idx ON stock_levels (location_id)`);
    await q.query(`CREATE TABLE stock_movements (
      seq bigserial PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      sku text NOT NULL,
      location_id uuid NOT NULL,
      owner_id uuid NOT NULL,
      type text NOT NULL CHECK (type IN ('receipt', 'reservation', 'release', 'deduction', 'return-restock',
        'adjustment', 'stocktake-variance', 'transfer-out', 'transfer-in')),
      on_hand_delta integer NOT NULL,
      reserved_delta integer NOT NULL,
      channel text,
      ref text,
      sku_version bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT stock_movements_moves_something CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
    )`);
    await q.query(`CREATE INDEX stock_movements_level_idx ON stock_movements (sku, location_id, owner_id)`);
    await q.query(`CREATE INDEX stock_movements_created_idx ON stock_movements (type, created_at)`);
    await q.query(`CREATE TABLE reservations (
      gid text NOT NULL,
      branch_id text NOT NULL,
      channel text NOT NULL,
      status text NOT NULL CHECK (status IN ('tried', 'confirmed', 'cancelled', 'rejected')),
      deadline timestamptz NOT NULL,
      reasons jsonb,
      release_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (gid, branch_id)
    )`);
    // The expiry sweeper only ever looks at open reservations by deadline.
    await q.query(`CREATE INDEX reservations_open_deadline_idx ON reservations (deadline) WHERE status = 'tried'`);
    await q.query(`CREATE TABLE reservation_lines (
      gid text NOT NULL,
      branch_id text NOT NULL,
      line_no integer NOT NULL CHECK (line_no >= 0),
      sku text NOT NULL,
      location_id uuid NOT NULL,
      owner_id uuid NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      quota_units integer NOT NULL DEFAULT 0 CHECK (quota_units >= 0 AND quota_units <= quantity),
      PRIMARY KEY (gid, branch_id, line_no, location_id, owner_id),
      FOREIGN KEY (gid, branch_id) REFERENCES reservations (gid, branch_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['reservation_lines', 'reservations', 'stock_movements', 'stock_levels', 'channel_allocations', 'sku_stock', 'owners', 'locations']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
