import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform orders and what we answered (the link platform order id ↔ our order id, used by
 * reconciliation), with the status the platform should be told next (the status sync's queue);
 * wanted prices per platform; daily reconciliation statements and their lines.
 */
export class O2oPlatformOrders1766100000000 implements MigrationInterface {
  /** Creates the intake, price and reconciliation tables. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE o2o_platform_orders (
        platform text NOT NULL,
        platform_order_id text NOT NULL,
        order_id uuid,
        location_id text,
        status text NOT NULL CHECK (status IN ('received', 'accepted', 'rejected', 'cancelled')),
        reason text,
        total_amount bigint,
        currency char(3),
        platform_total bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        wanted_status text CHECK (wanted_status IN ('ready', 'picked-up', 'cancelled', 'refunded')),
        last_status_sent text,
        status_attempts integer NOT NULL DEFAULT 0,
        status_due_at timestamptz,
        status_error text,
        PRIMARY KEY (platform, platform_order_id)
      )`);
    // The status sync's work queue: orders whose platform has not yet been told their latest status.
    await queryRunner.query(`CREATE INDEX o2o_platform_orders_status_due ON o2o_platform_orders (status_due_at) WHERE wanted_status IS DISTINCT FROM last_status_sent`);
    await queryRunner.query(`CREATE UNIQUE INDEX o2o_platform_orders_order ON o2o_platform_orders (order_id) WHERE order_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX o2o_platform_orders_day ON o2o_platform_orders (platform, received_at)`);
    await queryRunner.query(`
      CREATE TABLE o2o_price_sync (
        platform text NOT NULL,
        sku text NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL,
        version bigint NOT NULL,
        effective_from timestamptz NOT NULL,
        acked_version bigint NOT NULL DEFAULT 0,
        acked_at timestamptz,
        PRIMARY KEY (platform, sku)
      )`);
    await queryRunner.query(`
      CREATE TABLE o2o_reconciliation_statements (
        id uuid PRIMARY KEY,
        platform text NOT NULL,
        business_day date NOT NULL,
        commission_bps integer NOT NULL,
        matched integer NOT NULL,
        missing integer NOT NULL,
        extra integer NOT NULL,
        amount_mismatched integer NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'staff')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX o2o_reconciliation_statements_day ON o2o_reconciliation_statements (platform, business_day DESC, created_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE o2o_reconciliation_lines (
        statement_id uuid NOT NULL REFERENCES o2o_reconciliation_statements (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        platform_order_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('matched', 'missing', 'extra', 'amount-mismatched')),
        order_id uuid,
        fields text[] NOT NULL DEFAULT '{}',
        expected jsonb,
        stated jsonb,
        PRIMARY KEY (statement_id, line_no)
      )`);
  }

  /** Drops them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE o2o_reconciliation_lines, o2o_reconciliation_statements, o2o_price_sync, o2o_platform_orders`);
  }
}
