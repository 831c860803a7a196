import type { TccStatusAnswer } from '../coordinator/coordinator.types';

/** What a participant does with a branch it holds past its deadline, given the coordinator's answer. */
export type HeldBranchDecision =
  /** The coordinator decided cancel (or never committed the transaction): release the branch. */
  | { action: 'cancel'; reason: 'cancelled' | 'expired' }
  /** The coordinator may still confirm, or has: keep holding and ask again at `recheckAt`. */
  | { action: 'keep'; recheckAt: Date; why: string; alert: boolean };

/** How long a participant waits before asking again, by situation. */
export interface HeldBranchTiming {
  /** The coordinator is confirming (or gave the branch to a human): ask again after this, ms. */
  confirmingRecheckMs: number;
  /** The coordinator did not answer: ask again after this, ms. */
  unreachableRecheckMs: number;
  /** Margin after a deadline the coordinator moved, before asking again, ms. */
  deadlineMarginMs: number;
}

/** Default timing: re-ask a confirming saga every 15 s, an unreachable coordinator every 5 s. */
export const DEFAULT_HELD_BRANCH_TIMING: HeldBranchTiming = Object.freeze({ confirmingRecheckMs: 15_000, unreachableRecheckMs: 5_000, deadlineMarginMs: 1_000 });

/**
 * The rule every TCC participant follows for a Tried branch past its deadline (DESIGN.md, "The order
 * saga"): it never cancels on its own a branch the coordinator may still confirm. It asks, and
 * releases only when the coordinator decided cancel, or when the transaction does not exist (its
 * Try commands commit with it, so it never committed). Anything else keeps the hold; `answer`
 * null means no answer came, which keeps the hold and alerts. Pure: unit-tested as a table.
 */
export function decideHeldBranch(answer: TccStatusAnswer | null, now: Date, timing: HeldBranchTiming = DEFAULT_HELD_BRANCH_TIMING): HeldBranchDecision {
  const later = (ms: number): Date => new Date(now.getTime() + ms);
  if (answer === null) return { action: 'keep', recheckAt: later(timing.unreachableRecheckMs), why: 'the coordinator did not answer', alert: true };
  switch (answer.status) {
    case 'unknown':
      return { action: 'cancel', reason: 'expired' };
    case 'cancelling':
    case 'cancelled':
      return { action: 'cancel', reason: answer.cause === 'deadline' || answer.cause === 'not-decided' ? 'expired' : 'cancelled' };
    case 'confirming':
      return { action: 'keep', recheckAt: later(timing.confirmingRecheckMs), why: 'the coordinator is confirming; waiting for Confirm', alert: false };
    case 'confirmed':
      // Every branch acknowledged Confirm, yet this one still holds: a Confirm was lost on our side.
      return { action: 'keep', recheckAt: later(timing.confirmingRecheckMs), why: 'the coordinator says confirmed but this branch was never confirmed', alert: true };
    case 'needs_attention':
      return { action: 'keep', recheckAt: later(timing.confirmingRecheckMs), why: 'the transaction needs attention; a human decides', alert: true };
    case 'trying':
    case 'prepared': {
      // The deadline moved (every Try held, the hold window began): ask again once it has passed.
      const deadline = answer.deadline ? new Date(answer.deadline).getTime() : Number.NaN;
      if (Number.isFinite(deadline) && deadline + timing.deadlineMarginMs > now.getTime()) {
        return { action: 'keep', recheckAt: new Date(deadline + timing.deadlineMarginMs), why: `${answer.status} until ${answer.deadline}`, alert: false };
      }
      // A coordinator answers a passed deadline with its cancel decision, never with this.
      return { action: 'keep', recheckAt: later(timing.unreachableRecheckMs), why: `the coordinator answered ${answer.status} past its deadline`, alert: true };
    }
    default:
      return { action: 'keep', recheckAt: later(timing.unreachableRecheckMs), why: `unexpected status ${String(answer.status)}`, alert: true };
  }
}
