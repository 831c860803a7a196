import { SetMetadata } from '@nestjs/common';
import { EventContract } from '@omni/contracts';
import { EntityManager } from 'typeorm';
import { AnyEventContract } from '../common/any-event-contract';
import { BatchEvent, EventContext } from '../consumer/event-context';

/** Metadata key under which @EventHandler stores its contract. */
export const EVENT_HANDLER_METADATA = 'omni:messaging:event-handler';

/** Options of one @EventHandler. */
export interface EventHandlerOptions {
  /** Consumer group (default: the module's consumerGroup). A second handler for the same topic needs its own group. */
  group?: string;
  /** Attempts before a transient failure is dead-lettered (default 8). */
  maxAttempts?: number;
  /**
   * Consecutive events of a partition are applied by this handler in one transaction, one after the
   * other exactly as alone (one commit and one inbox statement per run instead of per event; the
   * events the run publishes through `Outbox.add` are inserted in one statement at its end). If
   * any of them throws, the run rolls back and each event is applied alone, with its retries and
   * DLQ. Only for handlers whose every effect is in the transaction (no HTTP call, no Redis write):
   * a rolled-back run is applied again. `true` takes runs of up to 200 events.
   */
  batched?: boolean | { maxSize: number };
}

/** What @EventHandler stores on a method. */
export interface EventHandlerMetadata {
  contract: AnyEventContract;
  options: EventHandlerOptions;
}

/** A handler's context: the event context plus the transaction in which the inbox row was claimed. */
export interface TransactionalEventContext extends EventContext {
  /** Do every write of the effect (and any Outbox.add) with this manager: it commits with the inbox row. */
  manager: EntityManager;
}

/**
 * Marks a provider method as the handler of `contract`'s events: `(payload, ctx) => Promise<void>`.
 * It runs in one transaction with the inbox claim; a redelivered event is skipped. Throw
 * PermanentEventError to dead-letter; any other error is retried.
 */
export function EventHandler<T extends object>(contract: EventContract<T>, options: EventHandlerOptions = {}): MethodDecorator {
  return SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, { contract, options });
}

/** Metadata key under which @EventBatchHandler stores its contract. */
export const EVENT_BATCH_HANDLER_METADATA = 'omni:messaging:event-batch-handler';

/** Options of one @EventBatchHandler. */
export interface EventBatchHandlerOptions<T extends object> {
  /** The group of the @EventHandler this batches (default: the module's consumerGroup). */
  group?: string;
  /** Which events may join a batch; the others go to the @EventHandler one by one, in their place. */
  accepts(payload: T): boolean;
  /** Most events per batch (default 500). */
  maxSize?: number;
}

/** What @EventBatchHandler stores on a method. */
export interface EventBatchHandlerMetadata {
  contract: AnyEventContract;
  options: EventBatchHandlerOptions<object>;
}

/**
 * Marks a provider method as the batch form of the @EventHandler of `contract` in the same group:
 * `(events: BatchEvent<T>[], manager) => Promise<void>`. It gets runs of consecutive events that
 * `accepts` takes, already claimed in the inbox (redeliveries removed), and must apply them with
 * `manager` exactly as the @EventHandler would one by one, in order: they commit together. If it
 * throws, the transaction rolls back and the @EventHandler applies each event alone.
 */
export function EventBatchHandler<T extends object>(contract: EventContract<T>, options: EventBatchHandlerOptions<T>): MethodDecorator {
  return SetMetadata<string, EventBatchHandlerMetadata>(EVENT_BATCH_HANDLER_METADATA, { contract, options: options as EventBatchHandlerOptions<object> });
}

/** The signature of an @EventBatchHandler method. */
export type EventBatchHandlerMethod<T extends object> = (events: Array<BatchEvent<T>>, manager: EntityManager) => Promise<void>;

/** Metadata key under which @EventScreen stores its contract. */
export const EVENT_SCREEN_METADATA = 'omni:messaging:event-screen';

/** Options of one @EventScreen. */
export interface EventScreenOptions {
  /** The group of the @EventBatchHandler this screens (default: the module's consumerGroup). */
  group?: string;
}

/** What @EventScreen stores on a method. */
export interface EventScreenMetadata {
  contract: AnyEventContract;
  options: EventScreenOptions;
}

/**
 * Marks a provider method as the screen of the @EventBatchHandler of `contract` in the same group:
 * `(payloads: T[]) => Promise<Array<OutboxEvent[] | null>>`, one entry per payload. Before a run's
 * transaction it answers the events that need no change of state: their reply events (built with
 * `OutboxWriter.event`) go straight to Kafka, with no inbox row; null leaves an event to the batch
 * handler. A redelivered event is screened again, so only answers that change nothing and may be
 * re-decided belong here (see EventScreenFn).
 */
export function EventScreen<T extends object>(contract: EventContract<T>, options: EventScreenOptions = {}): MethodDecorator {
  return SetMetadata<string, EventScreenMetadata>(EVENT_SCREEN_METADATA, { contract, options });
}
