import { DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';

/** Applies the pending migrations on `runner`'s connection; returns how many it applied. */
export type MigrationStep = (dataSource: DataSource, runner: QueryRunner) => Promise<number>;

/** TypeORM's own executor, one transaction per migration (as `migrationsTransactionMode: 'each'`). */
export const executePendingMigrations: MigrationStep = async (dataSource, runner) => {
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'each';
  return (await executor.executePendingMigrations()).length;
};

/** The advisory lock key of a service's migrations (advisory locks are per database already). */
export function migrationLockName(service: string): string {
  return `omni-retail:migrations:${service}`;
}

/**
 * Applies pending migrations while holding a session-level Postgres advisory lock on the same
 * connection: replicas (or migration steps) starting together wait for each other, and the ones
 * that get the lock after the first find nothing left to apply. The lock goes with the connection,
 * so a process that dies while migrating releases it.
 */
export async function runMigrationsLocked(dataSource: DataSource, service: string, step: MigrationStep = executePendingMigrations): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lock = migrationLockName(service);
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      return await step(dataSource, runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    await runner.release();
  }
}
