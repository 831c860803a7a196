import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pricing's idempotency keys move to the platform's idempotency_records (same key, scope, hash and
 * answer), so a repeat of a request made before the move still replays its first answer. A key is
 * now one request of the service: where an old key was used under several scopes, its first use
 * is kept and a repeat of a later one is refused (409) rather than run a second time.
 */
export class PricingIdempotencyRecords1764300000100 implements MigrationInterface {
  name = 'PricingIdempotencyRecords1764300000100';

  /** Copies every key into idempotency_records and drops the old table. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO idempotency_records (key, scope, request_hash, response, created_at)
      SELECT DISTINCT ON (key) key, scope, request_hash, response, created_at FROM pricing_idempotency ORDER BY key, created_at
      ON CONFLICT (key) DO NOTHING`);
    await queryRunner.query(`DROP TABLE pricing_idempotency`);
  }

  /** Recreates the old table with every key. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE pricing_idempotency (
      key text NOT NULL,
      scope text NOT NULL,
      request_hash text NOT NULL,
      status integer NULL,
      response jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`);
    await queryRunner.query(`INSERT INTO pricing_idempotency (key, scope, request_hash, status, response, created_at)
      SELECT key, scope, request_hash, CASE WHEN response IS NULL THEN NULL ELSE 200 END, response, created_at FROM idempotency_records`);
  }
}
