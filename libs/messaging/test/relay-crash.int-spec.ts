import { spawn } from 'node:child_process';
import { createTestDatabase, TestDatabase, testInfra, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { Kafka } from 'kafkajs';
import { Pool, PoolClient } from 'pg';
import { createKafka } from '../src/common/kafka-client';
import { ensureMessagingSchema } from '../src/common/messaging-schema';
import { silentLogger } from '../src/common/observability';
import { TopicNames } from '../src/common/topic-names';
import { EventConsumer } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';
import { inboxHandler, pgTransactionRunner } from '../src/inbox/inbox-handler';
import { TopicAdmin } from '../src/topics/topic-admin';
import { bump, COUNTER_BUMPED, CounterBumpedEvent, readTopic } from './messaging-test-kit';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { OutboxWriter } from '../src/outbox/outbox-writer';

jest.setTimeout(120_000);

const repoRoot = `${__dirname}/../../..`;

/** Runs the crashing relay in a child process; resolves with its exit signal and output. */
function runCrashingRelay(dbUrl: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'libs/messaging/test/relay-crash.child.ts'], {
      cwd: repoRoot,
      env: { ...process.env, RELAY_DB_URL: dbUrl, RELAY_BROKERS: testInfra.kafkaBrokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ signal, code, stdout, stderr });
    });
  });
}

describe('relay crash between publish and mark (real child process, SIGKILL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let topics: TopicNames;
  let admin: TopicAdmin;
  let relay: OutboxRelay | undefined;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('messaging_crash');
    pool = db.pool(4);
    await ensureMessagingSchema(pool);
    await pool.query('CREATE TABLE counters (id text PRIMARY KEY, value int NOT NULL)');
    kafka = createKafka({ clientId: 'crash-spec', brokers: testInfra.kafkaBrokers, logger: silentLogger });
    topics = new TopicNames(uniqueTopicPrefix('crash'));
    admin = new TopicAdmin(kafka, topics);
    await admin.ensureTopics([COUNTER_BUMPED]);
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await admin?.close();
    await pool?.end();
    await db?.drop();
  });

  it('republishes the event after the crash, and the inbox applies it once', async () => {
    const client = await pool.connect();
    let id: string;
    try {
      await client.query('BEGIN');
      id = await new OutboxWriter(topics).add(client, COUNTER_BUMPED, bump('crash-counter', 4));
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    const crashed = await runCrashingRelay(db.url);
    expect(crashed.stderr).toBe('');
    expect(crashed.stdout).toContain(`published ${id}`);
    expect(crashed.signal).toBe('SIGKILL');
    const topic = topics.physical(COUNTER_BUMPED.topic);
    expect((await readTopic(kafka, topic, { atLeast: 1 })).map((m) => m.headers.ce_id)).toEqual([id]);
    expect((await pool.query('SELECT sent_at, attempts FROM messaging_outbox WHERE id = $1', [id])).rows[0]).toEqual({ sent_at: null, attempts: 0 });

    relay = new OutboxRelay({ kafka, connection: db.url, logger: silentLogger, lockRetryMs: 200 });
    await relay.start();
    const wire = await readTopic(kafka, topic, { atLeast: 2 });
    expect(wire.map((m) => m.headers.ce_id)).toEqual([id, id]);
    await waitFor(async () => (await pool.query('SELECT sent_at FROM messaging_outbox WHERE id = $1', [id])).rows[0]?.sent_at, {
      what: 'row marked sent by the new relay',
    });

    let deliveries = 0;
    const apply = inboxHandler<CounterBumpedEvent, PoolClient>({ runInTransaction: pgTransactionRunner(pool), consumerGroup: 'crash-projector' }, async (payload, ctx) => {
      await ctx.tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [
        payload.counterId,
        payload.amount,
      ]);
    });
    consumer = new EventConsumer({
      kafka,
      groupId: 'crash-projector',
      topics,
      logger: silentLogger,
      subscriptions: [
        subscribe(COUNTER_BUMPED, (payload, ctx) => {
          deliveries += 1;
          return apply(payload, ctx);
        }),
      ],
    });
    await consumer.start();
    await waitFor(() => deliveries === 2, { timeoutMs: 30_000, what: 'both copies delivered' });
    expect((await pool.query(`SELECT value FROM counters WHERE id = 'crash-counter'`)).rows).toEqual([{ value: 4 }]);
  });
});
