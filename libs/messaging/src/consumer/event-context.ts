import { EventContract } from '@omni/contracts';
import { AnyEventContract } from '../common/any-event-contract';
import type { OutboxEvent } from '../outbox/outbox-writer';

/** What a handler learns about the event beside its payload. */
export interface EventContext {
  /** CloudEvents id (`ce_id`); the inbox key. */
  id: string;
  /** CloudEvents type (`ce_type`). */
  type: string;
  /** Physical Kafka topic the event was read from. */
  topic: string;
  partition: number;
  offset: string;
  /** All Kafka headers as strings. */
  headers: Record<string, string>;
  key: string | null;
  /** W3C traceparent of the publisher, when it had one. */
  traceparent?: string;
}

/** Handles one valid event; throw PermanentEventError to dead-letter it, anything else is retried. */
export type EventHandlerFn<T extends object = object, C extends EventContext = EventContext> = (
  payload: T,
  ctx: C,
) => Promise<void | 'duplicate'>;

/** One valid event of a batch: its payload and context. */
export interface BatchEvent<T extends object = object, C extends EventContext = EventContext> {
  payload: T;
  ctx: C;
}

/**
 * Applies a run of consecutive valid events of one partition at once, with exactly the effect of
 * applying them one by one in order (typically: one transaction instead of one per event). If it
 * throws, nothing of it may remain, and the consumer applies the events one by one instead.
 */
export type EventBatchHandlerFn<T extends object = object, C extends EventContext = EventContext> = (
  events: Array<BatchEvent<T, C>>,
) => Promise<{ applied: number; duplicates: number }>;

/**
 * Answers, before any transaction, the events of a run that need no change of state (a request a
 * cache can refuse, say): for each payload, in order, the events to publish in reply, or null to
 * apply it with the batch handler. Answers go straight to Kafka (idempotent producer, acks=all)
 * before the offset moves; they leave no inbox row and no outbox row, so a redelivered event is
 * screened again and may be answered differently or applied. Only for events whose answer changes
 * nothing and may be re-decided. Answers are not ordered with events the handlers publish
 * through the outbox.
 */
export type EventScreenFn<T extends object = object> = (payloads: readonly T[]) => Promise<ReadonlyArray<readonly OutboxEvent[] | null>>;

/** Opt-in batching of a subscription. */
export interface EventBatching<T extends object = object> {
  /** Which events may join a batch; the others are handled one by one, in their place. */
  accepts(payload: T): boolean;
  handle: EventBatchHandlerFn<T>;
  /** Most events per batch (default 500). */
  maxSize?: number;
  /**
   * Answers some events of each run without a transaction (see EventScreenFn); the others go to
   * `handle`. If it throws, or its answers cannot be published, the whole run goes to `handle`.
   */
  screen?: EventScreenFn<T>;
}

/** One contract consumed by a consumer group and the handler applying it; build it with `subscribe`. */
export interface EventSubscription {
  readonly contract: AnyEventContract;
  readonly handle: EventHandlerFn;
  /** Overrides the consumer's attempt limit for this contract. */
  readonly maxAttempts?: number;
  /** Consecutive events this accepts are applied in batches; `handle` stays the fallback for each. */
  readonly batch?: EventBatching;
}

/** Pairs a contract with its handler, keeping the payload type checked at the call site. */
export function subscribe<T extends object>(
  contract: EventContract<T>,
  handle: EventHandlerFn<T>,
  options: { maxAttempts?: number; batch?: EventBatching<T> } = {},
): EventSubscription {
  // The consumer only calls `handle` and `batch` with payloads that validatePayload(contract) accepted, i.e. T.
  return { contract, handle: handle as EventHandlerFn, maxAttempts: options.maxAttempts, batch: options.batch as EventBatching | undefined };
}
