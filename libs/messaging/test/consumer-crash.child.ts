// Child process for the consumer crash test: consumes the counter topic as group CONSUMER_GROUP,
// applying each bump through the inbox, until it is killed. Every delivery is recorded first, in a
// statement of its own, so the test can tell a redelivery from an application. Run with
// `node -r @swc-node/register`.
import { Pool } from 'pg';
import { createKafka, EventConsumer, inboxHandler, pgTransactionRunner, silentLogger, subscribe, TopicNames } from '../src';
import { COUNTER_BUMPED, type CounterBumpedEvent } from './messaging-test-kit';

async function main(): Promise<void> {
  const { CONSUMER_DB_URL: connection, CONSUMER_BROKERS, CONSUMER_GROUP: groupId, CONSUMER_TOPIC_PREFIX: prefix } = process.env;
  if (!connection || !CONSUMER_BROKERS || !groupId || prefix === undefined) throw new Error('CONSUMER_DB_URL, CONSUMER_BROKERS, CONSUMER_GROUP and CONSUMER_TOPIC_PREFIX are required');
  const pool = new Pool({ connectionString: connection, max: 2 });
  const kafka = createKafka({ clientId: `crashing-consumer-${process.pid}`, brokers: CONSUMER_BROKERS.split(','), logger: silentLogger });
  const apply = inboxHandler<CounterBumpedEvent, import('pg').PoolClient>({ runInTransaction: pgTransactionRunner(pool), consumerGroup: groupId }, async (payload, ctx) => {
    await ctx.tx.query('INSERT INTO counters (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = counters.value + $2', [payload.counterId, payload.amount]);
  });
  const consumer = new EventConsumer({
    kafka,
    groupId,
    topics: new TopicNames(prefix),
    logger: silentLogger,
    subscriptions: [
      subscribe(COUNTER_BUMPED, async (payload, ctx) => {
        await pool.query('INSERT INTO deliveries (event_id, pid) VALUES ($1, $2)', [ctx.id, process.pid]);
        // A little work per event, so the stream is still being handled when the test kills this process.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return apply(payload, ctx);
      }),
    ],
  });
  await consumer.start();
  await consumer.ready();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
