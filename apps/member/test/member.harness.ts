import { EVENT_CONTRACTS, MEMBER_BRANCH_REQUESTED, ORDER_PAID, ORDER_REFUND_REQUIRED, TCC_BRANCH_REPLIED, type EventContract } from '@omni/contracts';
import { TopicAdmin, TopicNames } from '@omni/messaging';
import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, type TestDatabase } from '@omni/testing';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { serviceAuthHeaders } from '@omni/platform/testing';

/** A member service on its own database and topic prefix. */
export interface MemberHarness {
  db: TestDatabase;
  service: TestService;
  topicPrefix: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The topics the member service uses: its events, the saga's commands to it and the replies, paid and refunded orders. */
const TOPICS: EventContract[] = [
  ...EVENT_CONTRACTS.filter((c) => c.source === 'member'),
  MEMBER_BRANCH_REQUESTED as EventContract,
  TCC_BRANCH_REPLIED as EventContract,
  ORDER_PAID as EventContract,
  ORDER_REFUND_REQUIRED as EventContract,
];

/** Boots the production AppModule for one suite. */
export async function startMember(label: string, env: Record<string, string> = {}): Promise<MemberHarness> {
  const db = await createTestDatabase(`member_${label}`);
  const topicPrefix = uniqueTopicPrefix(`member-${label}`);
  await createTopicsAndWait(topicPrefix);
  const service = await startMemberReplica(db, topicPrefix, env);
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

/** Another replica of the member service on a suite's database and topics (the caller closes it before the suite's harness). */
export function startMemberReplica(db: TestDatabase, topicPrefix: string, env: Record<string, string> = {}): Promise<TestService> {
  return startServiceForTest(AppModule, {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId('member')}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'fatal',
    TCC_HELD_BRANCH_CHECK_INTERVAL_MS: '0',
    MEMBER_MARKETING_INTERVAL_MS: '0',
    ...env,
  });
}

/** Creates the suite's topics and waits until every partition has a leader (a fresh topic on a busy broker may not have one yet). */
async function createTopicsAndWait(prefix: string): Promise<void> {
  const topics = new TopicAdmin(new Kafka({ brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }), new TopicNames(prefix));
  try {
    await topics.ensureTopics(TOPICS);
    await topics.waitForLeaders(TOPICS);
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
export async function call<T = Record<string, unknown>>(service: TestService, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...serviceAuthHeaders('member'), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Registers a member through the API and returns its id. */
export async function registerMember(service: TestService, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await call<{ memberId: string }>(service, 'POST', '/internal/members', { channel: 'app', account: { kind: 'app', accountId: uniqueId('acct') }, ...fields });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.memberId;
}

/** Points the ledger invariant: balance = ledger sum = batches' remaining, for every member; frozen within the balance. */
export async function ledgerInvariantBreaches(ds: DataSource): Promise<unknown[]> {
  return ds.query(`
    SELECT m.id, m.points_balance, m.points_frozen, COALESCE(l.total, 0) AS ledger, COALESCE(b.total, 0) AS batches
      FROM members m
      LEFT JOIN (SELECT member_id, sum(delta) AS total FROM points_ledger GROUP BY member_id) l ON l.member_id = m.id
      LEFT JOIN (SELECT member_id, sum(remaining) AS total FROM points_batches GROUP BY member_id) b ON b.member_id = m.id
     WHERE m.points_balance <> COALESCE(l.total, 0) OR (m.status = 'active' AND m.points_balance <> COALESCE(b.total, 0))
        OR m.points_frozen < 0 OR m.points_frozen > m.points_balance`);
}
