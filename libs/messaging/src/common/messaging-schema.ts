import { SqlExecutor } from './sql-executor';

/** Outbox: rows written in the business transaction, published by the relay in `seq` order. */
export const OUTBOX_TABLE = 'messaging_outbox';
/** Inbox: one row per (consumer group, event id) applied, written in the effect's transaction. */
export const INBOX_TABLE = 'messaging_inbox';
/** The NOTIFY channel that wakes the relay when an outbox transaction commits. */
export const OUTBOX_CHANNEL = 'messaging_outbox';

/** DDL creating the messaging tables (idempotent). */
export const messagingSchemaUpSql: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
    seq bigserial PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    topic text NOT NULL,
    key text NOT NULL,
    headers jsonb NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_unsent_idx ON ${OUTBOX_TABLE} (seq) WHERE sent_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_sent_idx ON ${OUTBOX_TABLE} (sent_at) WHERE sent_at IS NOT NULL`,
  // event_id is text: events from outside (platform webhooks) need not carry UUIDs.
  `CREATE TABLE IF NOT EXISTS ${INBOX_TABLE} (
    consumer_group text NOT NULL,
    event_id text NOT NULL,
    topic text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
  )`,
  `CREATE INDEX IF NOT EXISTS ${INBOX_TABLE}_received_idx ON ${INBOX_TABLE} (received_at)`,
];

/** DDL dropping the messaging tables. */
export const messagingSchemaDownSql: readonly string[] = [`DROP TABLE IF EXISTS ${INBOX_TABLE}`, `DROP TABLE IF EXISTS ${OUTBOX_TABLE}`];

/** Creates the messaging tables; for tests and services without TypeORM migrations. */
export async function ensureMessagingSchema(executor: SqlExecutor): Promise<void> {
  for (const sql of messagingSchemaUpSql) await executor.query(sql);
}
