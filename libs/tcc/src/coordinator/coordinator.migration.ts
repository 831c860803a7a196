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
  ...holdColumnsDdl(),
];

/**
 * A global transaction's two windows: `hold_ms`, how long the branches hold once every Try
 * succeeded (the deadline moves to prepared-time + hold_ms, so a buyer told "reserved" gets the
 * whole window from that moment), and `phase_started_at`, when the current status began (a saga
 * stuck in confirming or cancelling past a threshold raises an alert).
 */
function holdColumnsDdl(): string[] {
  return [
    `ALTER TABLE ${TCC_GLOBAL_TABLE} ADD COLUMN IF NOT EXISTS hold_ms integer CHECK (hold_ms > 0)`,
    `ALTER TABLE ${TCC_GLOBAL_TABLE} ADD COLUMN IF NOT EXISTS phase_started_at timestamptz`,
  ];
}

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

/** Adds the hold window and the phase start to the global table (see TCC_COORDINATOR_DDL). */
export class TccCoordinatorHoldMigration1765000000000 implements MigrationInterface {
  name = 'TccCoordinatorHoldMigration1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of holdColumnsDdl()) await queryRunner.query(sql);
    await queryRunner.query(`UPDATE ${TCC_GLOBAL_TABLE} SET phase_started_at = updated_at WHERE phase_started_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${TCC_GLOBAL_TABLE} DROP COLUMN IF EXISTS phase_started_at, DROP COLUMN IF EXISTS hold_ms`);
  }
}
