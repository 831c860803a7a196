import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, type TestDatabase } from '@omni/testing';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { serviceAuthHeaders } from '@omni/platform/testing';

/** A running service on its own database and topic prefix, with a pool for checking tables. */
export interface OperationsApp {
  service: TestService;
  db: TestDatabase;
  pool: Pool;
  topicPrefix: string;
  /** Prefix of every Redis key the service writes. */
  redisPrefix: string;
  close(): Promise<void>;
}

/** Boots the inventory service (the production AppModule) for one suite. */
export async function startOperationsApp(label: string, env: Record<string, string> = {}): Promise<OperationsApp> {
  const db = await createTestDatabase(label);
  const topicPrefix = uniqueTopicPrefix(label);
  const redisPrefix = `${uniqueId(label)}:`;
  const service = await startServiceForTest(AppModule, {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'fatal',
    ...env,
  });
  const pool = db.pool(3);
  return {
    service,
    db,
    pool,
    topicPrefix,
    redisPrefix,
    close: async () => {
      await service.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** A JSON response: status, headers and parsed body. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a JSON request (a raw string body is sent as is, for malformed-body tests). */
export async function call<T = Record<string, unknown>>(
  app: OperationsApp,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(`${app.service.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...serviceAuthHeaders('inventory'), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Levels that differ from the ledger sums, or break a CHECK (empty when the invariant holds). */
export async function ledgerMismatches(pool: Pool): Promise<unknown[]> {
  const { rows } = await pool.query(`
    WITH sums AS (
      SELECT sku, location_id, owner_id, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved
        FROM stock_movements GROUP BY sku, location_id, owner_id)
    SELECT coalesce(l.sku, s.sku) AS sku, l.on_hand, s.on_hand AS ledger_on_hand, l.reserved, s.reserved AS ledger_reserved
      FROM stock_levels l FULL JOIN sums s ON s.sku = l.sku AND s.location_id = l.location_id AND s.owner_id = l.owner_id
     WHERE l.on_hand IS DISTINCT FROM coalesce(s.on_hand, 0) OR l.reserved IS DISTINCT FROM coalesce(s.reserved, 0)
        OR l.on_hand < 0 OR l.reserved < 0 OR l.reserved > l.on_hand`);
  return rows;
}
