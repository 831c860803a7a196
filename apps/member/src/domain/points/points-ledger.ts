import { allowed, refused, RuleResult } from '../member-rule.result';

/** Why a ledger entry was written; every change of a balance is one entry. */
export const POINTS_ENTRY_KINDS = ['earn', 'spend', 'reverse-earn', 'refund-spend', 'expire', 'merge-in', 'merge-out'] as const;
/** A kind of ledger entry. */
export type PointsEntryKind = (typeof POINTS_ENTRY_KINDS)[number];

/** Points earned together (one order, one grant) that expire together. */
export interface PointsBatch {
  readonly id: string;
  readonly expiresAt: Date;
  /** Points of the batch not yet spent, reversed or expired. */
  readonly remaining: number;
}

/** Points taken from one batch. */
export interface BatchTake {
  readonly batchId: string;
  readonly points: number;
}

/** A member's points as the rules see them: batches, and the points frozen by open TCC branches. */
export interface PointsAccountState {
  readonly batches: readonly PointsBatch[];
  /** Points a Try froze that no Confirm or Cancel has settled yet. */
  readonly frozen: number;
}

/** Basis points of a multiplier of one (10000 = ×1). */
export const BPS = 10_000;

/** The balance: what the batches still hold (equal to the ledger's sum). */
export function balanceOf(state: PointsAccountState): number {
  return state.batches.reduce((sum, batch) => sum + batch.remaining, 0);
}

/** What may be frozen or spent now: the balance less what open branches hold. */
export function availableOf(state: PointsAccountState): number {
  return balanceOf(state) - state.frozen;
}

/**
 * Points earned for a paid amount: one point per whole currency unit (100 minor units), times the
 * tier multiplier in basis points, rounded down so a member is never credited a point not earned.
 */
export function pointsEarned(paidMinor: number, multiplierBps: number): number {
  if (!Number.isInteger(paidMinor) || paidMinor < 0) throw new RangeError('paid amount must be a non-negative integer of minor units');
  if (!Number.isInteger(multiplierBps) || multiplierBps < 0) throw new RangeError('multiplier must be a non-negative integer of basis points');
  return Math.floor((Math.floor(paidMinor / 100) * multiplierBps) / BPS);
}

/** Batches in the order they are used up: the one expiring first goes first (FIFO by expiry, then id). */
export function fifoOrder(batches: readonly PointsBatch[]): PointsBatch[] {
  return [...batches].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Takes `points` from the batches, soonest to expire first; the takes sum to exactly `points`. */
function takeFifo(batches: readonly PointsBatch[], points: number): BatchTake[] {
  const takes: BatchTake[] = [];
  let left = points;
  for (const batch of fifoOrder(batches)) {
    if (left === 0) break;
    const taken = Math.min(batch.remaining, left);
    if (taken > 0) takes.push({ batchId: batch.id, points: taken });
    left -= taken;
  }
  return takes;
}

/**
 * A spend of `points` that a Try froze (so `fromFrozen`: the frozen points are the member's own),
 * or a direct spend from what is available. Takes from the batches FIFO; refused when it would
 * take more than the member has.
 */
export function planSpend(state: PointsAccountState, points: number, fromFrozen: boolean): RuleResult<BatchTake[]> {
  if (!Number.isInteger(points) || points <= 0) return refused('POINTS_INVALID', 'points to spend must be a positive integer');
  const spendable = fromFrozen ? Math.min(state.frozen, balanceOf(state)) : availableOf(state);
  if (points > spendable) return refused('POINTS_INSUFFICIENT', `${points} points wanted, ${spendable} available`);
  return allowed(takeFifo(state.batches, points));
}

/** Whether a Try may freeze `points` now. */
export function canFreeze(state: PointsAccountState, points: number): RuleResult<number> {
  if (!Number.isInteger(points) || points <= 0) return refused('POINTS_INVALID', 'points to freeze must be a positive integer');
  const available = availableOf(state);
  return points <= available ? allowed(points) : refused('POINTS_INSUFFICIENT', `${points} points wanted, ${available} available`);
}

/**
 * Points due to expire at `now`: every batch past its expiry gives up what it still holds, but
 * never points an open branch has frozen (those are the buyer's until Confirm or Cancel), so the
 * newest expired batches keep what the frozen points need.
 */
export function planExpiry(state: PointsAccountState, now: Date): BatchTake[] {
  const expired = fifoOrder(state.batches).filter((b) => b.expiresAt.getTime() <= now.getTime() && b.remaining > 0);
  const due = expired.reduce((sum, b) => sum + b.remaining, 0);
  // Frozen points come from the batches that last longest, so the expired ones cover them only when the rest cannot.
  const lasting = balanceOf(state) - due;
  const mustKeep = Math.max(0, state.frozen - lasting);
  return takeFifo(expired, Math.max(0, due - mustKeep));
}

/**
 * Reversal of points earned for an order that was refunded: what the order's batch still holds
 * first, then FIFO from the rest, never more than is available (points already spent cannot be
 * taken back; the shortfall is reported so it can be settled by hand).
 */
export function planReversal(state: PointsAccountState, earnedBatchId: string, points: number): { takes: BatchTake[]; shortfall: number } {
  const own = state.batches.find((b) => b.id === earnedBatchId);
  const collectable = Math.min(points, Math.max(0, availableOf(state)));
  const fromOwn = Math.min(own?.remaining ?? 0, collectable);
  const rest = state.batches.map((b) => (b.id === earnedBatchId ? { ...b, remaining: b.remaining - fromOwn } : b));
  const takes = [...(fromOwn > 0 ? [{ batchId: earnedBatchId, points: fromOwn }] : []), ...takeFifo(rest, collectable - fromOwn)];
  return { takes, shortfall: points - collectable };
}

/** The batches after `takes` were applied (a pure helper for the rules' tests and the in-memory ledger). */
export function applyTakes(batches: readonly PointsBatch[], takes: readonly BatchTake[]): PointsBatch[] {
  const byBatch = new Map<string, number>();
  for (const take of takes) byBatch.set(take.batchId, (byBatch.get(take.batchId) ?? 0) + take.points);
  return batches.map((b) => {
    const taken = byBatch.get(b.id) ?? 0;
    if (taken > b.remaining) throw new RangeError(`batch ${b.id} holds ${b.remaining}, ${taken} taken`);
    return taken === 0 ? b : { ...b, remaining: b.remaining - taken };
  });
}
