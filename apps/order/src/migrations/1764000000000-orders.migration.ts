import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Orders, their lines, payments received and returns. */
export class Orders1764000000000 implements MigrationInterface {
  name = 'Orders1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE orders (
      id uuid PRIMARY KEY,
      channel text NOT NULL,
      status text NOT NULL CHECK (status IN ('created','reserved','rejected','paid','picking','ready_for_pickup','shipped','completed','cancelled','refund_required')),
      buyer_member_id uuid,
      buyer_anonymous boolean NOT NULL,
      fulfilment jsonb NOT NULL,
      currency char(3) NOT NULL,
      goods_total bigint NOT NULL CHECK (goods_total >= 0),
      discount_total bigint NOT NULL CHECK (discount_total >= 0),
      total bigint NOT NULL CHECK (total >= 0),
      coupons jsonb NOT NULL DEFAULT '[]',
      points jsonb,
      gift_card jsonb,
      quote_id text,
      routing jsonb NOT NULL,
      rejection jsonb,
      payment_deadline timestamptz NOT NULL,
      payment_ref text,
      paid_at timestamptz,
      cancel_reason text,
      pickup_code text,
      carrier text,
      tracking_number text,
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT orders_idempotency UNIQUE (channel, idempotency_key)
    )`);
    await q.query(`CREATE TABLE order_lines (
      order_id uuid NOT NULL REFERENCES orders (id),
      line_no int NOT NULL,
      sku text NOT NULL,
      quantity int NOT NULL CHECK (quantity > 0),
      unit_price bigint NOT NULL CHECK (unit_price >= 0),
      discount_share bigint NOT NULL CHECK (discount_share >= 0),
      returned_quantity int NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0 AND returned_quantity <= quantity),
      PRIMARY KEY (order_id, line_no)
    )`);
    await q.query(`CREATE TABLE order_payments (
      payment_ref text PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES orders (id),
      amount bigint NOT NULL,
      currency char(3) NOT NULL,
      paid_at timestamptz NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('captured','refund_required')),
      received_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE order_returns (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES orders (id),
      line_no int NOT NULL,
      quantity int NOT NULL CHECK (quantity > 0),
      location_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('received','restocked','outlet','written_off')),
      refund_amount bigint NOT NULL CHECK (refund_amount >= 0),
      idempotency_key text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT order_returns_idempotency UNIQUE (order_id, idempotency_key),
      FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
    )`);
    // Ops console lists: orders by channel and status, newest first.
    await q.query(`CREATE INDEX orders_status_idx ON orders (status, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS order_returns');
    await q.query('DROP TABLE IF EXISTS order_payments');
    await q.query('DROP TABLE IF EXISTS order_lines');
    await q.query('DROP TABLE IF EXISTS orders');
  }
}
