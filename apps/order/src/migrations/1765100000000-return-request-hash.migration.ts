import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returns keep the hash of the request that created them, so the same Idempotency-Key with another
 * body is refused (409) instead of answered with the first return. Existing rows get the hash their
 * own fields give (the body is exactly line, location and quantity), as `returnRequestHash` computes
 * it: SHA-256 of the canonical JSON, keys sorted.
 */
export class ReturnRequestHash1765100000000 implements MigrationInterface {
  name = 'ReturnRequestHash1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_returns ADD COLUMN request_hash text`);
    await q.query(
      `UPDATE order_returns SET request_hash = encode(sha256(convert_to(format('{"lineNo":%s,"locationId":"%s","quantity":%s}', line_no, location_id, quantity), 'UTF8')), 'hex')`,
    );
    await q.query(`ALTER TABLE order_returns ALTER COLUMN request_hash SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_returns DROP COLUMN request_hash`);
  }
}
