import { EventContract } from '@omni/contracts';
import type { OutboxRows } from '@omni/messaging';
import { type SqlExecutor } from '@omni/sql';
import { BranchReasonCode, LineReason } from './reservation.decider';

/** A requested line: SKU, quantity and a location id or 'any'. */
export interface TryLineInput {
  sku: string;
  quantity: number;
  locationId: string;
}

/** Try: reserve every line for `channel` until `deadline`, or nothing. */
export interface TryCommand {
  gid: string;
  branchId: string;
  deadline: string | Date;
  channel: string;
  lines: TryLineInput[];
}

/** Confirm or Cancel of a branch. */
export interface BranchCommand {
  gid: string;
  branchId: string;
}

/** A reserved (or deducted/released) line: which units of which owner at which location. */
export interface ReservedLine {
  line: number;
  sku: string;
  locationId: string;
  ownerId: string;
  ownerType: 'retailer' | 'consignor';
  quantity: number;
}

/** What the participant answers the coordinator (and the POS): the same shape over Kafka and HTTP. */
export interface BranchReply {
  gid: string;
  branchId: string;
  op: 'try' | 'confirm' | 'cancel';
  /** success: the phase holds; failure: business refusal (final); retry: transient, send again later. */
  outcome: 'success' | 'failure' | 'retry';
  /** Per-line reasons of a failed Try (or one branch-level reason with line -1). */
  reasons: LineReason[];
  /** Lines held by the branch (Try success, also when answered from a duplicate). */
  lines?: ReservedLine[];
}

/** Anything that writes an event in the caller's transaction (the messaging OutboxWriter fits). */
export interface EventWriter {
  add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T): Promise<string>;
  /** `add` for many events of one contract, in order, in one statement. */
  addMany<T extends object>(tx: SqlExecutor, contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): Promise<string[]>;
  /** The outbox rows of `events`, validated but not written, for the caller's own batch statement (outboxInsertCtes). */
  rows<T extends object>(contract: EventContract<T>, events: ReadonlyArray<{ payload: T }>): OutboxRows;
}

/** Runs work in one transaction (the work says whether to commit), or one statement on its own (`query`). */
export interface TxRunner extends SqlExecutor {
  run<T>(work: (tx: SqlExecutor) => Promise<{ commit: boolean; value: T }>): Promise<T>;
}

/** A branch-level reason (not tied to one line). */
export function branchReason(code: BranchReasonCode, message: string): LineReason {
  return { line: -1, code, message };
}
