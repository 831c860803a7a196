import { startServiceForTest, type TestService } from '@omni/platform/testing';
import { createTestDatabase, TcpProxy, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';

jest.setTimeout(90_000);

/** One sample of a metric from the service's /metrics (the first series matching `labels`), NaN when absent. */
async function metric(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

describe('inventory: the Redis gate rebuild is measured (real Postgres, Redis through a proxy, Kafka)', () => {
  let db: TestDatabase;
  let redis: TcpProxy;
  let service: TestService;

  beforeAll(async () => {
    db = await createTestDatabase('inventory_gate_metrics');
    const target = new URL(testInfra.redisUrl);
    redis = new TcpProxy(target.hostname, Number(target.port || 6379));
    target.host = `127.0.0.1:${await redis.start()}`;
    service = await startServiceForTest(AppModule, {
      DATABASE_URL: db.url,
      REDIS_URL: target.toString(),
      REDIS_KEY_PREFIX: `${uniqueId('inventory')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('inventory-gate'),
      ATP_RECONCILE_INTERVAL_MS: '300',
      LOG_LEVEL: 'fatal',
    });
  });

  afterAll(async () => {
    await service?.close();
    await redis?.stop();
    await db?.drop();
  });

  it('counts rebuilds failing while Redis is unreachable on /metrics, and records the next success', async () => {
    const url = service.url;
    // A SKU in Postgres, so every reconcile pass reads the gate's version of it from Redis.
    await service.app.get(DataSource).query(`INSERT INTO sku_stock (sku, version) VALUES ('TEA-GATE-1', 1)`);
    const ofInventory = 'service="inventory"';
    // The start-up pass succeeded and the periodic pass keeps succeeding.
    expect(await metric(url, 'inventory_redis_gate_rebuild_failures_total', 'trigger="start-up"')).toBe(0);
    await waitFor(async () => (await metric(url, 'inventory_redis_gate_rebuilds_total', 'trigger="reconcile"')) > 0, { timeoutMs: 10_000, what: 'a reconcile pass' });
    const before = await metric(url, 'inventory_redis_gate_rebuild_failures_total', 'trigger="reconcile"');
    expect(before).toBe(0);

    redis.block();
    try {
      await waitFor(async () => (await metric(url, 'inventory_redis_gate_rebuild_failures_total', 'trigger="reconcile"')) >= 2, { timeoutMs: 20_000, what: 'failed rebuilds counted' });
      const stuckAt = await metric(url, 'inventory_redis_gate_last_success_timestamp_seconds', ofInventory);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await metric(url, 'inventory_redis_gate_last_success_timestamp_seconds', ofInventory)).toBe(stuckAt);
      // The service itself stays up: Postgres decides while the gate is down.
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    } finally {
      redis.unblock();
    }
    const failedUntil = await metric(url, 'inventory_redis_gate_last_success_timestamp_seconds', ofInventory);
    await waitFor(async () => (await metric(url, 'inventory_redis_gate_last_success_timestamp_seconds', ofInventory)) > failedUntil, { timeoutMs: 20_000, what: 'a rebuild succeeding again' });
  });
});
