import { uniqueId, waitFor } from '@omni/testing';
import { PoolClient } from 'pg';
import { EventConsumer, GATHERED_FETCH_MIN_BYTES } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';
import { silentLogger } from '../src/common/observability';
import { inboxBatchHandler, inboxHandler, pgTransactionRunner } from '../src/inbox/inbox-handler';
import { bump, COUNTER_BUMPED, counterHeaders, CounterBumpedEvent, counterTestBed, CounterTestBed } from './messaging-test-kit';

jest.setTimeout(90_000);

/**
 * A gathered group (GATHERED_FETCH_MIN_BYTES) against a prompt one, both reading the same trickle
 * of events from real Kafka: the gathered group applies every event once, in far fewer runs (so
 * far fewer transactions), each event at most about one fetch wait late.
 */
describe('EventConsumer with gathered fetches (real Postgres + Kafka)', () => {
  let bed: CounterTestBed;
  const consumers: EventConsumer[] = [];
  const runs: Record<'prompt' | 'gathered', number[]> = { prompt: [], gathered: [] };

  async function start(kind: 'prompt' | 'gathered'): Promise<void> {
    const runInTransaction = pgTransactionRunner(bed.pool);
    // Each group keeps its own counter row, so both apply every event.
    const apply = (tx: PoolClient, payload: CounterBumpedEvent) =>
      tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [`${kind}:${payload.counterId}`, payload.amount]);
    const consumer = new EventConsumer({
      kafka: bed.kafka,
      groupId: `${kind}-${uniqueId('')}`,
      topics: bed.topics,
      logger: silentLogger,
      ...(kind === 'gathered' ? { minBytes: GATHERED_FETCH_MIN_BYTES } : {}),
      subscriptions: [
        subscribe(COUNTER_BUMPED, inboxHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: kind }, (payload, ctx) => apply(ctx.tx, payload).then(() => undefined)), {
          batch: {
            accepts: () => true,
            handle: inboxBatchHandler<CounterBumpedEvent, PoolClient>({ runInTransaction, consumerGroup: kind }, async (events, tx) => {
              for (const e of events) await apply(tx, e.payload);
              runs[kind].push(events.length);
            }),
          },
        }),
      ],
    });
    consumers.push(consumer);
    await consumer.start();
    await consumer.ready();
  }

  beforeAll(async () => {
    bed = await counterTestBed('messaging_gathered');
    await start('prompt');
    await start('gathered');
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await bed?.close();
  });

  it('takes a trickle of events in a few long runs, applying each once', async () => {
    const key = uniqueId('trickle-');
    const sentAt: number[] = [];
    // Ten events on one key, a tenth of a second apart: each its own request, as a relay sends them under light load.
    for (let i = 0; i < 10; i++) {
      sentAt.push(Date.now());
      await bed.producer.send({ topic: bed.topics.physical(COUNTER_BUMPED.topic), acks: -1, messages: [{ key, value: JSON.stringify(bump(key, 1)), headers: counterHeaders(uniqueId('ev-')) }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const applied = (kind: string) => bed.counter(`${kind}:${key}`);
    await waitFor(async () => (await applied('prompt')) === 10, { timeoutMs: 30_000, what: 'the prompt group applied all ten' });
    await waitFor(async () => (await applied('gathered')) === 10, { timeoutMs: 30_000, what: 'the gathered group applied all ten' });
    const gatheredDone = Date.now();
    expect(runs.gathered.reduce((a, b) => a + b, 0)).toBe(10);
    // The broker holds a gathered fetch for up to two seconds: ten events a second take one to three runs.
    expect(runs.gathered.length).toBeLessThanOrEqual(3);
    expect(runs.prompt.length).toBeGreaterThanOrEqual(2 * runs.gathered.length);
    // The last event was applied within a couple of fetch waits of being sent.
    expect(gatheredDone - sentAt[9]).toBeLessThan(5_000);
  });
});
