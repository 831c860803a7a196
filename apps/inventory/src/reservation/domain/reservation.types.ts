import { BranchReasonCode, LineReason, ReservationPick, TryLine } from './reservation.decider';

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

/** A Try ready to be decided: its command, its deadline and its numbered lines. */
export interface TryToDecide {
  cmd: TryCommand;
  deadline: Date;
  lines: TryLine[];
}

/** The decision of one Try. */
export type TryResult = { accepted: true; picks: ReservationPick[] } | { accepted: false; reasons: LineReason[] };

/** A branch-level reason (not tied to one line). */
export function branchReason(code: BranchReasonCode, message: string): LineReason {
  return { line: -1, code, message };
}
