import type { EventContract } from '@omni/contracts';
import type { EntityManager } from 'typeorm';

/** Queues an event in the caller's transaction (the messaging Outbox fits). */
export interface PriceEventSink {
  add<T extends object>(manager: EntityManager, contract: EventContract<T>, payload: T): Promise<string>;
}
