import { INBOX_TABLE } from '../common/messaging-schema';
import { SqlExecutor } from '../common/sql-executor';

/** Records which events a consumer group has applied, in the same transaction as their effect. */
export class InboxStore {
  /** Claims `eventId` for `consumerGroup` inside `tx`: true the first time, false if already applied. */
  async claim(tx: SqlExecutor, consumerGroup: string, eventId: string, topic: string): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, topic) VALUES ($1, $2, $3)
       ON CONFLICT (consumer_group, event_id) DO NOTHING RETURNING event_id`,
      [consumerGroup, eventId, topic],
    );
    return rowsOf(result).length === 1;
  }

  /** Deletes inbox rows older than `olderThanMs`; keep this longer than any redelivery can take. */
  async purge(executor: SqlExecutor, olderThanMs: number): Promise<number> {
    // Wrapped in a SELECT so pg and TypeORM both return plain rows.
    const result = await executor.query(
      `WITH gone AS (DELETE FROM ${INBOX_TABLE} WHERE received_at < now() - make_interval(secs => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [olderThanMs / 1000],
    );
    return (rowsOf(result)[0] as { n: number } | undefined)?.n ?? 0;
  }
}

/** pg returns `{ rows }`; a TypeORM EntityManager returns the rows themselves. */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  const rows = (result as { rows?: unknown[] } | undefined)?.rows;
  return Array.isArray(rows) ? rows : [];
}
