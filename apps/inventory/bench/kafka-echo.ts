// The Kafka transport alone, for the inventory bench's ceiling scenario: a participant that answers
// every inventory-branch-requested command at once with a refusal and does no other work (no
// validation, no Redis, no Postgres, no outbox). It runs in its own process, as the inventory service
// does, with the same consumer and producer settings as the service's EventConsumer, so the bench's
// clients measure what this machine's broker and kafkajs cost per round trip before any business
// logic. Started by runKafkaCeiling with the topic prefix as its argument; prints "ready" once its
// consumer group is joined, and exits on SIGTERM.
import { randomUUID } from 'node:crypto';
import { INVENTORY_BRANCH_REQUESTED, TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { createKafka, OutboxWriter, silentLogger, TopicAdmin, TopicNames } from '@omni/messaging';
import { testInfra, uniqueId } from '@omni/testing';
import { Partitioners } from 'kafkajs';

/** The service's consumer lanes for saga commands (InventoryEnv.KAFKA_CONSUMER_CONCURRENCY). */
const PARTITIONS_CONSUMED_CONCURRENTLY = 6;

async function main(topicPrefix: string): Promise<void> {
  const topics = new TopicNames(topicPrefix);
  const kafka = createKafka({ clientId: uniqueId('inventory-echo'), brokers: testInfra.kafkaBrokers, logger: silentLogger });
  const admin = new TopicAdmin(kafka, topics);
  await admin.ensureTopics([INVENTORY_BRANCH_REQUESTED, TCC_BRANCH_REPLIED], { includeDlq: false });
  await admin.close();

  // Every reply has the shape and headers the service's replies have; only ids and time change.
  const refusal: TccBranchRepliedEvent = {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    gid: randomUUID(),
    branchId: randomUUID(),
    participant: 'inventory',
    op: 'try',
    outcome: 'failure',
    reasons: [{ line: 0, code: 'ECHO', message: 'answered by the transport-ceiling echo, which does no work' }],
  };
  const template = new OutboxWriter(topics).event(TCC_BRANCH_REPLIED, refusal);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: uniqueId('inventory-echo'), maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: topics.physical(INVENTORY_BRANCH_REQUESTED.topic), fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
    eachBatch: async ({ batch }) => {
      const messages = batch.messages.map((message) => {
        const command = JSON.parse(message.value!.toString('utf8')) as { gid: string; branchId: string };
        const occurredAt = new Date().toISOString();
        const reply: TccBranchRepliedEvent = { ...refusal, occurredAt, gid: command.gid, branchId: command.branchId };
        const key = TCC_BRANCH_REPLIED.key(reply);
        return { key, value: JSON.stringify(reply), headers: { ...template.headers, ce_id: randomUUID(), ce_time: occurredAt, ce_subject: key } };
      });
      await producer.send({ topic: template.topic, acks: -1, messages });
    },
  });
  await joined;
  process.stdout.write('ready\n');
  const stop = () => {
    void Promise.allSettled([consumer.disconnect(), producer.disconnect()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

const topicPrefix = process.argv[2];
if (!topicPrefix) {
  console.error('usage: kafka-echo.ts <topic prefix>');
  process.exit(2);
}
main(topicPrefix).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
