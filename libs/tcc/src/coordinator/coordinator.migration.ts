import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Table of global transactions. */
export const TCC_GLOBAL_TABLE = 'tcc_global';
/** Table of branches. */
export const TCC_BRANCH_TABLE = 'tcc_branch';

/** DDL of the coordinator's tables, for services and tests that do not run TypeORM migrations. */
export const TCC_COORDINATOR_DDL = [
  `CREATE TABLE IF NOT EXISTS ${TCC_GLOBAL_TABLE} (
    gid text PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('trying','prepared','confirming','confirmed','cancelling','cancelled','needs_attention')),
    deadline timestamptz NOT NULL,
    cause text,
    phase_attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner text,
    lease_until timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  // The recovery loop only ever scans unfinished transactions by due time.
  `CREATE INDEX IF NOT EXISTS ${TCC_GLOBAL_TABLE}_due_idx ON ${TCC_GLOBAL_TABLE} (next_attempt_at)
    WHERE status IN ('trying','prepared','confirming','cancelling')`,
  `CREATE TABLE IF NOT EXISTS ${TCC_BRANCH_TABLE} (
    gid text NOT NULL REFERENCES ${TCC_GLOBAL_TABLE} (gid),
    branch_id text NOT NULL,
    participant text NOT NULL,
    status text NOT NULL CHECK (status IN ('trying','tried','try_failed','confirming','confirmed','cancelling','cancelled')),
    data jsonb NOT NULL,
    reply jsonb,
    attempts int NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (gid, branch_id)
  )`,
];

/** Creates the coordinator's global and branch tables; the coordinating service adds it to its migrations. */
export class TccCoordinatorMigration1763750000000 implements MigrationInterface {
  name = 'TccCoordinatorMigration1763750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of TCC_COORDINATOR_DDL) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${TCC_BRANCH_TABLE}`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${TCC_GLOBAL_TABLE}`);
  }
}
