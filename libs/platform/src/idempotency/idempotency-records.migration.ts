import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE } from './idempotency-record.store';

/**
 * The one idempotency table every service gets (a platform migration): a key is one request of
 * the service, so the key alone is the primary key; the scope and hash say which request it was.
 */
export class IdempotencyRecords1764300000000 implements MigrationInterface {
  name = 'IdempotencyRecords1764300000000';

  /** Creates the table. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
      key text PRIMARY KEY,
      scope text NOT NULL,
      request_hash text NOT NULL,
      response jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  /** Drops the table. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${IDEMPOTENCY_TABLE}`);
  }
}
