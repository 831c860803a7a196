import { Context } from '@opentelemetry/api';
import { EventContract, validatePayload } from '@omni/contracts';
import { v7 as uuidv7 } from 'uuid';
import { CE, cloudEventSource } from '../common/cloud-events';
import { EventValidationError } from '../common/errors';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from '../common/messaging-schema';
import { SqlExecutor } from '../common/sql-executor';
import { TopicNames } from '../common/topic-names';
import { injectTraceHeaders } from '../common/trace-context';

/** Per-event overrides for `OutboxWriter.add`. */
export interface OutboxAddOptions {
  /** Event id (`ce_id`); a new UUIDv7 when absent. */
  id?: string;
  /** `ce_subject`; the Kafka key when absent. */
  subject?: string;
  /** Kafka key; `contract.key(payload)` when absent. */
  key?: string;
  /** `ce_time`; now when absent. */
  time?: Date | string;
  /** Trace context to propagate; the active context when absent. */
  traceContext?: Context;
  /**
   * Producing service for `ce_source`; the contract's source when absent. Set it for a contract
   * that several services publish (tcc-branch-replied: every saga participant replies on it).
   */
  source?: string;
}

/** Writes events into the outbox inside the caller's transaction; the relay publishes them after commit. */
export class OutboxWriter {
  constructor(private readonly topics: TopicNames = new TopicNames()) {}

  /**
   * Validates `payload` against `contract` (throws EventValidationError, writing nothing, if invalid),
   * inserts the outbox row with CloudEvents and trace headers using `tx`, and wakes the relay on commit.
   * Returns the event id.
   */
  async add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T, opts: OutboxAddOptions = {}): Promise<string> {
    const validation = validatePayload(contract, payload);
    if (!validation.ok) throw new EventValidationError(contract.type, validation.errors);
    const value = validation.value;
    const id = opts.id ?? uuidv7();
    const key = opts.key ?? contract.key(value);
    const time = opts.time === undefined ? new Date().toISOString() : new Date(opts.time).toISOString();
    const headers: Record<string, string> = {
      [CE.specversion]: '1.0',
      [CE.id]: id,
      [CE.source]: cloudEventSource(opts.source ?? contract.source),
      [CE.type]: contract.type,
      [CE.time]: time,
      [CE.subject]: opts.subject ?? key,
      [CE.contentType]: 'application/json',
      [CE.schemaversion]: String(contract.version),
      ...injectTraceHeaders(opts.traceContext),
    };
    // One round trip: the NOTIFY is queued in this transaction and delivered only if it commits.
    await tx.query(
      `WITH row AS (
         INSERT INTO ${OUTBOX_TABLE} (id, topic, key, headers, payload) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING id
       ) SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM row`,
      [id, this.topics.physical(contract.topic), key, JSON.stringify(headers), JSON.stringify(value)],
    );
    return id;
  }
}
