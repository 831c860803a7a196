import { Kafka, TopicMessages } from 'kafkajs';
import { RenewableProducer } from '../common/renewable-producer';
import { Client, ClientConfig } from 'pg';
import { CountingClient } from '@omni/sql';
import { backoffDelay, sleep, withTimeout } from '../common/backoff';
import { errorMessage } from '../common/errors';
import { topicMessages } from '../common/topic-messages';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from '../common/messaging-schema';
import { MessagingLogger, MessagingMetrics, stderrLogger } from '../common/observability';

/** Settings of an OutboxRelay. */
export interface OutboxRelayOptions {
  /** Kafka client the relay creates its idempotent producer from. */
  kafka: Kafka;
  /** Postgres connection for the relay's own session (LISTEN + advisory lock + publishing). */
  connection: string | ClientConfig;
  /** Rows per publish batch (default 500). */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives, in ms (default 1000). */
  pollIntervalMs?: number;
  /** How often a standby retries the leader lock, in ms (default 1000: a frozen or dead leader is replaced within about a second of losing its session). */
  lockRetryMs?: number;
  /** Sent rows older than this are deleted, in ms (default 1 h). */
  retentionMs?: number;
  /** Publish-failure backoff (defaults 200 ms doubling to 2 s, so publishing resumes within about 2 s of the broker's return). */
  backoff?: { initialMs: number; maxMs: number };
  /** Advisory lock key; one relay per database holds it (default fixed). */
  lockKey?: number;
  /** Test hook run after Kafka acknowledged a batch and before the rows are marked sent. */
  afterPublish?: (ids: string[]) => void | Promise<void>;
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
}

interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  payload: string;
  age_ms: number;
}

/** Default advisory lock key of the relay ("omni" outbox). */
export const DEFAULT_RELAY_LOCK_KEY = 0x6f6d6e69;
const PURGE_EVERY_MS = 60_000;

/**
 * Publishes committed outbox rows to Kafka in `seq` order. Woken by NOTIFY on commit (and a
 * fallback poll); only the holder of a session advisory lock publishes, so per-key order holds
 * across replicas. A row is marked sent only after Kafka acknowledged it (acks=all): after a crash
 * it is published again, never lost; consumers deduplicate through the inbox.
 */
