import { rowsOfResult } from '@omni/sql';
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
    return rowsOfResult(result).length === 1;
  }

  /**
   * `claim` for many events in one statement: returns the ids claimed now. An id already applied,
   * or repeated in `events`, is claimed at most once.
   */
  async claimMany(tx: SqlExecutor, consumerGroup: string, events: ReadonlyArray<{ id: string; topic: string }>): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const result = await tx.query(
      `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, topic)
       SELECT $1, e, t FROM unnest($2::text[], $3::text[]) AS x(e, t)
       ON CONFLICT (consumer_group, event_id) DO NOTHING RETURNING event_id`,
      [consumerGroup, events.map((e) => e.id), events.map((e) => e.topic)],
    );
    return new Set(rowsOfResult(result).map((r) => String((r as { event_id: unknown }).event_id)));
  }
}
