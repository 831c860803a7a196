import { ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { sampleEvents, STOCK_CHANGED } from '@omni/contracts';
import { CountingClient, sqlStatementsSent } from '@omni/sql';
import { createTestDatabase, TestDatabase, testInfra, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { Kafka } from 'kafkajs';
import { Client, Pool } from 'pg';
import { EventValidationError } from '../src/common/errors';
import { createKafka } from '../src/common/kafka-client';
import { ensureMessagingSchema } from '../src/common/messaging-schema';
import { silentLogger } from '../src/common/observability';
import { TopicNames } from '../src/common/topic-names';
import { TopicAdmin } from '../src/topics/topic-admin';
import { bump, COUNTER_BUMPED, countMessages, CounterBumpedEvent, readTopic } from './messaging-test-kit';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { OutboxWriter } from '../src/outbox/outbox-writer';

jest.setTimeout(60_000);

describe('outbox and relay (real Postgres + Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let topics: TopicNames;
  let admin: TopicAdmin;
  let relay: OutboxRelay;
  const writer = () => new OutboxWriter(topics);
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    db = await createTestDatabase('messaging_outbox');
    pool = db.pool(4);
    await ensureMessagingSchema(pool);
    kafka = createKafka({ clientId: 'outbox-spec', brokers: testInfra.kafkaBrokers, logger: silentLogger });
    topics = new TopicNames(uniqueTopicPrefix('outbox'));
    admin = new TopicAdmin(kafka, topics);
    await admin.ensureTopics([COUNTER_BUMPED]);
    relay = new OutboxRelay({ kafka, connection: db.url, logger: silentLogger });
    await relay.start();
    await waitFor(() => relay.isLeader, { what: 'relay leadership' });
  });

  afterAll(async () => {
    await relay?.stop();
    await admin?.close();
    await pool?.end();
    await db?.drop();
    context.disable();
  });

  async function inTransaction<T>(work: (client: import('pg').PoolClient) => Promise<T>, commit: boolean): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return result;
    } finally {
      client.release();
    }
  }

  it('publishes nothing for a rolled-back transaction', async () => {
    await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('rolled-back')), false);
    // Give the relay several notify/poll cycles to (wrongly) publish something.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const messages = await readTopic(kafka, topics.physical(COUNTER_BUMPED.topic));
    expect(messages.filter((m) => m.key === 'rolled-back')).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM messaging_outbox')).rows[0].n).toBe(0);
  });

  it('publishes a committed event exactly once with CloudEvents headers and the active trace context', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    const spanContext = trace.wrapSpanContext({ traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    const before = await countMessages(kafka, topics.physical(COUNTER_BUMPED.topic));
    const id = await context.with(trace.setSpan(ROOT_CONTEXT, spanContext), () =>
      inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('committed', 3)), true),
    );
    const all = await readTopic(kafka, topics.physical(COUNTER_BUMPED.topic), { atLeast: before + 1 });
    const mine = all.filter((m) => m.headers.ce_id === id);
    expect(mine).toHaveLength(1);
    const [message] = mine;
    expect(message.key).toBe('committed');
    expect(JSON.parse(message.value!)).toEqual({ schemaVersion: 1, counterId: 'committed', amount: 3 });
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: id,
      ce_source: '/omni-retail/messaging-test',
      ce_type: COUNTER_BUMPED.type,
      ce_subject: 'committed',
      'content-type': 'application/json',
      ce_schemaversion: '1',
      traceparent: `00-${traceId}-${spanId}-01`,
    });
    expect(new Date(message.headers.ce_time).toISOString()).toBe(message.headers.ce_time);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await waitFor(async () => (await pool.query('SELECT sent_at FROM messaging_outbox WHERE id = $1', [id])).rows[0]?.sent_at, { what: 'row marked sent' });
  });

  it('rejects an invalid payload and writes nothing', async () => {
    const invalid = { schemaVersion: 1, counterId: '', amount: 0 } as CounterBumpedEvent;
    const error = await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, invalid), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).code).toBe('EVENT_VALIDATION_FAILED');
    expect((error as EventValidationError).errors.join('\n')).toMatch(/counterId/);
    expect((error as EventValidationError).errors.join('\n')).toMatch(/amount/);
    expect((await pool.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE key = ''`)).rows[0].n).toBe(0);
  });

  it('addAll writes events of several contracts in one statement, in order; one invalid payload writes none', async () => {
    await inTransaction(async (tx) => {
      const stock = sampleEvents.stockChanged({ sku: 'ADD-ALL' });
      const ids = await writer().addAll(tx, [
        { contract: COUNTER_BUMPED, payload: bump('all-1') },
        { contract: STOCK_CHANGED, payload: stock },
        { contract: COUNTER_BUMPED, payload: bump('all-2') },
      ]);
      const { rows } = await tx.query('SELECT id, topic, key FROM messaging_outbox WHERE id = ANY($1::uuid[]) ORDER BY seq', [ids]);
      expect(rows).toEqual([
        { id: ids[0], topic: topics.physical(COUNTER_BUMPED.topic), key: 'all-1' },
        { id: ids[1], topic: topics.physical(STOCK_CHANGED.topic), key: 'ADD-ALL' },
        { id: ids[2], topic: topics.physical(COUNTER_BUMPED.topic), key: 'all-2' },
      ]);
      const before = (await tx.query('SELECT count(*)::int AS n FROM messaging_outbox')).rows[0].n;
      await expect(
        writer().addAll(tx, [
          { contract: COUNTER_BUMPED, payload: bump('all-3') },
          { contract: COUNTER_BUMPED, payload: { schemaVersion: 1, counterId: '', amount: 0 } },
        ]),
      ).rejects.toBeInstanceOf(EventValidationError);
      expect((await tx.query('SELECT count(*)::int AS n FROM messaging_outbox')).rows[0].n).toBe(before);
    }, false);
  });

  it("counts the relay's statements with the process's own (db_statements_total)", async () => {
    await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('counted')), true);
    // Every statement of the relay goes through its session's client, which counts what it sends.
    const session = await waitFor(() => (relay as unknown as { client?: Client }).client, { what: 'the relay session' });
    expect(session).toBeInstanceOf(CountingClient);
    const before = sqlStatementsSent();
    await session.query('SELECT 1');
    expect(sqlStatementsSent() - before).toBeGreaterThanOrEqual(1);
  });

  it('names the producing service in ce_source when a shared contract is published by another service', async () => {
    const id = await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('shared-source'), { source: 'pricing' }), true);
    const { rows } = await pool.query(`SELECT headers->>'ce_source' AS source FROM messaging_outbox WHERE id = $1`, [id]);
    expect(rows).toEqual([{ source: '/omni-retail/pricing' }]);
  });

  it('keeps the order of one key across many transactions', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 30; i++) ids.push(await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('ordered', i)), true));
    const all = await readTopic(kafka, topics.physical(COUNTER_BUMPED.topic), { atLeast: 31 });
    expect(all.filter((m) => m.key === 'ordered').map((m) => m.headers.ce_id)).toEqual(ids);
  });

  it('lets only one relay per database publish, and a standby takes over when the leader stops', async () => {
    const standby = new OutboxRelay({ kafka, connection: db.url, logger: silentLogger, lockRetryMs: 200, pollIntervalMs: 100 });
    await standby.start();
    try {
      expect(relay.isLeader).toBe(true);
      expect(standby.isLeader).toBe(false);
      await relay.stop();
      await waitFor(() => standby.isLeader, { what: 'standby takes over' });
      const before = await countMessages(kafka, topics.physical(COUNTER_BUMPED.topic));
      const id = await inTransaction((tx) => writer().add(tx, COUNTER_BUMPED, bump('after-failover')), true);
      const all = await readTopic(kafka, topics.physical(COUNTER_BUMPED.topic), { atLeast: before + 1 });
      expect(all.filter((m) => m.headers.ce_id === id)).toHaveLength(1);
    } finally {
      await standby.stop();
    }
  });
});
