import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { uniqueId, waitFor } from '@omni/testing';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { PermanentEventError } from '../src/common/errors';
import { silentLogger } from '../src/common/observability';
import { TopicNames } from '../src/common/topic-names';
import { inboxHandler, pgTransactionRunner } from '../src/inbox/inbox-handler';
import { bump, COUNTER_BUMPED, counterHeaders, CounterBumpedEvent, counterTestBed, CounterTestBed, readTopic } from './messaging-test-kit';
import { EventConsumer } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';

jest.setTimeout(90_000);

/**
 * One consumer group for the whole suite; the counter id in each payload picks the handler's
 * behaviour, so every test only publishes and observes.
 */
describe('EventConsumer with inbox and DLQ (real Postgres + Kafka)', () => {
  const group = 'counter-projector';
  let bed: CounterTestBed;
  let pool: Pool;
  let kafka: Kafka;
  let topics: TopicNames;
  let consumer: EventConsumer;
  const deliveries = new Map<string, number>();
  const traceIds = new Map<string, string | undefined>();
  const contextManager = new AsyncLocalStorageContextManager();

  const counter = (id: string) => bed.counter(id);

  async function send(value: string, headers: Record<string, string>, key: string): Promise<void> {
    await bed.producer.send({ topic: topics.physical(COUNTER_BUMPED.topic), acks: -1, messages: [{ key, value, headers }] });
  }

  const dlq = () => topics.deadLetter(COUNTER_BUMPED.topic);

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    bed = await counterTestBed('messaging_consumer');
    ({ pool, kafka, topics } = bed);
    const apply = inboxHandler<CounterBumpedEvent, import('pg').PoolClient>(
      { runInTransaction: pgTransactionRunner(pool), consumerGroup: group },
      async (payload, ctx) => {
        await ctx.tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [
          payload.counterId,
          payload.amount,
        ]);
        const seen = deliveries.get(ctx.id) ?? 0;
        if (payload.counterId.startsWith('transient-') && seen <= 2) throw new Error(`flaky store (attempt ${seen})`);
        if (payload.counterId.startsWith('always-failing-')) throw new Error('store is down');
        if (payload.counterId.startsWith('permanent-')) throw new PermanentEventError('counter is closed');
      },
    );
    consumer = new EventConsumer({
      kafka,
      groupId: group,
      topics,
      maxAttempts: 4,
      backoff: { initialMs: 20, maxMs: 100 },
      logger: silentLogger,
      subscriptions: [
        subscribe(COUNTER_BUMPED, async (payload, ctx) => {
          deliveries.set(ctx.id, (deliveries.get(ctx.id) ?? 0) + 1);
          traceIds.set(ctx.id, trace.getSpanContext(context.active())?.traceId);
          return apply(payload, ctx);
        }),
      ],
    });
    await consumer.start();
    await consumer.ready();
  });

  afterAll(async () => {
    await consumer?.stop();
    await bed?.close();
    context.disable();
  });

  it('dead-letters malformed events with the reason and keeps consuming the valid ones after them', async () => {
    const key = uniqueId('dlq-');
    const badJson = uniqueId('bad-json-');
    const invalid = uniqueId('invalid-');
    const noId = uniqueId('no-id-');
    const wrongType = uniqueId('wrong-type-');
    const nul = uniqueId('nul-');
    await send('{"schemaVersion":1,"counterId":', counterHeaders(badJson), key);
    await send(JSON.stringify({ schemaVersion: 1, counterId: key, amount: -5 }), counterHeaders(invalid), key);
    const { ce_id: _omit, ...withoutId } = counterHeaders(noId);
    await send(JSON.stringify(bump(key)), withoutId, key);
    await send(JSON.stringify(bump(key)), counterHeaders(wrongType, { ce_type: 'com.omniretail.other.thing.v1' }), key);
    // Valid but for a NUL, which Postgres text cannot hold: parked at once, never retried.
    await send(JSON.stringify({ ...bump(key), counterId: `${key}\u0000` }), counterHeaders(nul), key);
    const valid = [uniqueId('valid-'), uniqueId('valid-')];
    for (const id of valid) await send(JSON.stringify(bump(key, 2)), counterHeaders(id), key);

    await waitFor(async () => (await counter(key)) === 4, { timeoutMs: 20_000, what: 'valid events applied' });
    const parked = (await readTopic(kafka, dlq(), { atLeast: 5 })).filter((m) => m.key === key);
    expect(parked).toHaveLength(5);
    const byReason = (id: string) => parked.find((m) => m.headers.ce_id === id);
    expect(byReason(badJson)?.headers['dlq-reason']).toMatch(/invalid JSON/);
    expect(byReason(badJson)?.value).toBe('{"schemaVersion":1,"counterId":');
    expect(byReason(invalid)?.headers['dlq-reason']).toMatch(/^amount: /);
    expect(byReason(wrongType)?.headers['dlq-reason']).toMatch(/unexpected ce_type/);
    expect(byReason(nul)?.headers['dlq-reason']).toBe('NUL character in counterId (Postgres text cannot hold it)');
    expect(parked.find((m) => m.headers.ce_id === undefined)?.headers['dlq-reason']).toBe('missing ce_id header');
    for (const message of parked) {
      expect(message.headers).toMatchObject({
        'dlq-original-topic': topics.physical(COUNTER_BUMPED.topic),
        'dlq-consumer-group': group,
        'content-type': 'application/json',
      });
      expect(Number(message.headers['dlq-original-offset'])).toBeGreaterThanOrEqual(0);
      expect(message.headers['dlq-original-partition']).toMatch(/^\d+$/);
    }
    for (const id of valid) expect(deliveries.get(id)).toBe(1);
  });

  it('retries a transient failure until it succeeds: effect once, nothing dead-lettered', async () => {
    const key = uniqueId('transient-');
    const id = uniqueId('ev-');
    await send(JSON.stringify(bump(key, 7)), counterHeaders(id), key);
    await waitFor(async () => (await counter(key)) !== undefined, { timeoutMs: 20_000, what: 'transient event applied' });
    expect(await counter(key)).toBe(7);
    expect(deliveries.get(id)).toBe(3);
    // A later event on the same key proves the consumer moved on; the DLQ must not hold the first.
    const next = uniqueId('ev-');
    await send(JSON.stringify(bump(key, 1)), counterHeaders(next), key);
    await waitFor(async () => (await counter(key)) === 8, { what: 'next event applied' });
    expect((await readTopic(kafka, dlq())).filter((m) => m.headers.ce_id === id)).toEqual([]);
  });

  it('dead-letters a permanent failure at once and an exhausted transient one after its attempts, with no effect', async () => {
    const permanentKey = uniqueId('permanent-');
    const failingKey = uniqueId('always-failing-');
    const permanentId = uniqueId('ev-');
    const failingId = uniqueId('ev-');
    await send(JSON.stringify(bump(permanentKey)), counterHeaders(permanentId), permanentKey);
    await send(JSON.stringify(bump(failingKey)), counterHeaders(failingId), failingKey);
    const parked = await waitFor(
      async () => {
        const messages = await readTopic(kafka, dlq());
        const both = [permanentId, failingId].map((id) => messages.find((m) => m.headers.ce_id === id));
        return both.every(Boolean) ? both : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'both events dead-lettered' },
    );
    expect(parked[0]!.headers['dlq-reason']).toBe('counter is closed');
    expect(parked[1]!.headers['dlq-reason']).toBe('retries exhausted: store is down');
    expect(deliveries.get(permanentId)).toBe(1);
    expect(deliveries.get(failingId)).toBe(4);
    expect(await counter(permanentKey)).toBeUndefined();
    expect(await counter(failingKey)).toBeUndefined();
  });

  it('parks what fits of an event too large for its dead-letter topic, and keeps consuming after it', async () => {
    // The dead-letter topic takes records of at most 4,000 bytes; the poison event alone is 3,900,
    // so with the reason headers its dead letter is refused as too large.
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: dlq(), configEntries: [{ name: 'max.message.bytes', value: '4000' }] }] });
    // The broker applies a topic's new config asynchronously: wait until it reports it.
    await waitFor(
      async () => {
        const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: dlq(), configNames: ['max.message.bytes'] }] });
        return resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue === '4000';
      },
      { timeoutMs: 10_000, what: 'the dead-letter topic to take its new size limit' },
    );
    await admin.disconnect();
    // A broker's log picks the change up a moment after its metadata does.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const key = uniqueId('huge-');
    const poison = uniqueId('poison-');
    const value = `{"schemaVersion":1,"counterId":"${'x'.repeat(3860)}`;
    await send(value, counterHeaders(poison), key);
    await send(JSON.stringify(bump(key, 3)), counterHeaders(uniqueId('after-')), key);
    await waitFor(async () => (await counter(key)) === 3, { timeoutMs: 30_000, what: 'the event after the poison one applied' });
    const [parked] = (await readTopic(kafka, dlq(), { atLeast: 1 })).filter((m) => m.key === key);
    expect(parked.headers).toMatchObject({ ce_id: poison, 'dlq-truncated': 'true', 'dlq-original-size': String(Buffer.byteLength(value)), 'dlq-consumer-group': group });
    expect(parked.headers['dlq-reason']).toMatch(/invalid JSON/);
    const letter = JSON.parse(parked.value!) as { truncated: boolean; originalSize: number; headBase64: string };
    expect(letter.truncated).toBe(true);
    expect(Buffer.from(letter.headBase64, 'base64').toString()).toBe(value.slice(0, 1024));
  });

  it('applies a redelivered event (same ce_id twice on the wire) once', async () => {
    const key = uniqueId('redelivered-');
    const id = uniqueId('ev-');
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await send(JSON.stringify(bump(key, 5)), counterHeaders(id, { traceparent }), key);
    await send(JSON.stringify(bump(key, 5)), counterHeaders(id, { traceparent }), key);
    await waitFor(() => deliveries.get(id) === 2, { timeoutMs: 20_000, what: 'both deliveries handled' });
    expect(await counter(key)).toBe(5);
    expect((await pool.query('SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = $1', [id])).rows[0].n).toBe(1);
    expect(traceIds.get(id)).toBe('0af7651916cd43dd8448eb211c80319c');
  });
});
