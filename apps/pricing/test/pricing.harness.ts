import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, type TestDatabase } from '@omni/testing';
import { PRICE_CHANGED, PRICING_BRANCH_REQUESTED, TCC_BRANCH_REPLIED, TIER_CHANGED } from '@omni/contracts';
import { OUTBOX_TABLE, TopicAdmin, TopicNames } from '@omni/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { serviceAuthHeaders } from '@omni/platform/testing';

/** A pricing service on its own database and topic prefix, with its boundary scheduler off unless asked. */
export interface PricingHarness {
  db: TestDatabase;
  service: TestService;
  topicPrefix: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Boots the production AppModule for one suite. */
export async function startPricing(label: string, env: Record<string, string> = {}): Promise<PricingHarness> {
  const db = await createTestDatabase(`pricing_${label}`);
  const topicPrefix = uniqueTopicPrefix(`pricing-${label}`);
  await createTopicsAndWait(topicPrefix);
  const service = await startServiceForTest(AppModule, {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId('pricing')}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'fatal',
    PRICING_CHANNELS: 'app,tmall,jd',
    PRICE_SCHEDULER_INTERVAL_MS: '0',
    // Quote locks past their deadline are settled by the tests that mean to, with their own coordinator.
    TCC_HELD_BRANCH_CHECK_INTERVAL_MS: '0',
    ...env,
  });
  return {
    db,
    service,
    topicPrefix,
    dataSource: service.app.get(DataSource),
    close: async () => {
      await service.close();
      await db.drop();
    },
  };
}

/**
 * Creates the suite's topics before the service starts and waits until every partition has a
 * leader: on a busy shared broker a consumer that subscribes to a topic created a moment earlier
 * can be told "This server does not host this topic-partition" and the boot fails.
 */
async function createTopicsAndWait(prefix: string): Promise<void> {
  const topics = new TopicAdmin(new Kafka({ brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }), new TopicNames(prefix));
  try {
    await topics.ensureTopics([PRICE_CHANGED, TCC_BRANCH_REPLIED, PRICING_BRANCH_REQUESTED, TIER_CHANGED]);
    await topics.waitForLeaders([PRICE_CHANGED, TCC_BRANCH_REPLIED, PRICING_BRANCH_REQUESTED, TIER_CHANGED]);
  } finally {
    await topics.close();
  }
}

/** A JSON answer. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the service with a JSON body (and optional headers). */
export async function call<T = Record<string, unknown>>(
  service: TestService,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...serviceAuthHeaders('pricing'), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** A price-changed payload as queued in the outbox. */
export interface QueuedPriceChange {
  sku: string;
  channel: string;
  price: { amount: number; currency: string };
  effectiveFrom: string;
  version: number;
}

/** Every price-changed row queued so far, in queue order. */
export async function queuedPriceChanges(ds: DataSource, topicPrefix: string): Promise<QueuedPriceChange[]> {
  const rows: { payload: QueuedPriceChange }[] = await ds.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1 ORDER BY seq`, [`${topicPrefix}price-changed`]);
  return rows.map((r) => r.payload);
}

/** A rule definition with the common fields filled. */
export function ruleBody(fields: Record<string, unknown>): Record<string, unknown> {
  return { name: String(fields.id), priority: 0, group: 'promo', currency: 'CNY', ...fields };
}
