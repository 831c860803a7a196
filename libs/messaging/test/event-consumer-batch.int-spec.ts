import { uniqueId, waitFor } from '@omni/testing';
import { Pool, PoolClient } from 'pg';
import { silentLogger } from '../src/common/observability';
import { inboxBatchHandler, inboxHandler, pgTransactionRunner } from '../src/inbox/inbox-handler';
import { OutboxWriter } from '../src/outbox/outbox-writer';
import { TopicAdmin } from '../src/topics/topic-admin';
import {
  bump,
  COUNTER_BUMPED,
  COUNTER_REFUSED,
  counterHeaders,
  CounterBumpedEvent,
  countMessages,
  counterTestBed,
  CounterTestBed,
  readTopic,
} from './messaging-test-kit';
import { EventConsumer } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';

jest.setTimeout(90_000);

// Batching rule of this suite: amounts up to 100 may be batched, larger ones are handled alone;
// a batch holding an amount of 13 fails after writing (its transaction must leave nothing).
const ALONE = 1000;
const POISON = 13;
// An amount the batch predicate itself throws on: the event must still be applied, alone.
const PREDICATE_THROWS = 77;

/** Adds a bump to its counter in `tx`. */
async function addToCounter(tx: PoolClient, payload: CounterBumpedEvent): Promise<void> {
  await tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [payload.counterId, payload.amount]);
}

/** Publishes on one key (one partition, so one order) in a single request: one fetch sees them together. */
async function publishBumps(bed: CounterTestBed, key: string, events: Array<{ id: string; amount: number } | { raw: string; id: string }>): Promise<void> {
  await bed.producer.send({
    topic: bed.topics.physical(COUNTER_BUMPED.topic),
    acks: -1,
    messages: events.map((e) => ({ key, value: 'raw' in e ? e.raw : JSON.stringify(bump(key, e.amount)), headers: counterHeaders(e.id) })),
  });
}

/** Publishes one bump per amount, each with a new event id, on one key; returns the ids in order. */
async function publishAmounts(bed: CounterTestBed, key: string, amounts: number[]): Promise<string[]> {
  const ids = amounts.map(() => uniqueId('ev-'));
  await publishBumps(bed, key, amounts.map((amount, i) => ({ id: ids[i], amount })));
  return ids;
}

