import { Kafka, logLevel } from 'kafkajs';
import { testInfra } from '../infra-env';
import { testRunTopicPrefix } from '../unique';

/**
 * Jest global teardown: deletes the Kafka topics this run created (they all carry the run's
 * prefix), so a broker that serves many runs does not pile up thousands of partitions. A failure
 * here is reported, never fatal: the tests have already decided the run.
 */
export default async function globalTeardown(): Promise<void> {
  if (!process.env.OMNI_TEST_RUN) return;
  const prefix = testRunTopicPrefix();
  const admin = new Kafka({ clientId: 'test-teardown', brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    for (let i = 0; i < topics.length; i += 100) {
      await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 30_000 });
    }
  } catch (error) {
    console.warn(`test teardown: could not delete this run's topics (${prefix}*): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
