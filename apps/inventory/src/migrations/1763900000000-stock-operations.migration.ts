import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of the stock operations around the core ledger: the idempotency log of internal writes,
 * transfers (which may sit in transit), low-stock thresholds with their "below" flag, and an index
 * that makes the sales-velocity query of replenishment cheap.
 */
export class StockOperations1763900000000 implements MigrationInterface {
  name = 'StockOperations1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE stock_operations (
      idempotency_key text PRIMARY KEY,
      kind text NOT NULL,
      request_hash text NOT NULL,
      operation_id uuid NOT NULL UNIQUE,
      request jsonb NOT NULL,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(`CREATE TABLE stock_transfers (
      id uuid PRIMARY KEY,
      from_location_id uuid NOT NULL REFERENCES locations(id),
      to_location_id uuid NOT NULL REFERENCES locations(id),
      status text NOT NULL CHECK (status IN ('in_transit', 'received')),
      created_at timestamptz NOT NULL DEFAULT now(),
      received_at timestamptz,
      CHECK (from_location_id <> to_location_id)
    )`);
    await queryRunner.query(`CREATE TABLE stock_transfer_lines (
      transfer_id uuid NOT NULL REFERENCES stock_transfers(id),
      line_no int NOT NULL,
      sku text NOT NULL,
      owner_id uuid NOT NULL REFERENCES owners(id),
      quantity int NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (transfer_id, line_no)
    )`);
    // Replenishment sums what is on its way to a location.
    await queryRunner.query(
      `CREATE INDEX stock_transfers_in_transit_idx ON stock_transfers (to_location_id) WHERE status = 'in_transit'`,
    );
    await queryRunner.query(`CREATE TABLE low_stock_thresholds (
      sku text NOT NULL,
      location_id uuid NOT NULL REFERENCES locations(id),
      threshold int NOT NULL CHECK (threshold >= 0),
      below boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sku, location_id)
    )`);
    // Partial: only deductions pay the index cost on the reservation hot path.
    await queryRunner.query(
      `CREATE INDEX stock_movements_deductions_idx ON stock_movements (location_id, created_at) WHERE type = 'deduction'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS stock_movements_deductions_idx`);
    await queryRunner.query(`DROP TABLE IF EXISTS low_stock_thresholds`);
    await queryRunner.query(`DROP TABLE IF EXISTS stock_transfer_lines`);
    await queryRunner.query(`DROP TABLE IF EXISTS stock_transfers`);
    await queryRunner.query(`DROP TABLE IF EXISTS stock_operations`);
  }
}
