import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog's idempotency keys move to the platform's idempotency_records (same key, scope, hash and
 * answer), so a repeat of a request made before the move still replays its first answer.
 */
export class CatalogIdempotencyRecords1764300000100 implements MigrationInterface {
  name = 'CatalogIdempotencyRecords1764300000100';

  /** Copies every key into idempotency_records and drops the old table. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO idempotency_records (key, scope, request_hash, response, created_at)
      SELECT key, scope, request_hash, response, created_at FROM idempotency_keys ON CONFLICT (key) DO NOTHING`);
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }

  /** Recreates the old table with every key. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE idempotency_keys (
      key text PRIMARY KEY,
      scope text NOT NULL,
      request_hash text NOT NULL,
      status integer NULL,
      response jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(`INSERT INTO idempotency_keys (key, scope, request_hash, response, created_at)
      SELECT key, scope, request_hash, response, created_at FROM idempotency_records`);
  }
}
