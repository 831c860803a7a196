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

/** One contract consumed by a consumer group and the handler applying it; build it with `subscribe`. */
export interface EventSubscription {
  readonly contract: AnyEventContract;
  readonly handle: EventHandlerFn;
  /** Overrides the consumer's attempt limit for this contract. */
  readonly maxAttempts?: number;
}

/** Pairs a contract with its handler, keeping the payload type checked at the call site. */
export function subscribe<T extends object>(contract: EventContract<T>, handle: EventHandlerFn<T>, options: { maxAttempts?: number } = {}): EventSubscription {
  // The consumer only calls `handle` with a payload that validatePayload(contract) accepted, i.e. a T.
  return { contract, handle: handle as EventHandlerFn, maxAttempts: options.maxAttempts };
}
