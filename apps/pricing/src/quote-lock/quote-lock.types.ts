import type { TccOpName, TccOutcome } from '@omni/contracts';

/** Identifies a quote-lock branch and the quote it settles. */
export interface QuoteLockCommand {
  gid: string;
  branchId: string;
  quoteId: string;
  /** The channel asking; must be the quote's channel. */
  channel: string;
}

/** A Try: lock the quote until the order's payment deadline. */
export interface QuoteLockTryCommand extends QuoteLockCommand {
  deadline: string;
}

/** Why a phase failed (line -1: the whole branch). */
export interface QuoteLockReason {
  line: number;
  code: string;
  message: string;
}

/** A participant's answer to one phase, as sent on tcc-branch-replied (plus what the lock holds). */
export interface QuoteLockReply {
  gid: string;
  branchId: string;
  op: TccOpName;
  outcome: TccOutcome;
  reasons: QuoteLockReason[];
  /** The locked total (minor units) and currency, on a successful Try. */
  detail?: { quoteId: string; total: number; currency: string; lockedUntil: string };
}

/** Status of a lock row. */
export type QuoteLockStatus = 'locked' | 'rejected' | 'confirmed' | 'cancelled';

/** Units a lock took from a flash sale (returned on Cancel). */
export interface FlashSaleTake {
  ruleId: string;
  units: number;
}

/** A branch-level reason. */
export function branchReason(code: string, message: string): QuoteLockReason {
  return { line: -1, code, message };
}
