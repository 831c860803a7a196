import type { DataSource, QueryRunner } from 'typeorm';
import { migrationLockName, runMigrationsLocked } from './locked-migrations';

/** A data source whose one connection records what runs on it, and an advisory lock shared by all of them. */
function fakeDatabase() {
  const events: string[] = [];
  let holder: number | null = null;
  const waiters: Array<() => void> = [];
  let connections = 0;
  const dataSource = {
    createQueryRunner: (): QueryRunner => {
      const id = ++connections;
      return {
        connect: async () => undefined,
        release: async () => void events.push(`${id} release`),
        query: async (sql: string, params: string[]) => {
          if (sql.includes('pg_advisory_lock(')) {
            while (holder !== null) await new Promise<void>((resolve) => waiters.push(resolve));
            holder = id;
            events.push(`${id} lock ${params[0]}`);
          } else if (sql.includes('pg_advisory_unlock(')) {
            holder = null;
            events.push(`${id} unlock`);
            waiters.shift()?.();
          }
          return [];
        },
      } as unknown as QueryRunner;
    },
  } as unknown as DataSource;
  return { dataSource, events, holderOf: () => holder };
}

describe('runMigrationsLocked', () => {
  it('applies the migrations on the connection that holds the lock, then unlocks and releases it', async () => {
    const db = fakeDatabase();
    const applied = await runMigrationsLocked(db.dataSource, 'order', async (_ds, runner) => {
      await runner.query('-- migrate', []);
      db.events.push(`migrate while lock held by ${db.holderOf()}`);
      return 3;
    });
    expect(applied).toBe(3);
    expect(db.events).toEqual([`1 lock ${migrationLockName('order')}`, 'migrate while lock held by 1', '1 unlock', '1 release']);
  });

  it('makes replicas starting together migrate one after the other, never at once', async () => {
    const db = fakeDatabase();
    let running = 0;
    let most = 0;
    let pending = 2;
    const step = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      const applied = pending;
      pending = 0;
      return applied;
    };
    const results = await Promise.all([runMigrationsLocked(db.dataSource, 'order', step), runMigrationsLocked(db.dataSource, 'order', step)]);
    expect(most).toBe(1);
    expect(results.sort()).toEqual([0, 2]);
  });

  it('unlocks and releases the connection when a migration fails', async () => {
    const db = fakeDatabase();
    await expect(
      runMigrationsLocked(db.dataSource, 'order', async () => {
        throw new Error('bad migration');
      }),
    ).rejects.toThrow('bad migration');
    expect(db.events.slice(1)).toEqual(['1 unlock', '1 release']);
  });
});
