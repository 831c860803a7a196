import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The idempotency of stock operations moves to the platform's idempotency_records (key, kind as
 * the scope, hash and result), so a repeat of a request made before the move still replays its
 * first answer; stock_operations stays the log of operations (key, kind, id, request).
 */
export class InventoryIdempotencyRecords1764300000100 implements MigrationInterface {
  name = 'InventoryIdempotencyRecords1764300000100';

  /** Copies every key with its result into idempotency_records and drops the copied columns. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO idempotency_records (key, scope, request_hash, response, created_at)
      SELECT idempotency_key, kind, request_hash, result, created_at FROM stock_operations ON CONFLICT (key) DO NOTHING`);
    await queryRunner.query(`ALTER TABLE stock_operations DROP COLUMN request_hash, DROP COLUMN result`);
  }

  /** Puts the hash and result back on every operation. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stock_operations ADD COLUMN request_hash text, ADD COLUMN result jsonb`);
    await queryRunner.query(`UPDATE stock_operations op SET request_hash = r.request_hash, result = r.response
      FROM idempotency_records r WHERE r.key = op.idempotency_key`);
    await queryRunner.query(`UPDATE stock_operations SET request_hash = '' WHERE request_hash IS NULL`);
    await queryRunner.query(`ALTER TABLE stock_operations ALTER COLUMN request_hash SET NOT NULL`);
  }
}
