import { uniqueId, waitFor } from '@omni/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { silentLogger } from '../src/common/observability';
import type { TopicNames } from '../src/common/topic-names';
import { EventConsumer, OFFSET_COMMIT_DELAY_MS } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';
import { bump, COUNTER_BUMPED, counterHeaders, counterTestBed, type CounterTestBed } from './messaging-test-kit';

jest.setTimeout(90_000);

/** When a group commits what it handled: within OFFSET_COMMIT_DELAY_MS, and before it leaves. */
describe('EventConsumer offset commits (real Kafka)', () => {
  let bed: CounterTestBed;
  let kafka: Kafka;
  let topics: TopicNames;
  const running: EventConsumer[] = [];

  const topic = () => topics.physical(COUNTER_BUMPED.topic);
  const sendOne = (id: string) =>
    bed.producer.send({ topic: topic(), acks: -1, messages: [{ key: id, value: JSON.stringify(bump(id)), headers: counterHeaders(uniqueId('evt-')) }] });

  /** Partitions whose committed offset is behind their end, as `partition: committed/end`. */
  async function behind(groupId: string): Promise<string[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic()] });
      const ends = await admin.fetchTopicOffsets(topic());
      return ends
        .filter((end) => end.high !== '0')
        .map((end) => ({ end, at: committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1' }))
        .filter(({ end, at }) => at !== end.high)
        .map(({ end, at }) => `${end.partition}: ${at}/${end.high}`);
    } finally {
      await admin.disconnect();
    }
  }

  /** A started consumer of the counter topic, and the kafkajs consumer inside it (to count its commits). */
  async function startConsumer(groupId: string, seen: string[]): Promise<{ consumer: EventConsumer; inner: Consumer }> {
    const spy = jest.spyOn(kafka, 'consumer');
    const consumer = new EventConsumer({
      kafka,
      groupId,
      topics,
      logger: silentLogger,
      subscriptions: [subscribe(COUNTER_BUMPED, async (payload) => void seen.push(payload.counterId))],
    });
    const inner = spy.mock.results[0].value as Consumer;
    spy.mockRestore();
    running.push(consumer);
    await consumer.start();
    await consumer.ready();
    return { consumer, inner };
  }

  beforeAll(async () => {
    bed = await counterTestBed('messaging_commits');
    ({ kafka, topics } = bed);
  });

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await bed?.close();
  });

  it('commits a stream of events fetched one by one in a few commits, and the last of them without more traffic', async () => {
    const groupId = uniqueId('commits-');
    const seen: string[] = [];
    const { inner } = await startConsumer(groupId, seen);
    let commits = 0;
    inner.on(inner.events.COMMIT_OFFSETS, () => commits++);

    const ids = Array.from({ length: 40 }, (_, i) => `one-by-one-${i}`);
    const started = Date.now();
    for (const id of ids) {
      await sendOne(id);
      // Each fetch answers as soon as a record arrives: wait for it, so every event is a batch of its own.
      await waitFor(() => seen.includes(id), { timeoutMs: 10_000, intervalMs: 5, what: `event ${id}` });
    }
    const elapsed = Date.now() - started;
    // kafkajs' auto-commit committed once per fetched batch: 40 here.
    expect(commits).toBeLessThanOrEqual(Math.ceil(elapsed / OFFSET_COMMIT_DELAY_MS) + 1);
    expect(commits).toBeLessThan(ids.length / 4);

    // Nothing else arrives: the events handled last are committed within the delay all the same.
    await waitFor(async () => (await behind(groupId)).length === 0, { timeoutMs: OFFSET_COMMIT_DELAY_MS + 5_000, intervalMs: 200, what: 'the last events committed' });
    expect(await behind(groupId)).toEqual([]);
  });

  it('commits what it handled before it leaves the group, so the next member reads none of it again', async () => {
    const groupId = uniqueId('commits-stop-');
    const seen: string[] = [];
    const { consumer } = await startConsumer(groupId, seen);
    const ids = Array.from({ length: 12 }, (_, i) => `before-stop-${i}`);
    for (const id of ids) await sendOne(id);
    await waitFor(() => ids.every((id) => seen.includes(id)), { timeoutMs: 20_000, intervalMs: 5, what: 'every event handled' });
    // Stopped right after handling, well inside the commit delay: the stop itself commits.
    await consumer.stop();
    expect(await behind(groupId)).toEqual([]);

    const again: string[] = [];
    await startConsumer(groupId, again);
    const marker = uniqueId('after-restart-');
    await sendOne(marker);
    await waitFor(() => again.includes(marker), { timeoutMs: 30_000, what: 'the next member to read a new event' });
    expect(again).toEqual([marker]);
  });
});
