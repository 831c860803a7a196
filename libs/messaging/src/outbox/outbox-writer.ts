import { Context } from '@opentelemetry/api';
import { EventContract, validatePayload } from '@omni/contracts';
import { v7 as uuidv7 } from 'uuid';
import { AnyEventContract, asObjectContract } from '../common/any-event-contract';
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

/** One event as the outbox stores it and the relay publishes it. */
export interface OutboxEvent {
  id: string;
  /** Physical Kafka topic. */
  topic: string;
  key: string;
  /** CloudEvents and trace headers. */
  headers: Record<string, string>;
  /** The validated payload. */
  payload: object;
}

/** Outbox rows built but not written (OutboxWriter.rows), to insert inside the caller's own statement. */
export interface OutboxRows {
  /** Event ids, in order. */
  readonly ids: string[];
  /** The five array parameters (ids, topics, keys, headers, payloads) the `outboxInsertCtes` read. */
  readonly params: [string[], string[], string[], string[], string[]];
}

/**
 * Two common table expressions for a caller's `WITH` clause: `<name>` inserts the outbox rows whose
 * five array parameters start at `$<firstParam>` (OutboxRows.params, in order) and returns one row
 * per event; `<name>_notify` wakes the relay (delivered only if the transaction commits) when any
 * was inserted. The statement must read `<name>_notify` (e.g. `(SELECT count(*) FROM <name>_notify)`):
 * Postgres always runs an INSERT in WITH but skips a SELECT nobody reads.
 */
export function outboxInsertCtes(name: string, firstParam: number): string {
  const p = (i: number) => `$${firstParam + i}`;
  return `${name} AS (
    INSERT INTO ${OUTBOX_TABLE} (id, topic, key, headers, payload)
    SELECT id, topic, key, headers, payload
      FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::jsonb[], ${p(4)}::jsonb[]) WITH ORDINALITY AS x(id, topic, key, headers, payload, n)
     ORDER BY n
    RETURNING 1),
  ${name}_notify AS (SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM ${name} LIMIT 1) one)`;
}

/**
 * Events held back per transaction by `OutboxWriter.gathering`, keyed by what identifies the
 * transaction (see transactionOf). Shared by every writer of the process, so a gathering sees the
 * events any writer adds in that transaction.
 */
const gathered = new WeakMap<object, OutboxEvent[]>();

/** What identifies `tx`'s transaction: a TypeORM manager's query runner (every manager of the transaction shares it), else the executor itself. */
function transactionOf(tx: SqlExecutor): object {
  return (tx as { queryRunner?: object }).queryRunner ?? tx;
}

/** Writes events into the outbox inside the caller's transaction; the relay publishes them after commit. */
export class OutboxWriter {
  constructor(private readonly topics: TopicNames = new TopicNames()) {}

  /**
   * Runs `work`, holding back the events `add`, `addMany` and `addAll` queue in `tx`'s transaction
   * meanwhile, then writes them all in one statement, in the order they were added, still inside
   * that transaction: a transaction that publishes several events (a phase's commands and an order
   * fact, a reply and the stock it moved) pays one insert. Payloads are still validated at each call.
   * If `work` throws, nothing is written. Inside another `gathering` of the same transaction it just
   * runs `work`. Nothing in `work` may read the outbox rows it queued (they are not there yet).
   */
  async gathering<R>(tx: SqlExecutor, work: () => Promise<R>): Promise<R> {
    const transaction = transactionOf(tx);
    if (gathered.has(transaction)) return work();
    const held: OutboxEvent[] = [];
    gathered.set(transaction, held);
    try {
      const result = await work();
      await this.insert(tx, held);
      return result;
    } finally {
      gathered.delete(transaction);
    }
  }

  /**
   * Validates `payload` against `contract` (throws EventValidationError, writing nothing, if invalid),
   * inserts the outbox row with CloudEvents and trace headers using `tx`, and wakes the relay on commit.
   * Returns the event id.
   */
  async add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T, opts: OutboxAddOptions = {}): Promise<string> {
    const event = this.event(contract, payload, opts);
    if (this.held(tx, [event])) return event.id;
    // One round trip: the NOTIFY is queued in this transaction and delivered only if it commits.
    await tx.query(
      `WITH row AS (
         INSERT INTO ${OUTBOX_TABLE} (id, topic, key, headers, payload) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING id
       ) SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM row`,
      [event.id, event.topic, event.key, JSON.stringify(event.headers), JSON.stringify(event.payload)],
    );
    return event.id;
  }

  /**
   * `add` for many events of one contract in one statement (in the given order): every payload is
   * validated before anything is written. Returns the event ids.
   */
  async addMany<T extends object>(tx: SqlExecutor, contract: EventContract<T>, events: ReadonlyArray<{ payload: T; opts?: OutboxAddOptions }>): Promise<string[]> {
    const built = events.map((e) => this.event(contract, e.payload, e.opts));
    if (!this.held(tx, built)) await this.insert(tx, built);
    return built.map((e) => e.id);
  }

  /**
   * `add` for events of any contracts in one statement (in the given order): every payload is
   * validated before anything is written. Returns the event ids.
   */
  async addAll(tx: SqlExecutor, events: ReadonlyArray<{ contract: AnyEventContract; payload: object; opts?: OutboxAddOptions }>): Promise<string[]> {
    const built = events.map((e) => this.event(asObjectContract(e.contract), e.payload, e.opts));
    if (!this.held(tx, built)) await this.insert(tx, built);
    return built.map((e) => e.id);
  }

  /** Queues `events` in the gathering of `tx`'s transaction, if there is one; false when there is none. */
  private held(tx: SqlExecutor, events: readonly OutboxEvent[]): boolean {
    const held = gathered.get(transactionOf(tx));
    if (!held) return false;
    held.push(...events);
    return true;
  }

  /**
   * The outbox rows of `events` (validated, as `addMany` would write them) without writing them,
   * for a caller that inserts them inside its own batch statement with `outboxInsertCtes`: the
   * state change and its events then cost one round trip. `rows.params` are the five array
   * parameters the CTEs read, in order.
   */
  rows<T extends object>(contract: EventContract<T>, events: ReadonlyArray<{ payload: T; opts?: OutboxAddOptions }>): OutboxRows {
    return this.rowsOf(events.map((e) => this.event(contract, e.payload, e.opts)));
  }

  /**
   * Writes events already built by `event` (of any contracts) in one statement, in the given order,
   * and wakes the relay on commit.
   */
  async insert(tx: SqlExecutor, events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(`WITH ${outboxInsertCtes('rows', 1)} SELECT count(*) FROM rows_notify`, this.rowsOf(events).params);
  }

  private rowsOf(built: readonly OutboxEvent[]): OutboxRows {
    return {
      ids: built.map((e) => e.id),
      params: [
        built.map((e) => e.id),
        built.map((e) => e.topic),
        built.map((e) => e.key),
        built.map((e) => JSON.stringify(e.headers)),
        built.map((e) => JSON.stringify(e.payload)),
      ],
    };
  }

  /**
   * The event `add` would write, without writing it: validated payload, physical topic, key and
   * CloudEvents headers. For producers that publish straight to Kafka (load generators, tools).
   */
  event<T extends object>(contract: EventContract<T>, payload: T, opts: OutboxAddOptions = {}): OutboxEvent {
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
    return { id, topic: this.topics.physical(contract.topic), key, headers, payload: value };
  }
}
