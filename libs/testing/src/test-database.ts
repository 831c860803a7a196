import { Client, Pool } from 'pg';
import { databaseUrl, testInfra } from './infra-env';
import { uniqueId } from './unique';

/** A database created for one suite; `drop()` ends the pools it opened, then removes it. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /**
   * Opens a pool on this database for checking tables from a test. The pool survives the
   * database being dropped under it: `DROP DATABASE ... WITH (FORCE)` terminates backends
   * whose sockets pg-pool is still closing, and an idle client's error on a pool without an
   * error listener would crash whichever suite the jest worker runs next.
   */
  pool(max?: number): Pool;
  drop(): Promise<void>;
}

/** SQLSTATE of a backend ended by `pg_terminate_backend` or `DROP DATABASE ... WITH (FORCE)`. */
const ADMIN_SHUTDOWN = '57P01';

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testInfra.postgresAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name for one suite. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = uniqueId(`t_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_`);
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  const pools: Pool[] = [];
  return {
    name,
    url,
    pool(max = 3) {
      const pool = new Pool({ connectionString: url, max });
      pool.on('error', (error: Error & { code?: string }) => {
        if (error.code !== ADMIN_SHUTDOWN) console.error(`test pool on ${name}: idle client failed`, error);
      });
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.splice(0).map((p) => (p.ended ? undefined : p.end())));
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
