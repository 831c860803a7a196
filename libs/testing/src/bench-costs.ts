import { Kafka, logLevel } from 'kafkajs';
import { testInfra } from './infra-env';

/** SQL statements each service has sent so far, read from its /metrics (`db_statements_total`), by name. */
export async function sqlStatementsSent(metricsUrls: Record<string, string>, headersFor: (url: string) => Promise<Record<string, string>> = async () => ({})): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, url] of Object.entries(metricsUrls)) {
    const res = await fetch(url, { headers: await headersFor(url) });
    counts[name] = Number(/^db_statements_total\{[^}]*\} (\d+)/m.exec(await res.text())?.[1] ?? NaN);
  }
  return counts;
}

/** Messages written so far to every topic whose name starts with `prefix`, in all (high watermarks). */
export async function kafkaMessagesUnder(prefix: string): Promise<number> {
  return Object.values(await kafkaMessagesByTopic(prefix)).reduce((a, b) => a + b, 0);
}

/** Messages written so far to each topic whose name starts with `prefix` (its high watermarks), by topic name without the prefix. */
export async function kafkaMessagesByTopic(prefix: string): Promise<Record<string, number>> {
  const admin = new Kafka({ clientId: 'bench-costs', brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const counts: Record<string, number> = {};
    for (const topic of topics) {
      let total = 0;
      for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
      counts[topic.slice(prefix.length)] = total;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** A benchmark run as a script: prints what it measured as JSON and exits 0, or prints the error and exits 1. */
export function printBenchResult(run: Promise<unknown>): void {
  run.then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
