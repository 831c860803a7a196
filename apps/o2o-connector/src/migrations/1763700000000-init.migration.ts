import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Baseline of the o2o-connector schema: the first entry of its migration history. The platform's own
 * tables (outbox, inbox) come from the messaging migrations; feature tables follow in later migrations.
 */
export class O2oConnectorInit1763700000000 implements MigrationInterface {
  /** Nothing to create yet: the baseline only anchors the history. */
  async up(_queryRunner: QueryRunner): Promise<void> {}

  /** Nothing to drop. */
  async down(_queryRunner: QueryRunner): Promise<void> {}
}