/** A subscription with a batch handler, against real Postgres and Kafka. */
describe('EventConsumer batching (real Postgres + Kafka)', () => {
  const group = 'counter-batcher';
  let bed: CounterTestBed;
  let pool: Pool;
  let consumer: EventConsumer;
  /** Sizes of the batches the batch handler was given (after inbox claims). */
  const batchSizes: number[] = [];
  /** Event ids the one-by-one handler was called with. */
  const alone: string[] = [];
  const failedBatches: string[][] = [];

  const applyOne = async (tx: PoolClient, id: string, payload: CounterBumpedEvent) => {
    await addToCounter(tx, payload);
    await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [id]);
  };

  beforeAll(async () => {
    bed = await counterTestBed('messaging_batch', ['CREATE TABLE applied (seq bigserial PRIMARY KEY, event_id text NOT NULL)']);
    pool = bed.pool;
    const runInTransaction = pgTransactionRunner(pool);
    const one = inboxHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: group }, async (payload, ctx) => {
      alone.push(ctx.id);
      await applyOne(ctx.tx, ctx.id, payload);
    });
    const many = inboxBatchHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: group }, async (events, tx) => {
      for (const e of events) await applyOne(tx, e.ctx.id, e.payload);
      if (events.some((e) => e.payload.amount === POISON)) {
        failedBatches.push(events.map((e) => e.ctx.id));
        throw new Error('batch refused');
      }
      batchSizes.push(events.length);
    });
    consumer = new EventConsumer({
      kafka: bed.kafka,
      groupId: group,
      topics: bed.topics,
      logger: silentLogger,
      subscriptions: [
        subscribe(COUNTER_BUMPED, one, {
          batch: {
            accepts: (p) => {
              if (p.amount === PREDICATE_THROWS) throw new Error('predicate failed');
              return p.amount < ALONE;
            },
            handle: many,
            maxSize: 4,
          },
        }),
      ],
    });
    await consumer.start();
    await consumer.ready();
  });

  afterAll(async () => {
    await consumer?.stop();
    await bed?.close();
  });

  const publish = (key: string, events: Parameters<typeof publishBumps>[2]) => publishBumps(bed, key, events);

  const appliedOrder = async (ids: string[]) =>
    (await pool.query('SELECT event_id FROM applied WHERE event_id = ANY($1) ORDER BY seq', [ids])).rows.map((r: { event_id: string }) => r.event_id);
  const counter = (key: string) => bed.counter(key);

  it('batches runs of accepted events, handles the others alone in their place, keeps the order and drops repeats', async () => {
    const key = uniqueId('run-');
    const ids = Array.from({ length: 10 }, () => uniqueId('ev-'));
    const bad = uniqueId('bad-');
    await publish(key, [
      { id: ids[0], amount: 1 },
      { id: ids[1], amount: 1 },
      { id: ids[2], amount: 1 },
      { id: ids[3], amount: ALONE },
      { id: ids[4], amount: 1 },
      { raw: '{"schemaVersion":1,', id: bad },
      { id: ids[5], amount: 1 },
      { id: ids[1], amount: 1 }, // the same event again: a repeat inside a run
      { id: ids[6], amount: 1 },
      { id: ids[7], amount: 1 },
      { id: ids[8], amount: 1 },
      { id: ids[9], amount: ALONE },
    ]);
    await waitFor(async () => (await counter(key)) === 2 * ALONE + 8, { timeoutMs: 30_000, what: 'every event applied' });
    expect(await appliedOrder([...ids, bad])).toEqual(ids);
    // The large ones went alone; everything else went in batches of at most 4.
    expect(alone.filter((id) => ids.includes(id))).toEqual([ids[3], ids[9]]);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(4);
    expect(batchSizes.some((n) => n > 1)).toBe(true);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = ANY($1)', [ids]);
    expect(rows[0].n).toBe(10);
  });

  it('applies a failed batch event by event, with nothing of the failed attempt left', async () => {
    const key = uniqueId('poison-');
    const ids = await publishAmounts(bed, key, [2, POISON, 3]);
    await waitFor(async () => (await counter(key)) === 2 + POISON + 3, { timeoutMs: 30_000, what: 'every event applied' });
    expect(failedBatches.some((batch) => batch.includes(ids[1]))).toBe(true);
    // Each applied exactly once, in order, by the one-by-one handler for the events of the failed batch.
    expect(await appliedOrder(ids)).toEqual(ids);
    expect(alone).toEqual(expect.arrayContaining([ids[1]]));
    // Nothing more arrives later (a stray second application would change the counter).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await counter(key)).toBe(2 + POISON + 3);
  });

  it('handles an event alone when the batch predicate throws on it, and keeps consuming', async () => {
    const key = uniqueId('predicate-');
    const ids = await publishAmounts(bed, key, [1, PREDICATE_THROWS, 1]);
    await waitFor(async () => (await counter(key)) === PREDICATE_THROWS + 2, { timeoutMs: 30_000, what: 'every event applied' });
    expect(await appliedOrder(ids)).toEqual(ids);
    expect(alone).toEqual(expect.arrayContaining([ids[1]]));
  });
});

