import Redis from 'ioredis';
import { Client } from 'pg';
import { testInfra } from './infra-env';

/**
 * Drops what a suite of its own left behind (`npm run up` with OMNI_DB_PREFIX and REDIS_KEY_PREFIX):
 * the databases `<dbPrefix>_<app>` of each app (dashes as underscores), and every Redis key under
 * `redisPrefix`.
 */
export async function dropSuiteData(dbPrefix: string, apps: readonly string[], redisPrefix: string): Promise<void> {
  const admin = new Client({ connectionString: testInfra.postgresAdminUrl });
  await admin.connect();
  try {
    for (const app of apps) await admin.query(`DROP DATABASE IF EXISTS "${dbPrefix}_${app.replace(/-/g, '_')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const redis = new Redis(testInfra.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
