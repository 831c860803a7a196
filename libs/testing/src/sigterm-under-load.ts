import { Client } from 'pg';
import { createTestDatabase } from './test-database';
import { testInfra } from './infra-env';
import { ServiceProcess } from './service-process';
import { uniqueId, uniqueTopicPrefix } from './unique';

/** What a SIGTERM under load did: how the process ended and what the clients saw. */
export interface SigtermUnderLoadResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal to the exit. */
  tookMs: number;
  /** Answers received (any status), before and during shutdown. */
  answered: number;
  /** Answers with a 2xx status. */
  succeeded: number;
  /** Answers with a 5xx status (a request in flight must never get one). */
  serverErrors: string[];
  /** Rows the service wrote to its outbox in all (so a test knows the load wrote events). */
  outboxRows: number;
  /** Rows of the service's outbox still unsent after it exited. */
  unsentOutbox: number;
}

/**
 * Starts `app` (apps/<app>/src/main.ts) as its own process on a database of its own, sends it
 * `concurrency` request loops (`path` on 127.0.0.1), sends SIGTERM after `loadMs` and measures the
 * exit; a loop ends when its connection is refused (intake stopped). Every loop is bounded (60 s).
 */
export async function sigtermUnderLoad(options: {
  app: string;
  path: string;
  budgetMs: number;
  env?: Record<string, string>;
  concurrency?: number;
  loadMs?: number;
  /** Headers of every request (the service credential of an internal route). */
  headers?: Record<string, string>;
  /** With a body, each request is a POST of `body(n)` (n counts the requests), so the load writes. */
  body?: (n: number) => unknown;
}): Promise<SigtermUnderLoadResult> {
  const db = await createTestDatabase(`${options.app.replace(/-/g, '_')}_stop`);
  const service = new ServiceProcess(options.app, `apps/${options.app}/src/main.ts`, {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId(options.app)}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(`${options.app}-stop`),
    SHUTDOWN_TIMEOUT_MS: String(options.budgetMs),
    ...options.env,
  });
  try {
    await service.ready();
    const serverErrors: string[] = [];
    let answered = 0;
    let succeeded = 0;
    let sent = 0;
    let signalled = false;
    const request = (): RequestInit =>
      options.body
        ? { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(options.body(sent++)) }
        : { headers: options.headers };
    const loops = Array.from({ length: options.concurrency ?? 8 }, async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${service.url}${options.path}`, request()).catch(() => null);
        if (res === null) {
          if (signalled) return;
          continue;
        }
        answered++;
        if (res.status >= 200 && res.status < 300) succeeded++;
        if (res.status >= 500) serverErrors.push(`${res.status} ${await res.text()}`);
        else await res.arrayBuffer();
      }
    });
    await new Promise((r) => setTimeout(r, options.loadMs ?? 2_000));
    const at = Date.now();
    signalled = true;
    service.signal('SIGTERM');
    const exit = await service.exited;
    const tookMs = Date.now() - at;
    await Promise.all(loops);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT (count(*) FILTER (WHERE sent_at IS NULL))::int AS unsent, count(*)::int AS n FROM messaging_outbox');
      return { ...exit, tookMs, answered, succeeded, serverErrors, unsentOutbox: rows[0].unsent, outboxRows: rows[0].n };
    } finally {
      await client.end();
    }
  } finally {
    await service.kill();
    await db.drop();
  }
}
