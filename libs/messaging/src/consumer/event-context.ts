import { EventContract } from '@omni/contracts';
import { AnyEventContract } from '../common/any-event-contract';

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

/** Opt-in batching of a subscription. */
export interface EventBatching<T extends object = object> {
  /** Which events may join a batch; the others are handled one by one, in their place. */
  accepts(payload: T): boolean;
  handle: EventBatchHandlerFn<T>;
  /** Most events per batch (default 500). */
  maxSize?: number;
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
