import { rowsOfResult } from '@omni/sql';
import { errorMessage } from '../common/errors';
import { INBOX_TABLE } from '../common/messaging-schema';
import { MessagingLogger, stderrLogger } from '../common/observability';
import { SqlExecutor } from '../common/sql-executor';

/** A table of dedupe records and the timestamp column that dates each row. */
export interface RetentionTable {
  /** Name in logs, e.g. `inbox`. */
  name: string;
  table: string;
  /** A timestamptz column; rows older than the retention are deleted. */
  column: string;
}

/** The inbox: one row per (consumer group, event id) applied. */
export const INBOX_RETENTION: RetentionTable = { name: 'inbox', table: INBOX_TABLE, column: 'received_at' };

/** Settings of a RetentionSweeper. */
export interface RetentionSweeperOptions {
  /** Runs the deletes (a pg Pool or a TypeORM DataSource; each statement commits on its own). */
  executor: SqlExecutor;
  tables: readonly RetentionTable[];
  /** Rows younger than this are kept, in ms. */
  keepMs: number;
  /** Pause between sweeps, in ms. */
  intervalMs: number;
  /** Rows per DELETE statement (default 5000): short statements, short row locks. */
  batchSize?: number;
  logger?: MessagingLogger;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Deletes dedupe records (inbox rows, TCC barrier rows) once they are older than the retention.
 * They only matter while a message can still arrive again, so the retention must be longer than
 * any redelivery can take: the topics' retention, and the deadline every TCC command carries.
 * Deletes go in bounded batches that skip rows another replica is deleting, so replicas may sweep
 * at the same time.
 */
export class RetentionSweeper {
  private readonly batchSize: number;
  private readonly logger: MessagingLogger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(private readonly options: RetentionSweeperOptions) {
    for (const t of options.tables) {
      if (!IDENTIFIER.test(t.table) || !IDENTIFIER.test(t.column)) {
        throw new Error(`retention: "${t.table}.${t.column}" is not a plain lower-case SQL identifier`);
      }
    }
    if (!Number.isFinite(options.keepMs) || options.keepMs <= 0) throw new Error(`retention: keepMs must be positive, got ${options.keepMs}`);
    this.batchSize = options.batchSize ?? 5000;
    this.logger = options.logger ?? stderrLogger;
  }

  /** Sweeps every `intervalMs` (the first sweep one interval after start); 0 never sweeps. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweepOnce()
        .catch((error) => this.logger.warn('retention sweep failed; next interval retries', { error: errorMessage(error) }))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress (it ends after its current batch). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes every row older than the retention, table by table; returns how many per table. */
  async sweepOnce(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const t of this.options.tables) {
      let total = 0;
      for (;;) {
        const n = await this.deleteBatch(t);
        total += n;
        if (n < this.batchSize || this.stopping) break;
      }
      deleted[t.name] = total;
      if (total > 0) this.logger.info('retention: deleted expired rows', { table: t.table, rows: total, keptMs: this.options.keepMs });
    }
    return deleted;
  }

  private async deleteBatch(t: RetentionTable): Promise<number> {
    const result = await this.options.executor.query(
      `WITH doomed AS (
         SELECT ctid FROM ${t.table} WHERE ${t.column} < now() - make_interval(secs => $1) LIMIT $2 FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM ${t.table} WHERE ctid IN (SELECT ctid FROM doomed) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [this.options.keepMs / 1000, this.batchSize],
    );
    const rows = rowsOfResult(result);
    return (rows[0] as { n: number } | undefined)?.n ?? 0;
  }
}
