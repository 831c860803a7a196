import type { TccOpName, TccOutcome } from '@omni/contracts';

/** A member branch and what it settles: the coupons, points and gift-card amount of one member for one order. */
export interface MemberBranchCommand {
  gid: string;
  branchId: string;
  memberId: string;
  /** The order's channel; each coupon must be valid in it. */
  channel: string;
  couponIds: string[];
  points: number;
  giftCardId?: string;
  giftCardAmount: number;
}

/** A Try: freeze until the order's payment deadline. */
export interface MemberBranchTryCommand extends MemberBranchCommand {
  deadline: string;
}

/** Why a phase failed (line -1: the whole branch). */
export interface MemberBranchReason {
  line: number;
  code: string;
  message: string;
}

/** What a successful Try froze: the order's member discount comes from this, never from its request. */
export interface MemberBranchFrozen {
  memberId: string;
  couponIds: string[];
  points: number;
  giftCardId: string | null;
  giftCardAmount: number;
  frozenUntil: string;
}

/** A participant's answer to one phase (as sent on tcc-branch-replied, plus what a Try froze). */
export interface MemberBranchReply {
  gid: string;
  branchId: string;
  op: TccOpName;
  outcome: TccOutcome;
  reasons: MemberBranchReason[];
  detail?: MemberBranchFrozen;
}

/** Status of a branch row. */
export type MemberBranchStatus = 'frozen' | 'rejected' | 'confirmed' | 'cancelled';

/** A branch-level reason. */
export function branchReason(code: string, message: string): MemberBranchReason {
  return { line: -1, code, message };
}
