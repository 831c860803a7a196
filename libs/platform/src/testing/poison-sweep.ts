import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { SERVICE_DEFINITION } from '../platform.tokens';
import type { ServiceDefinition } from '../service-definition';
import { CE, DLQ_HEADERS, DLQ_SUFFIX, headersToStrings, MessagingRuntime, type AnyEventContract } from '@omni/messaging';

/** An event no consumer can use, and the dead-letter reason it must get. */
interface Poison {
  what: string;
  value: string;
  type: (contract: AnyEventContract) => string;
  reason: RegExp;
}

/** The classes of poison every consumer must park on `<topic>.dlq` with a reason, then read past. */
export const POISON_EVENTS: readonly Poison[] = [
  { what: 'malformed JSON', value: '{"sku": "TEA-1", ', type: (c) => c.type, reason: /invalid JSON/ },
  { what: 'a wrong ce_type', value: '{}', type: (c) => `${c.type}.not-this-one`, reason: /unexpected ce_type/ },
  { what: 'a payload failing validation', value: '{"schemaVersion":-1,"unexpected":true}', type: (c) => c.type, reason: /\S/ },
  { what: 'a NUL character in a string', value: '{"note":"Long\\u0000jing"}', type: (c) => c.type, reason: /NUL character in note/ },
];

/** One poison event as sent: where it landed, which groups must park it. */
interface SentPoison {
  id: string;
  poison: Poison;
  topic: string;
  partition: number;
  offset: bigint;
  groups: string[];
}

/** Polls `probe` until it returns true or the time is up; the last result is returned. */
async function until(probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Publishes {@link POISON_EVENTS} to every topic a running service consumes (every topic of every
 * consumer group its handlers started, read from its messaging runtime, which must include every
 * topic its service definition lists in `consumes`) and expects (jest) each to
 * land on that topic's `.dlq` once per group reading it, with a `dlq-reason` naming the fault, and
 * each group's committed offset to move past them (it keeps consuming). The service must still be
 * live and ready afterwards. Returns the number of topics swept.
 */
export async function expectPoisonDeadLetteredOnEveryTopic(app: INestApplication, baseUrl: string, { timeoutMs = 30_000 } = {}): Promise<number> {
  const runtime = app.get(MessagingRuntime);
  const groupsByTopic = new Map<string, { contract: AnyEventContract; groups: string[] }>();
  for (const consumer of runtime.activeConsumers) {
    for (const { topic, contract } of consumer.subscribedTopics) {
      const entry = groupsByTopic.get(topic) ?? { contract, groups: [] };
      entry.groups.push(consumer.groupId);
      groupsByTopic.set(topic, entry);
    }
  }
  // What the service definition says it consumes is read by one of its groups.
  const declared = (app.get<ServiceDefinition>(SERVICE_DEFINITION).consumes ?? []).map((contract) => runtime.topics.physical(contract.topic));
  expect(declared.filter((topic) => !groupsByTopic.has(topic))).toEqual([]);
  if (groupsByTopic.size === 0) return 0;

  const producer = runtime.kafka.producer({ allowAutoTopicCreation: false });
  const admin = runtime.kafka.admin();
  const reader = runtime.kafka.consumer({ groupId: `poison-sweep-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const parked = new Map<string, Map<string, string>>();
  try {
    await Promise.all([producer.connect(), admin.connect(), reader.connect()]);
    await reader.subscribe({ topics: [...groupsByTopic.keys()].map((topic) => `${topic}${DLQ_SUFFIX}`), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers = headersToStrings(message.headers as Record<string, unknown>);
        const byGroup = parked.get(headers[CE.id]) ?? new Map<string, string>();
        byGroup.set(headers[DLQ_HEADERS.consumerGroup], headers[DLQ_HEADERS.reason] ?? '');
        parked.set(headers[CE.id], byGroup);
      },
    });

    const sent: SentPoison[] = [];
    for (const [topic, { contract, groups }] of groupsByTopic) {
      const batch = POISON_EVENTS.map((poison) => ({ poison, id: randomUUID() }));
      const [metadata] = await producer.send({
        topic,
        messages: batch.map(({ poison, id }) => ({
          key: 'poison-sweep',
          value: poison.value,
          headers: { [CE.id]: id, [CE.type]: poison.type(contract), [CE.source]: 'poison-sweep', [CE.specversion]: '1.0', [CE.time]: new Date().toISOString() },
        })),
      });
      batch.forEach(({ poison, id }, i) => sent.push({ id, poison, topic, partition: metadata.partition, offset: BigInt(metadata.baseOffset ?? '0') + BigInt(i), groups }));
    }

    const missing = (): string[] =>
      sent.flatMap((s) => s.groups.filter((group) => !s.poison.reason.test(parked.get(s.id)?.get(group) ?? '')).map((group) => `${s.topic} [${s.poison.what}] by ${group}: ${parked.get(s.id)?.get(group) ?? 'not dead-lettered'}`));
    await until(() => missing().length === 0, timeoutMs);
    expect(missing()).toEqual([]);

    const behind = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const [topic, { groups }] of groupsByTopic) {
        const last = sent.filter((s) => s.topic === topic).reduce((max, s) => (s.offset > max.offset ? s : max));
        for (const groupId of groups) {
          const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const committed = offsets?.partitions.find((p) => p.partition === last.partition)?.offset ?? '-1';
          if (BigInt(committed) <= last.offset) out.push(`${groupId} on ${topic}: committed ${committed}, poison at ${last.offset}`);
        }
      }
      return out;
    };
    await until(async () => (await behind()).length === 0, timeoutMs);
    expect(await behind()).toEqual([]);
  } finally {
    await Promise.allSettled([reader.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
  for (const probe of ['/health/live', '/health/ready']) {
    const status = (await fetch(`${baseUrl}${probe}`, { signal: AbortSignal.timeout(10_000) })).status;
    expect({ probe, status }).toEqual({ probe, status: 200 });
  }
  return groupsByTopic.size;
}