export class OutboxRelay {
  private readonly producer: RenewableProducer;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lockRetryMs: number;
  private readonly retentionMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly lockKey: number;
  /** How long the relay's session may be idle before Postgres ends it (see connectSession). */
  private readonly idleSessionTimeoutMs: number;
  private readonly logger: MessagingLogger;
  private readonly stopSignal = new AbortController();
  private client?: Client;
  private leader = false;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  private wakeScheduled = false;
  private wakeAgain = false;
  private draining?: Promise<void>;
  private failures = 0;
  private lastLockAttempt = 0;
  private lastPurge = 0;
  private connecting?: Promise<void>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.producer = new RenewableProducer(options.kafka, options.logger ?? stderrLogger, 'outbox-relay');
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.retentionMs = options.retentionMs ?? 3_600_000;
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 2000 };
    this.lockKey = options.lockKey ?? DEFAULT_RELAY_LOCK_KEY;
    this.idleSessionTimeoutMs = Math.max(5000, 5 * this.pollIntervalMs, 3 * this.lockRetryMs);
    this.logger = options.logger ?? stderrLogger;
  }

  /** True while this relay holds the lock and publishes. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Connects the producer and the session, tries to become leader, and starts the poll loop. */
  async start(): Promise<void> {
    await this.producer.connect();
    await this.connectSession().catch((error) => this.logger.warn('outbox relay session failed', { error: errorMessage(error) }));
    this.timer = setInterval(() => this.tick(), this.pollIntervalMs);
    this.timer.unref();
  }

  /** Stops listening, publishes what is already committed (bounded by `timeoutMs`), then disconnects. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.timer);
    // Cut a publish-failure backoff short: the final drain below takes over at once.
    this.stopSignal.abort();
    const client = this.client;
    try {
      if (client && this.leader) {
        await client.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
        await withTimeout(this.finalDrain(), timeoutMs, 'outbox final drain');
      }
    } catch (error) {
      this.logger.warn('outbox relay stopped before draining everything', { error: errorMessage(error) });
    }
    this.leader = false;
    this.client = undefined;
    // Ending the session releases the advisory lock, so a standby takes over at once.
    await client?.end().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Publishes everything committed so far (used by stop and tests); no-op unless leader. */
  async drain(): Promise<void> {
    while (this.draining) await this.draining;
    if (!this.leader) return;
    this.draining = this.drainUntilEmpty().finally(() => (this.draining = undefined));
    await this.draining;
  }

  private async finalDrain(): Promise<void> {
    while (this.draining) await this.draining;
    await this.drainUntilEmpty(true);
  }

  private tick(): void {
    if (this.stopping) return;
    if (!this.client) {
      void this.connectSession().catch((error) => this.logger.warn('outbox relay session failed', { error: errorMessage(error) }));
    } else if (!this.leader) {
      if (Date.now() - this.lastLockAttempt >= this.lockRetryMs) void this.tryLock();
    } else if (this.draining) {
      // A publish can wait on the broker for many seconds inside its transaction; this keeps a
      // live leader's session from counting as idle (see connectSession). A frozen one sends nothing.
      this.client.query('SELECT 1').catch(() => undefined);
    } else if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.wake();
    } else {
      void this.pollUnsent(this.client);
    }
  }

  /**
   * The fallback poll, for a NOTIFY that never came: one statement (no transaction, no row lock)
   * asks whether anything waits, and only then does the relay drain. It is also what keeps an idle
   * leader's session from counting as idle.
   */
  private async pollUnsent(client: Client): Promise<void> {
    try {
      const { rows } = await client.query<{ waiting: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL) AS waiting`);
      if (rows[0]?.waiting === true) this.wake();
      // Nothing waits: no lag (the last drain left the age of its last batch).
      else this.options.metrics?.outboxLag?.(0);
    } catch (error) {
      this.dropSession(client, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async connectSession(): Promise<void> {
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      const config = typeof this.options.connection === 'string' ? { connectionString: this.options.connection } : this.options.connection;
      // Counted with the service's own statements (db_statements_total).
      const client = new CountingClient({ application_name: 'messaging-outbox-relay', keepAlive: true, ...config });
      client.on('error', (error) => this.dropSession(client, error));
      client.on('end', () => this.dropSession(client, new Error('connection ended')));
      client.on('notification', () => this.wake());
      await client.connect();
      if (this.stopping) {
        await client.end();
        return;
      }
      this.client = client;
      // The relay only writes "sent" marks and purges: losing one in a database crash means a
      // republish the inbox absorbs, so its commits need not wait for the WAL flush.
      await client.query('SET synchronous_commit TO off');
      // Every published row leaves a dead entry in the unsent index until VACUUM, which on a busy
      // outbox runs far less often than the relay polls. A bitmap scan visits every such entry's
      // heap page on every poll (thousands of pages, milliseconds per poll); a plain index scan
      // marks the entries it finds dead (LP_DEAD) and skips them from then on.
      await client.query('SET enable_bitmapscan TO off');
      // Leadership is this session's advisory lock. A leader that freezes (SIGSTOP, a stalled
      // node) keeps its TCP session alive, because the kernel still answers for it, and so keeps
      // the lock: every replica's events would wait until it thaws. A live relay runs a statement
      // at least every poll (leader) or lock retry (standby), so a session idle far longer than
      // that belongs to a frozen process, and Postgres ends it, releasing the lock to a standby.
      // The same bound holds inside the publish transaction, whose row locks a frozen leader would
      // otherwise keep.
      await client.query(`SET idle_in_transaction_session_timeout TO ${this.idleSessionTimeoutMs}`);
      await client.query(`SET idle_session_timeout TO ${this.idleSessionTimeoutMs}`).catch((error: unknown) =>
        this.logger.warn('outbox relay cannot bound its idle session (PostgreSQL 14+ needed); a frozen leader keeps the lock', { error: errorMessage(error) }),
      );
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await this.tryLock();
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private dropSession(client: Client, error: Error): void {
    if (this.client !== client) return;
    if (!this.stopping) this.logger.warn('outbox relay lost its database session', { error: error.message });
    this.client = undefined;
    this.leader = false;
    void client.end().catch(() => undefined);
  }

  private async tryLock(): Promise<void> {
    const client = this.client;
    if (!client || this.leader) return;
    this.lastLockAttempt = Date.now();
    try {
      const result = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [this.lockKey]);
      if (result.rows[0]?.locked === true && this.client === client && !this.stopping) {
        this.leader = true;
        this.logger.info('outbox relay is the publisher for this database');
        this.wake();
      }
    } catch (error) {
      this.dropSession(client, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Debounced to one drain per tick however many NOTIFYs arrive. */
  private wake(): void {
    if (this.stopping || !this.leader) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      if (!this.draining && this.leader && !this.stopping) void this.drain();
    });
  }

  private async drainUntilEmpty(final = false): Promise<void> {
    for (;;) {
      if ((this.stopping && !final) || !this.leader || !this.client) return;
      this.wakeAgain = false;
      let published: number;
      try {
        await this.purgeIfDue();
        published = await this.publishBatch();
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.logger.warn('outbox publish failed; retrying', { error: errorMessage(error), failures: this.failures });
        if (final) throw error;
        await sleep(backoffDelay(this.failures, this.backoff.initialMs, this.backoff.maxMs), this.stopSignal.signal);
        continue;
      }
      if (published < this.batchSize && !this.wakeAgain) return;
    }
  }

  /**
   * One batch in one transaction, in two round trips: BEGIN with the claim, then the mark with
   * COMMIT (simple-query strings of two statements; their only values are the batch size and the
   * claimed seqs, both integers). The publish to Kafka sits between them, under the rows' locks.
   */
  private async publishBatch(): Promise<number> {
    const client = this.client;
    if (!client) return 0;
    try {
      const [, claimed] = (await client.query(
        `BEGIN; SELECT seq, id, topic, key, headers, payload::text AS payload,
                (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
           FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL ORDER BY seq LIMIT ${Math.trunc(this.batchSize)} FOR UPDATE`,
      )) as unknown as [unknown, { rows: OutboxRow[] }];
      const rows = claimed.rows;
      this.options.metrics?.outboxLag?.(rows.length > 0 ? rows[0].age_ms / 1000 : 0);
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const seqs = seqArray(rows);
      try {
        await this.producer.sendBatch({ topicMessages: toTopicMessages(rows), acks: -1 });
      } catch (error) {
        await client.query(`UPDATE ${OUTBOX_TABLE} SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])`, [
          rows.map((r) => r.seq),
          errorMessage(error).slice(0, 2000),
        ]);
        await client.query('COMMIT');
        for (const [topic, count] of countByTopic(rows)) this.options.metrics?.publishFailed?.(topic, count);
        throw error;
      }
      await this.options.afterPublish?.(rows.map((r) => r.id));
      await client.query(`UPDATE ${OUTBOX_TABLE} SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY(${seqs}); COMMIT`);
      for (const [topic, count] of countByTopic(rows)) this.options.metrics?.published?.(topic, count);
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS || !this.client) return;
    this.lastPurge = Date.now();
    await this.client.query(`DELETE FROM ${OUTBOX_TABLE} WHERE sent_at < now() - make_interval(secs => $1)`, [this.retentionMs / 1000]);
  }
}

/** The claimed rows' seqs as a bigint[] literal; a seq is a bigint Postgres returned, so digits only (checked). */
function seqArray(rows: readonly OutboxRow[]): string {
  for (const row of rows) if (!/^\d+$/.test(row.seq)) throw new Error(`outbox seq ${row.seq} is not a bigint`);
  return `'{${rows.map((r) => r.seq).join(',')}}'::bigint[]`;
}

function toTopicMessages(rows: OutboxRow[]): TopicMessages[] {
  return topicMessages(rows.map((row) => ({ topic: row.topic, message: { key: row.key, value: row.payload, headers: row.headers } })));
}

function countByTopic(rows: OutboxRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.topic, (counts.get(row.topic) ?? 0) + 1);
  return counts;
}
