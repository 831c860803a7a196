// Outbox latency benchmark: time from a committed outbox transaction to the consumer's handler
// receiving the event (LISTEN/NOTIFY relay, idempotent producer, small fetch wait).
// Run alone: `node -r @swc-node/register libs/messaging/bench/outbox-latency.ts [events]`.
import { performance } from 'node:perf_hooks';
import { createTestDatabase, testInfra, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { createKafka, ensureMessagingSchema, EventConsumer, OutboxRelay, OutboxWriter, silentLogger, subscribe, TopicAdmin, TopicNames } from '../src';
import { bump, COUNTER_BUMPED } from '../test/messaging-test-kit';

/** Options of the latency run. */
export interface OutboxLatencyOptions {
  /** Events to publish, one transaction each (default 1000). */
  events?: number;
  /** Pause between commits in ms (default 2): measures latency, not saturation. */
  paceMs?: number;
  /** Distinct keys (spread over the topic's partitions; default 16). */
  keys?: number;
}

/** Commit-to-consumer latency in ms, plus the run's throughput. */
export interface OutboxLatencyResult {
  events: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  eventsPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Publishes `events` events through the outbox and measures commit → handler latency. */
export async function measureOutboxLatency({ events = 1000, paceMs = 2, keys = 16 }: OutboxLatencyOptions = {}): Promise<OutboxLatencyResult> {
  const db = await createTestDatabase('bench_outbox');
  const pool = db.pool(2);
  const kafka = createKafka({ clientId: 'outbox-bench', brokers: testInfra.kafkaBrokers, logger: silentLogger });
  const topics = new TopicNames(uniqueTopicPrefix('bench'));
  const admin = new TopicAdmin(kafka, topics);
  const relay = new OutboxRelay({ kafka, connection: db.url, logger: silentLogger });
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = new EventConsumer({
    kafka,
    groupId: 'bench-latency',
    topics,
    logger: silentLogger,
    partitionsConsumedConcurrently: COUNTER_BUMPED.partitions,
    subscriptions: [
      subscribe(COUNTER_BUMPED, async (_payload, ctx) => {
        const received = performance.now();
        // The commit time is recorded right after COMMIT returns; the event can arrive first.
        setImmediate(() => latencies.push(received - (committedAt.get(ctx.id) ?? received)));
      }),
    ],
  });
  try {
    await ensureMessagingSchema(pool);
    await admin.ensureTopics([COUNTER_BUMPED]);
    await relay.start();
    await consumer.start();
    await consumer.ready();
    const writer = new OutboxWriter(topics);
    const client = await pool.connect();
    const started = performance.now();
    try {
      for (let i = 0; i < events; i++) {
        await client.query('BEGIN');
        const id = await writer.add(client, COUNTER_BUMPED, bump(`key-${i % keys}`));
        await client.query('COMMIT');
        committedAt.set(id, performance.now());
        if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs));
      }
    } finally {
      client.release();
    }
    await waitFor(() => latencies.length >= events, { timeoutMs: 60_000, what: `${events} events consumed` });
    const elapsedS = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      events,
      median: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1]),
      mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
      eventsPerSecond: Math.round(events / elapsedS),
    };
  } finally {
    await consumer.stop();
    await relay.stop();
    const raw = kafka.admin();
    await raw.connect();
    await raw.deleteTopics({ topics: [topics.physical(COUNTER_BUMPED.topic), topics.deadLetter(COUNTER_BUMPED.topic)] }).catch(() => undefined);
    await raw.disconnect();
    await admin.close();
    await pool.end();
    await db.drop();
  }
}

if (require.main === module) {
  measureOutboxLatency({ events: Number(process.argv[2] ?? 1000) })
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
