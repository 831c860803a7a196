import { uniqueId, waitFor } from '@omni/testing';
import type { Kafka } from 'kafkajs';
import { silentLogger } from '../src/common/observability';
import type { TopicNames } from '../src/common/topic-names';
import { EventConsumer } from '../src/consumer/event-consumer';
import { subscribe } from '../src/consumer/event-context';
import { bump, COUNTER_BUMPED, counterHeaders, counterTestBed, type CounterTestBed } from './messaging-test-kit';

jest.setTimeout(90_000);

/** A consumer of one replica's own (an in-memory view): `offsets: 'end-at-start'`. */
describe('EventConsumer reading from its own offsets (real Kafka)', () => {
  let bed: CounterTestBed;
  let kafka: Kafka;
  let topics: TopicNames;
  let consumer: EventConsumer | undefined;
  const seen: string[] = [];

  const send = (counterIds: string[]) =>
    bed.producer.send({
      topic: topics.physical(COUNTER_BUMPED.topic),
      acks: -1,
      messages: counterIds.map((id) => ({ key: id, value: JSON.stringify(bump(id)), headers: counterHeaders(uniqueId('evt-')) })),
    });

  beforeAll(async () => {
    bed = await counterTestBed('messaging_own_offsets');
    ({ kafka, topics } = bed);
  });

  afterAll(async () => {
    await consumer?.stop();
    await bed?.close();
  });

  it('starts at the end offsets as of start, commits nothing, and after a rebalance resumes where it was instead of skipping to the end', async () => {
    const groupId = uniqueId('own-offsets-');
    await send(['before-1', 'before-2', 'before-3']);
    consumer = new EventConsumer({
      kafka,
      groupId,
      topics,
      offsets: 'end-at-start',
      fromBeginning: false,
      logger: silentLogger,
      subscriptions: [subscribe(COUNTER_BUMPED, async (payload) => void seen.push(payload.counterId))],
    });
    await consumer.start();
    // Published before the group is joined: read all the same, since start fixed where to begin.
    const first = Array.from({ length: 9 }, (_, i) => `first-${i}`);
    await send(first);
    await waitFor(() => first.every((id) => seen.includes(id)), { timeoutMs: 30_000, what: 'the events published after start' });
    expect(seen.filter((id) => id.startsWith('before-'))).toEqual([]);

    // Another member takes some partitions for a while (and commits nothing either); events it
    // reads are not this consumer's. When it leaves, this consumer must read them itself.
    const intruderSeen: string[] = [];
    const intruder = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 1000, rebalanceTimeout: 10_000 });
    await intruder.connect();
    await intruder.subscribe({ topic: topics.physical(COUNTER_BUMPED.topic), fromBeginning: false });
    await intruder.run({ autoCommit: false, eachMessage: async ({ message }) => void intruderSeen.push((JSON.parse(message.value!.toString()) as { counterId: string }).counterId) });
    const during = Array.from({ length: 12 }, (_, i) => `during-${i}`);
    await waitFor(
      async () => {
        await send([uniqueId('probe-')]);
        return intruderSeen.length > 0;
      },
      { timeoutMs: 40_000, intervalMs: 500, what: 'the second member to hold a partition' },
    );
    await send(during);
    await waitFor(() => during.some((id) => intruderSeen.includes(id)), { timeoutMs: 30_000, what: 'the second member to read some events' });
    await intruder.disconnect();
    await waitFor(() => during.every((id) => seen.includes(id)), { timeoutMs: 40_000, what: 'this consumer to read what the second member had read' });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.physical(COUNTER_BUMPED.topic)] });
      expect(committed.partitions.map((p) => p.offset)).toEqual(committed.partitions.map(() => '-1'));
    } finally {
      await admin.disconnect();
    }
  });
});
