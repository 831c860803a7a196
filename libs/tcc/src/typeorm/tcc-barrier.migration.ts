import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TCC_BARRIER_TABLE } from '../barrier/tcc-barrier';

/** DDL of the barrier table, for participants that do not run TypeORM migrations. */
export const TCC_BARRIER_DDL = `CREATE TABLE IF NOT EXISTS ${TCC_BARRIER_TABLE} (
  gid text NOT NULL,
  branch_id text NOT NULL,
  op text NOT NULL CHECK (op IN ('try', 'confirm', 'cancel')),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gid, branch_id, op)
)`;

/** Creates the TCC barrier table; every participant service adds it to its migrations list. */
export class TccBarrierMigration1763700000000 implements MigrationInterface {
  name = 'TccBarrierMigration1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TCC_BARRIER_DDL);
    // Lets operators purge old barrier rows by age without a sequential scan.
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS ${TCC_BARRIER_TABLE}_created_at_idx ON ${TCC_BARRIER_TABLE} (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${TCC_BARRIER_TABLE}`);
  }
}
