// stock-changed → platform acknowledged, for a burst: the connector (its own process, real Postgres
// and Kafka) pushing to the platform simulator (its own process) under the simulator's rate limit.
// Measures, per SKU × store, the time from the publication of its last change to the platform
// applying that final value (p50/p99), the time to the first acknowledgement, and pushes per second
// against the limit (with the simulator's own count of 429s and busiest second).
import { STOCK_CHANGED, type StockChangedEvent } from '@omni/contracts';
import { OutboxWriter, TopicNames } from '@omni/messaging';
import { createTestDatabase, ServiceProcess, testInfra, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { Kafka, logLevel } from 'kafkajs';
import { serviceAuthHeaders } from '@omni/platform/testing';

/** Sizes of the burst. */
export interface StockPushBenchOptions {
  skus: number;
  changes: number;
  ratePerSecond: number;
  windowMs: number;
}

const LOCATION = '0190a0a0-0000-7000-8000-0000000000b1';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the scenario and answers what it measured. */
export async function runStockPushBench(options: StockPushBenchOptions = { skus: 200, changes: 5_000, ratePerSecond: 50, windowMs: 200 }): Promise<object> {
  const db = await createTestDatabase('o2o_bench');
  const topicPrefix = uniqueTopicPrefix('o2o-bench');
  const processes: ServiceProcess[] = [];
  const kafka = new Kafka({ clientId: uniqueId('o2o-bench'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true });
  try {
    const simulator = await new ServiceProcess('platform-simulator', 'tools/platform-simulator/main.ts', {
      SIM_SHAPE: 'delivery',
      SIM_APP_KEY: 'bench-app',
      SIM_SECRET: 'bench-secret-0123',
      SIM_RATE_PER_SECOND: String(options.ratePerSecond),
    }).ready();
    processes.push(simulator);
    const connector = await new ServiceProcess('o2o-connector', 'apps/o2o-connector/src/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('o2o-bench')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'warn',
      O2O_DELIVERY_BASE_URL: simulator.url,
      O2O_DELIVERY_APP_KEY: 'bench-app',
      O2O_DELIVERY_SECRET: 'bench-secret-0123',
      O2O_DELIVERY_CHANNEL: 'eleme',
      O2O_DELIVERY_RATE_PER_SECOND: String(options.ratePerSecond),
      O2O_PUSH_WINDOW_MS: String(options.windowMs),
      O2O_RECONCILIATION_HOUR_UTC: '-1',
      PORT: String(40_000 + Math.floor(Math.random() * 5_000)),
    }).ready();
    processes.push(connector);
    const skus = Array.from({ length: options.skus }, (_, i) => `BENCH-${String(i).padStart(4, '0')}`);
    const put = (path: string, body: unknown) => fetch(`${connector.url}/internal/platforms/eleme/${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('o2o-connector') }, body: JSON.stringify(body) });
    if (!(await put('sku-mappings', { mappings: skus.map((sku, i) => ({ sku, platformSku: `P${i}` })) })).ok) throw new Error('sku mappings refused');
    if (!(await put('store-mappings', { mappings: [{ locationId: LOCATION, platformStore: 'S1' }] })).ok) throw new Error('store mapping refused');
    // The connector's consumer must have joined before the burst, or the burst measures its join.
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => {
      const { groups } = await admin.describeGroups([`${topicPrefix}o2o-connector`]);
      return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'the connector consumer group' });
    await admin.disconnect();

    await producer.connect();
    const writer = new OutboxWriter(new TopicNames(topicPrefix));
    const versions = new Map<string, number>();
    const lastSentAt = new Map<string, number>();
    const firstSentAt = new Map<string, number>();
    const finals = new Map<string, { version: number; available: number }>();
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const events = Array.from({ length: options.changes }, () => {
      const sku = skus[Math.floor(random() * skus.length)];
      const version = (versions.get(sku) ?? 0) + 1;
      versions.set(sku, version);
      const available = Math.floor(random() * 100);
      finals.set(sku, { version, available });
      const payload: StockChangedEvent = {
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        sku,
        locationId: LOCATION,
        version,
        onHand: available,
        reserved: 0,
        available,
        atp: [{ channel: 'eleme', available }],
        cause: 'adjustment',
      };
      return { sku, event: writer.event(STOCK_CHANGED, payload) };
    });
    const started = Date.now();
    for (let i = 0; i < events.length; i += 200) {
      const chunk = events.slice(i, i + 200);
      const at = Date.now();
      for (const { sku } of chunk) {
        lastSentAt.set(sku, at);
        if (!firstSentAt.has(sku)) firstSentAt.set(sku, at);
      }
      await producer.sendBatch({ topicMessages: chunk.map(({ event }) => ({ topic: event.topic, messages: [{ key: event.key, headers: event.headers, value: JSON.stringify(event.payload) }] })) });
    }
    const publishedMs = Date.now() - started;
    type Applied = { at: number; item: string; quantity: number; seq: number };
    const applied = await waitFor(
      async () => {
        const list = (await (await fetch(`${simulator.url}/_sim/stock-applied`)).json()) as Applied[];
        const last = new Map(list.map((entry) => [entry.item, entry]));
        return skus.every((sku, i) => last.get(`P${i}`)?.seq === finals.get(sku)?.version) ? list : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 200, what: 'the platform to apply every final value' },
    );
    const state = (await (await fetch(`${simulator.url}/_sim/state`)).json()) as { rateLimited: number; maxCallsPerSecond: number };
    const finalLag: number[] = [];
    const firstAck: number[] = [];
    skus.forEach((sku, i) => {
      const mine = applied.filter((entry) => entry.item === `P${i}`);
      const final = mine.find((entry) => entry.seq === finals.get(sku)!.version)!;
      finalLag.push(final.at - lastSentAt.get(sku)!);
      firstAck.push(mine[0].at - firstSentAt.get(sku)!);
    });
    finalLag.sort((a, b) => a - b);
    firstAck.sort((a, b) => a - b);
    const spanMs = Math.max(1, applied[applied.length - 1].at - applied[0].at);
    const wrongFinals = skus.filter((sku, i) => [...applied].reverse().find((entry) => entry.item === `P${i}`)?.quantity !== finals.get(sku)!.available).length;
    return {
      burst: { changes: options.changes, skus: options.skus, stores: 1, publishedInMs: publishedMs, windowMs: options.windowMs },
      platformLimitPerSecond: options.ratePerSecond,
      pushes: applied.length,
      pushesPerSecond: Number(((applied.length * 1000) / spanMs).toFixed(1)),
      busiestSecond: state.maxCallsPerSecond,
      rateLimited429: state.rateLimited,
      coalescing: `${options.changes} changes → ${applied.length} pushes`,
      lastChangeToFinalValueMs: { p50: percentile(finalLag, 50), p99: percentile(finalLag, 99), max: finalLag[finalLag.length - 1] },
      firstChangeToFirstAckMs: { p50: percentile(firstAck, 50), p99: percentile(firstAck, 99) },
      allFinalValuesAtAtp: wrongFinals === 0,
      totalMs: Date.now() - started,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    for (const process of processes.reverse()) await process.kill('SIGTERM').catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}
