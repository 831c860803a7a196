import { SetMetadata } from '@nestjs/common';
import { EventContract } from '@omni/contracts';
import { EntityManager } from 'typeorm';
import { AnyEventContract } from '../common/any-event-contract';
import { EventContext } from '../consumer/event-context';

/** Metadata key under which @EventHandler stores its contract. */
export const EVENT_HANDLER_METADATA = 'omni:messaging:event-handler';

/** Options of one @EventHandler. */
export interface EventHandlerOptions {
  /** Consumer group (default: the module's consumerGroup). A second handler for the same topic needs its own group. */
  group?: string;
  /** Attempts before a transient failure is dead-lettered (default 8). */
  maxAttempts?: number;
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