/** A batch screen: events it answers are published straight to Kafka, the rest go to the batch handler. */
describe('EventConsumer batch screen (real Postgres + Kafka)', () => {
  const group = 'counter-screener';
  // Screening rule of this suite: an amount of 50 is refused by the screen (answered on
  // counter-refused, never applied); a run holding an amount of 99 makes the screen throw.
  const REFUSE = 50;
  const SCREEN_THROWS = 99;
  let bed: CounterTestBed;
  let consumer: EventConsumer;
  let admin: TopicAdmin;
  const screened: number[] = [];

  beforeAll(async () => {
    bed = await counterTestBed('messaging_screen');
    admin = new TopicAdmin(bed.kafka, bed.topics);
    await admin.ensureTopics([COUNTER_REFUSED]);
    const runInTransaction = pgTransactionRunner(bed.pool);
    const writer = new OutboxWriter(bed.topics);
    consumer = new EventConsumer({
      kafka: bed.kafka,
      groupId: group,
      topics: bed.topics,
      logger: silentLogger,
      subscriptions: [
        subscribe(
          COUNTER_BUMPED,
          inboxHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: group }, (payload, ctx) => addToCounter(ctx.tx, payload)),
          {
            batch: {
              accepts: () => true,
              handle: inboxBatchHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: group }, async (events, tx) => {
                for (const e of events) await addToCounter(tx, e.payload);
              }),
              screen: async (payloads) => {
                screened.push(payloads.length);
                if (payloads.some((p) => p.amount === SCREEN_THROWS)) throw new Error('screen failed');
                return payloads.map((p) => (p.amount === REFUSE ? [writer.event(COUNTER_REFUSED, bump(p.counterId, p.amount))] : null));
              },
            },
          },
        ),
      ],
    });
    await consumer.start();
    await consumer.ready();
  });

  afterAll(async () => {
    await consumer?.stop();
    await admin?.close();
    await bed?.close();
  });

  const publish = (key: string, events: Parameters<typeof publishBumps>[2]) => publishBumps(bed, key, events);
  const inboxRows = async (ids: string[]) => (await bed.pool.query('SELECT event_id FROM messaging_inbox WHERE event_id = ANY($1)', [ids])).rows.map((r: { event_id: string }) => r.event_id).sort();
  const refusedFor = async (key: string, atLeast: number) =>
    (await readTopic(bed.kafka, bed.topics.physical(COUNTER_REFUSED.topic), { atLeast })).filter((m) => m.key === key);

  it('publishes what the screen answers, with no inbox row, and applies the rest in order', async () => {
    const key = uniqueId('screen-');
    const before = await countMessages(bed.kafka, bed.topics.physical(COUNTER_REFUSED.topic));
    const ids = await publishAmounts(bed, key, [1, REFUSE, 2, REFUSE, 3]);
    await waitFor(async () => (await bed.counter(key)) === 6, { timeoutMs: 30_000, what: 'the unrefused events applied' });
    const refused = await refusedFor(key, before + 2);
    expect(refused).toHaveLength(2);
    for (const m of refused) {
      expect(JSON.parse(m.value!)).toEqual(bump(key, REFUSE));
      expect(m.headers.ce_type).toBe(COUNTER_REFUSED.type);
    }
    expect(await inboxRows(ids)).toEqual([ids[0], ids[2], ids[4]].sort());
    // A refused event is never applied later (it would change the counter).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await bed.counter(key)).toBe(6);
  });

  it('screens a redelivered refusal again (nothing recorded it) and answers it again', async () => {
    const key = uniqueId('again-');
    const id = uniqueId('ev-');
    const before = await countMessages(bed.kafka, bed.topics.physical(COUNTER_REFUSED.topic));
    await publish(key, [{ id, amount: REFUSE }]);
    await publish(key, [{ id, amount: REFUSE }, { id: uniqueId('ev-'), amount: 4 }]);
    await waitFor(async () => (await bed.counter(key)) === 4, { timeoutMs: 30_000, what: 'the last event applied' });
    expect(await refusedFor(key, before + 2)).toHaveLength(2);
    expect(await inboxRows([id])).toEqual([]);
  });

  it('hands the whole run to the batch handler when the screen throws', async () => {
    const key = uniqueId('throws-');
    const calls = screened.length;
    const ids = await publishAmounts(bed, key, [REFUSE, SCREEN_THROWS, 1]);
    await waitFor(async () => (await bed.counter(key)) === REFUSE + SCREEN_THROWS + 1, { timeoutMs: 30_000, what: 'every event applied' });
    expect(screened.length).toBeGreaterThan(calls);
    expect(await inboxRows(ids)).toEqual([...ids].sort());
    const refused = (await readTopic(bed.kafka, bed.topics.physical(COUNTER_REFUSED.topic))).filter((m) => m.key === key);
    expect(refused).toEqual([]);
  });
});
