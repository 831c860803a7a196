import { createKafka } from '@omni/messaging';
import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, type TestDatabase } from '@omni/testing';
import { AppModule } from '../src/app.module';
import { serviceAuthHeaders } from '@omni/platform/testing';

/** A catalog service on its own database and topic prefix. */
export interface CatalogUnderTest {
  service: TestService;
  db: TestDatabase;
  topicPrefix: string;
  url: string;
  close(): Promise<void>;
}

/** Boots the catalog as production does, isolated for one suite. */
export async function startCatalog(suite: string, env: Record<string, string> = {}): Promise<CatalogUnderTest> {
  const db = await createTestDatabase(`catalog_${suite.replace(/-/g, '_')}`);
  const topicPrefix = uniqueTopicPrefix(`catalog-${suite}`);
  try {
    const service = await startServiceForTest(AppModule, {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('catalog')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'fatal',
      ...env,
    });
    return {
      service,
      db,
      topicPrefix,
      url: service.url,
      close: async () => {
        await service.close();
        await db.drop();
        await deleteTopics(topicPrefix);
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/**
 * Deletes the suite's topics: the one local broker holds every suite's topics, and thousands of
 * leftovers slow its metadata down for everyone. Best effort, bounded.
 */
export async function deleteTopics(prefix: string): Promise<void> {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const admin = createKafka({ clientId: 'catalog-test-cleanup', brokers: testInfra.kafkaBrokers, logger: quiet }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // Cleanup must not fail a suite whose tests passed.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A response: status and parsed JSON body (null when empty). */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the catalog's HTTP API with a JSON body. */
export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...serviceAuthHeaders('catalog'), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}
