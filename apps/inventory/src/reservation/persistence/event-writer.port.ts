import { EventContract } from '@omni/contracts';
import type { OutboxRows } from '@omni/messaging';
import { type SqlExecutor } from '@omni/sql';

/** Anything that writes an event in the caller's transaction (the messaging OutboxWriter fits). */
export interface EventWriter {
  /** Writes one event of `contract` in `tx`; returns its id. */
  add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T): Promise<string>;
  /** `add` for many events of one contract, in order, in one statement. */
  addMany<T extends object>(tx: SqlExecutor, contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): Promise<string[]>;
  /** The outbox rows of `events`, validated but not written, for the caller's own batch statement (outboxInsertCtes). */
  rows<T extends object>(contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): OutboxRows;
}
