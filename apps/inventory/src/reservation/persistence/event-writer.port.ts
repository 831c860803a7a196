import { EventContract } from '@omni/contracts';
import type { OutboxRows } from '@omni/messaging';
import { type SqlExecutor } from '@omni/sql';

/** Anything that writes an event in the caller's transaction (the messaging OutboxWriter fits). */
export interface EventWriter {
  /** Writes one event of `contract` in `tx`; returns its id. */
  add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T): Promise<string>;
  /** `add` for many events of one contract, in order, in one statement. */
  addMany<T extends object>(tx: SqlExecutor, contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): Promise<string[]>;
  /** Runs `work`; the events added in `tx`'s transaction meanwhile are written in one statement at its end (OutboxWriter.gathering). */
  gathering<R>(tx: SqlExecutor, work: () => Promise<R>): Promise<R>;
  /** The outbox rows of `events`, validated but not written, for the caller's own batch statement (outboxInsertCtes). */
  rows<T extends object>(contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): OutboxRows;
}
