import { uniqueId, waitFor } from '@omni/testing';
import { Pool, PoolClient } from 'pg';
import { silentLogger } from '../common/observability';
import { inboxBatchHandler, inboxHandler, pgTransactionRunner } from '../inbox/inbox-handler';
import { bump, COUNTER_BUMPED, counterHeaders, CounterBumpedEvent, counterTestBed, CounterTestBed } from '../../test/messaging-test-kit';
import { EventConsumer } from './event-consumer';
import { subscribe } from './event-context';

jest.setTimeout(90_000);

// Batching rule of this suite: amounts up to 100 may be batched, larger ones are handled alone;
// a batch holding an amount of 13 fails after writing (its transaction must leave nothing).
const ALONE = 1000;
const POISON = 13;
// An amount the batch predicate itself throws on: the event must still be applied, alone.
const PREDICATE_THROWS = 77;

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
    await tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [payload.counterId, payload.amount]);
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

  /** Publishes on one key (one partition, so one order) in a single request: one fetch sees them together. */
  async function publish(key: string, events: Array<{ id: string; amount: number } | { raw: string; id: string }>): Promise<void> {
    await bed.producer.send({
      topic: bed.topics.physical(COUNTER_BUMPED.topic),
      acks: -1,
      messages: events.map((e) => ({ key, value: 'raw' in e ? e.raw : JSON.stringify(bump(key, e.amount)), headers: counterHeaders(e.id) })),
    });
  }

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
    const ids = Array.from({ length: 3 }, () => uniqueId('ev-'));
    await publish(key, [
      { id: ids[0], amount: 2 },
      { id: ids[1], amount: POISON },
      { id: ids[2], amount: 3 },
    ]);
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
    const ids = Array.from({ length: 3 }, () => uniqueId('ev-'));
    await publish(key, [
      { id: ids[0], amount: 1 },
      { id: ids[1], amount: PREDICATE_THROWS },
      { id: ids[2], amount: 1 },
    ]);
    await waitFor(async () => (await counter(key)) === PREDICATE_THROWS + 2, { timeoutMs: 30_000, what: 'every event applied' });
    expect(await appliedOrder(ids)).toEqual(ids);
    expect(alone).toEqual(expect.arrayContaining([ids[1]]));
  });
});
