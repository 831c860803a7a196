import { queryRows } from '@omni/sql';
import { OUTBOX_TABLE } from '../common/messaging-schema';
import { SqlExecutor } from '../common/sql-executor';

/** How far publishing lags behind the outbox: the age of the oldest row not yet sent (0 when none). */
export interface OutboxBacklog {
  oldestUnsentAgeMs: number;
}

/**
 * Reads the age of the oldest unsent outbox row (one index probe on the unsent index). Whoever
 * would add more rows while publishing is stuck (a broker outage, a relay without a session) can ask
 * this first: rows written then only wait behind the ones already queued, and after the outage they
 * arrive together as a backlog ahead of fresh work.
 */
export async function readOutboxBacklog(tx: SqlExecutor): Promise<OutboxBacklog> {
  const [first] = await queryRows<{ age_ms: number }>(
    tx,
    `SELECT (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
       FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL ORDER BY seq LIMIT 1`,
    [],
  );
  return { oldestUnsentAgeMs: first ? Math.max(0, Number(first.age_ms)) : 0 };
}
