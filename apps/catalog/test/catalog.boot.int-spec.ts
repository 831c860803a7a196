import { probeService, startServiceForTest, type TestService } from '@omni/platform';
import { expectEdgeFaultsRefusedOnEveryRoute, expectPoisonDeadLetteredOnEveryTopic, expectServiceAuthOnEveryRoute } from '@omni/platform/testing';
import { createTestDatabase, TcpProxy, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { deleteTopics } from './catalog-test-kit';

jest.setTimeout(60_000);

describe('catalog service boot (real Postgres, Redis, Kafka)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let databaseUrl: string;
  let service: TestService;
  const topicPrefix = uniqueTopicPrefix('catalog-boot');

  beforeAll(async () => {
    db = await createTestDatabase('catalog_boot');
    // The database is reached through a proxy, so the test can cut it off.
    const url = new URL(db.url);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${await proxy.start()}`;
    databaseUrl = url.toString();
    service = await startServiceForTest(AppModule, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('catalog')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'fatal',
    });
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await db?.drop();
    await deleteTopics(topicPrefix);
  });

  it('refuses every internal route of its route table without a valid service credential, and keeps health and metrics open', async () => {
    await expectServiceAuthOnEveryRoute(service.app, service.url);
  });

  it('answers every malformed input on every route of its route table with a coded 4xx, and stays healthy', async () => {
    expect(await expectEdgeFaultsRefusedOnEveryRoute(service.app, service.url)).toBeGreaterThan(0);
  });

  it('dead-letters poison events on every topic it consumes (the catalog and the feeds groups), with the reason, and reads past them', async () => {
    expect(await expectPoisonDeadLetteredOnEveryTopic(service.app, service.url)).toBeGreaterThan(0);
  });

  it('runs its migrations, is live and ready with database, Redis and Kafka up, and exposes metrics', async () => {
    const applied: { name: string }[] = await service.app.get(DataSource).query('SELECT name FROM migrations');
    expect(applied.map((m) => m.name)).toEqual(expect.arrayContaining(['CatalogInit1763700000000', 'MessagingTables1763769600000']));
    const { live, ready, metrics } = await probeService(service.url);
    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^process_resident_memory_bytes\{service="catalog"\} \d+/m);
    expect(metrics.text).toContain('http_request_duration_seconds');
  });

  it('answers unknown routes and oversized bodies with coded errors', async () => {
    const unknown = await fetch(`${service.url}/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const huge = await fetch(`${service.url}/health/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('reports not ready, naming the database, while the database is unreachable, and recovers', async () => {
    proxy.block();
    try {
      const { ready, live } = await probeService(service.url);
      expect(ready.status).toBe(503);
      expect(Object.keys(ready.body.error ?? {})).toEqual(['database']);
      expect(live.status).toBe(200);
    } finally {
      proxy.unblock();
    }
    await waitFor(async () => (await probeService(service.url)).ready.status === 200, { timeoutMs: 15_000, what: 'catalog ready again' });
  });
});
