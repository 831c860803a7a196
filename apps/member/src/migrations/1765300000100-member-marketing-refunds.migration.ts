import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Birth dates (personal data, beside phone and name), the tier version that orders tier-changed
 * events, and what refunds did to an order's points and gift card: every refund the order service
 * announced (once per refund), and per order the cumulative reversal already applied, so partial
 * refunds arriving in any order, or before the order's points, settle to the same result.
 */
export class MemberMarketingRefunds1765300000100 implements MigrationInterface {
  name = 'MemberMarketingRefunds1765300000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE member_personal_data ADD COLUMN birth_date date NULL`,
      `ALTER TABLE members ADD COLUMN tier_version integer NOT NULL DEFAULT 0`,
      `CREATE TABLE member_order_refunds (
        refund_key text PRIMARY KEY,
        order_id text NOT NULL,
        reason text NOT NULL,
        amount integer NOT NULL CHECK (amount >= 0),
        currency text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX member_order_refunds_order_idx ON member_order_refunds (order_id)`,
      `CREATE TABLE member_order_settlements (
        order_id text PRIMARY KEY,
        member_id text NOT NULL REFERENCES members (id),
        refunded integer NOT NULL DEFAULT 0,
        points_reversed integer NOT NULL DEFAULT 0,
        points_shortfall integer NOT NULL DEFAULT 0,
        gift_card_refunded integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS member_order_settlements');
    await queryRunner.query('DROP TABLE IF EXISTS member_order_refunds');
    await queryRunner.query('ALTER TABLE members DROP COLUMN IF EXISTS tier_version');
    await queryRunner.query('ALTER TABLE member_personal_data DROP COLUMN IF EXISTS birth_date');
  }
}
