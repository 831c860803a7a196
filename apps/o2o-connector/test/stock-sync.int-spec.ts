// The connector as production runs it (its own process, real Postgres and Kafka) against the
// platform simulator: stock-changed bursts reach the platform coalesced and in order, and a
// connector killed with SIGKILL mid-burst and restarted leaves the platform with our final values.
import { STOCK_CHANGED, type StockChangedEvent } from '@omni/contracts';
import { OutboxWriter, TopicNames } from '@omni/messaging';
import { createTestDatabase, ServiceProcess, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
// The simulator is a tool, not an Nx project: it must never be part of the app's image.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PlatformSimulator } from '../../../tools/platform-simulator/platform-simulator';
import { serviceAuthHeaders } from '@omni/platform/testing';

const SKUS = Array.from({ length: 50 }, (_, i) => `O2O-${String(i).padStart(2, '0')}`);
const LOCATION = '0190a0a0-0000-7000-8000-000000000001';
const RATE = 40;

describe('o2o-connector stock sync (process, Kafka, simulator)', () => {
  let db: TestDatabase;
  let simulator: PlatformSimulator;
  let producer: Producer;
  let writer: OutboxWriter;
  const topicPrefix = uniqueTopicPrefix('o2o-stock');
  const processes: ServiceProcess[] = [];
  const versions = new Map<string, number>();
  const finals = new Map<string, number>();

  const start = async (): Promise<ServiceProcess> => {
    const connector = new ServiceProcess('o2o-connector', 'apps/o2o-connector/src/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('o2o')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      O2O_DELIVERY_BASE_URL: simulator.url,
      O2O_DELIVERY_APP_KEY: 'omni-test',
      O2O_DELIVERY_SECRET: 'simulated-secret',
      O2O_DELIVERY_CHANNEL: 'eleme',
      O2O_DELIVERY_RATE_PER_SECOND: String(RATE),
      O2O_PUSH_WINDOW_MS: '150',
      LOG_LEVEL: 'info',
      O2O_PUSH_CONCURRENCY: '4',
    });
    processes.push(connector);
    return connector.ready(60_000);
  };

  /** Publishes `count` stock changes as inventory would (keyed by SKU, versions growing per SKU). */
  const burst = async (count: number, seed: number): Promise<void> => {
    let state = seed;
    const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const messages = [];
    for (let i = 0; i < count; i += 1) {
      const sku = SKUS[Math.floor(random() * SKUS.length)];
      const version = (versions.get(sku) ?? 0) + 1;
      versions.set(sku, version);
      const available = Math.floor(random() * 100);
      finals.set(sku, available);
      const payload: StockChangedEvent = {
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        sku,
        locationId: LOCATION,
        version,
        onHand: available + 5,
        reserved: 0,
        available: available + 5,
        // The delivery platform's channel ATP, and another channel's that must not reach it.
        atp: [
          { channel: 'eleme', available },
          { channel: 'app', available: available + 5 },
        ],
        cause: 'adjustment',
      };
      const event = writer.event(STOCK_CHANGED, payload);
      messages.push({ topic: event.topic, key: event.key, headers: event.headers, value: JSON.stringify(event.payload) });
    }
    for (let i = 0; i < messages.length; i += 100) {
      const chunk = messages.slice(i, i + 100);
      await producer.sendBatch({ topicMessages: chunk.map((message) => ({ topic: message.topic, messages: [{ key: message.key, headers: message.headers, value: message.value }] })) });
    }
  };

  const platformShowsOurFinals = (): boolean =>
    [...finals].every(([sku, available]) => simulator.stock.get(`ST-1|E${SKUS.indexOf(sku)}`)?.quantity === available);

  beforeAll(async () => {
    db = await createTestDatabase('o2o_stock');
    simulator = new PlatformSimulator({ shape: 'delivery', appKey: 'omni-test', secret: 'simulated-secret', ratePerSecond: RATE });
    await simulator.start();
    writer = new OutboxWriter(new TopicNames(topicPrefix));
    producer = new Kafka({ clientId: uniqueId('o2o-test'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer({ idempotent: true });
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    for (const connector of processes) await connector.kill();
    await producer?.disconnect();
    await simulator?.stop();
    await db?.drop();
  });

  it('maps, pushes a 1,000-change burst coalesced and in order, under the rate limit; survives SIGKILL of the pushing replica mid-burst', async () => {
    // Two replicas: both consume and record, one holds push leadership.
    let connector = await start();
    const standby = await start();
    const put = (path: string, body: unknown) =>
      fetch(`${connector.url}/internal/platforms/eleme/${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('o2o-connector') }, body: JSON.stringify(body) });
    // One SKU stays unmapped: reported, never pushed under a guessed id.
    expect((await put('sku-mappings', { mappings: SKUS.slice(0, 49).map((sku) => ({ sku, platformSku: `E${SKUS.indexOf(sku)}` })) })).status).toBe(200);
    expect((await put('store-mappings', { mappings: [{ locationId: LOCATION, platformStore: 'ST-1' }] })).status).toBe(200);
    const bad = await put('sku-mappings', { mappings: [{ sku: 'has space', platformSku: 'x' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('sku');
    expect((await fetch(`${connector.url}/internal/platforms/nowhere/sync-health`, { headers: serviceAuthHeaders('o2o-connector') })).status).toBe(404);

    const started = Date.now();
    await burst(1_000, 3);
    const lastSku = SKUS[49];
    finals.delete(lastSku);
    await waitFor(() => platformShowsOurFinals(), { timeoutMs: 60_000, intervalMs: 100, what: `the platform to show our final values; ${connector.tail()}` });
    const firstBurstMs = Date.now() - started;
    expect(simulator.rateLimited).toBe(0);
    expect(simulator.maxCallsPerSecond).toBeLessThanOrEqual(RATE);
    expect([...simulator.stock.keys()].every((key) => key.startsWith('ST-1|E') && key !== `ST-1|E49`)).toBe(true);
    const inOrder = new Map<string, number>();
    for (const applied of simulator.stockApplied) {
      expect(applied.seq).toBeGreaterThan(inOrder.get(applied.item) ?? 0);
      inOrder.set(applied.item, applied.seq);
    }
    const health = (await (await fetch(`${connector.url}/internal/platforms/eleme/sync-health`, { headers: serviceAuthHeaders('o2o-connector') })).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ platform: 'eleme', kind: 'delivery', pendingPushes: 0, unmapped: [expect.objectContaining({ kind: 'sku', ourId: lastSku })] });
    const standbyHealth = (await (await fetch(`${standby.url}/internal/platforms/eleme/sync-health`, { headers: serviceAuthHeaders('o2o-connector') })).json()) as { leader: boolean };
    // Exactly one of the two pushes; make `connector` the leader, whichever won.
    expect([health.leader, standbyHealth.leader].sort()).toEqual([false, true]);
    let survivor = standby;
    if (!health.leader) [connector, survivor] = [standby, connector];
    const metrics = await (await fetch(`${connector.url}/metrics`)).text();
    expect(metrics).toMatch(/o2o_stock_pushes_acknowledged_total\{[^}]*platform="eleme"[^}]*\} \d+/);
    console.log(`burst 1: ${simulator.stockApplied.length} values applied for 1,000 changes in ${firstBurstMs} ms, max ${simulator.maxCallsPerSecond} calls/s (limit ${RATE})`);

    // Mid-burst kill: SIGKILL as soon as the platform starts receiving the second burst.
    const appliedBefore = simulator.stockApplied.length;
    await burst(1_000, 5);
    finals.delete(lastSku);
    await waitFor(() => simulator.stockApplied.length > appliedBefore + 3, { timeoutMs: 30_000, intervalMs: 20, what: 'pushes of the second burst' });
    await connector.kill('SIGKILL');
    const killedAt = Date.now();
    const appliedAtKill = simulator.stockApplied.length;
    await burst(300, 9);
    finals.delete(lastSku);
    // The standby takes leadership, resyncs from the table and pushes the rest.
    await waitFor(() => platformShowsOurFinals(), { timeoutMs: 90_000, intervalMs: 100, what: `the standby to push our final values; ${survivor.tail()}` });
    const takeoverMs = Date.now() - killedAt;
    expect(simulator.rateLimited).toBe(0);
    // The killed replica comes back as a standby; the platform keeps our final values.
    connector = await start();
    await burst(100, 13);
    finals.delete(lastSku);
    await waitFor(() => platformShowsOurFinals(), { timeoutMs: 60_000, intervalMs: 100, what: `final values after the restart; ${survivor.tail()}` });
    expect(simulator.rateLimited).toBe(0);
    console.log(`kill -9 of the pushing replica after ${appliedAtKill - appliedBefore} pushes of burst 2; the standby had the platform at our final values ${takeoverMs} ms later; after the restart too (${simulator.stockApplied.length} values applied in all)`);
  }, 240_000);
});
