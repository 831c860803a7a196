import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A member's orders are listed newest first (ids are UUIDv7, so id order is time order). */
export class OrdersByMember1765300000000 implements MigrationInterface {
  name = 'OrdersByMember1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_buyer_member_idx ON orders (buyer_member_id, id DESC) WHERE buyer_member_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_buyer_member_idx`);
  }
}
