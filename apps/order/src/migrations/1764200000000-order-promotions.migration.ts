import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The promotions (price rules) an order's discount includes, next to its coupons. */
export class OrderPromotions1764200000000 implements MigrationInterface {
  name = 'OrderPromotions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN promotions jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN promotions`);
  }
}
