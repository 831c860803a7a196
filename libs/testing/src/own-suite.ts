import { join } from 'node:path';
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

/** Where a suite of its own lives: its ports, databases, files, topics and Redis keys. */
export interface OwnSuite {
  portBase: number;
  dbPrefix: string;
  /** Folder of its logs (OMNI_LOG_DIR) and demo files (OMNI_DEMO_DIR). */
  scratch: string;
  topicPrefix: string;
  redisPrefix: string;
  /** The broker it uses (default: the test infrastructure's). */
  kafkaBrokers?: readonly string[];
}

/**
 * The environment of `npm run up` (tools/dev/up.mjs) for a suite of its own on this machine's
 * infrastructure: nothing inherited but PATH and HOME, so no setting of the caller's leaks in.
 */
export function ownSuiteEnv(suite: OwnSuite): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    OMNI_PORT_BASE: String(suite.portBase),
    OMNI_DB_PREFIX: suite.dbPrefix,
    OMNI_LOG_DIR: join(suite.scratch, 'logs'),
    OMNI_DEMO_DIR: join(suite.scratch, 'demo'),
    KAFKA_TOPIC_PREFIX: suite.topicPrefix,
    REDIS_KEY_PREFIX: suite.redisPrefix,
    KAFKA_BROKERS: (suite.kafkaBrokers ?? testInfra.kafkaBrokers).join(','),
    REDIS_URL: testInfra.redisUrl,
    OMNI_POSTGRES_URL: testInfra.postgresAdminUrl,
  };
}
