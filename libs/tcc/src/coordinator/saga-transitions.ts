/** Status of a global transaction. */
export type GlobalStatus = 'trying' | 'prepared' | 'confirming' | 'confirmed' | 'cancelling' | 'cancelled' | 'needs_attention';

/** What moves a global transaction. */
export type GlobalEvent =
  /** Every registered branch answered its Try with success. */
  | 'all-tried'
  /** The application decided to commit (e.g. the order was paid). */
  | 'confirm'
  /** A Try failed, the deadline passed, or the application asked to roll back. */
  | 'cancel'
  | 'all-confirmed'
  | 'all-cancelled'
  /** Only by an explicit policy: a phase kept failing and a human must look. */
  | 'give-up';

/** Status of one branch (one participant's part of a global transaction). */
export type BranchStatus = 'trying' | 'tried' | 'try_failed' | 'confirming' | 'confirmed' | 'cancelling' | 'cancelled';

/** What moves a branch. */
export type BranchEvent = 'try-succeeded' | 'try-failed' | 'confirm' | 'cancel' | 'confirm-succeeded' | 'cancel-succeeded';

/**
 * The global transition table. `prepared` sits between trying and confirming: every Try holds and
 * the coordinator waits for the application's decision (payment) or the deadline.
 */
export const GLOBAL_TRANSITIONS: Readonly<Record<GlobalStatus, Partial<Record<GlobalEvent, GlobalStatus>>>> = Object.freeze({
  trying: { 'all-tried': 'prepared', cancel: 'cancelling' },
  prepared: { confirm: 'confirming', cancel: 'cancelling' },
  confirming: { 'all-confirmed': 'confirmed', 'give-up': 'needs_attention' },
  cancelling: { 'all-cancelled': 'cancelled', 'give-up': 'needs_attention' },
  confirmed: {},
  cancelled: {},
  needs_attention: {},
});

/** The branch transition table; Cancel is sent to every branch, tried or not (the barrier makes that safe). */
export const BRANCH_TRANSITIONS: Readonly<Record<BranchStatus, Partial<Record<BranchEvent, BranchStatus>>>> = Object.freeze({
  trying: { 'try-succeeded': 'tried', 'try-failed': 'try_failed', cancel: 'cancelling' },
  tried: { confirm: 'confirming', cancel: 'cancelling' },
  try_failed: { cancel: 'cancelling' },
  confirming: { 'confirm-succeeded': 'confirmed' },
  cancelling: { 'cancel-succeeded': 'cancelled' },
  confirmed: {},
  cancelled: {},
});

/** Statuses the recovery loop still works on. */
export const ACTIVE_GLOBAL_STATUSES: readonly GlobalStatus[] = ['trying', 'prepared', 'confirming', 'cancelling'];

/** Terminal global statuses. */
export const FINAL_GLOBAL_STATUSES: readonly GlobalStatus[] = ['confirmed', 'cancelled', 'needs_attention'];

/** The next global status, or null when `event` is not allowed in `from`. */
export function nextGlobalStatus(from: GlobalStatus, event: GlobalEvent): GlobalStatus | null {
  return GLOBAL_TRANSITIONS[from]?.[event] ?? null;
}

/** The next branch status, or null when `event` is not allowed in `from`. */
export function nextBranchStatus(from: BranchStatus, event: BranchEvent): BranchStatus | null {
  return BRANCH_TRANSITIONS[from]?.[event] ?? null;
}

/** Every global status from which `event` is allowed (the `from` list of a compare-and-set). */
export function globalSourcesOf(event: GlobalEvent): GlobalStatus[] {
  return (Object.keys(GLOBAL_TRANSITIONS) as GlobalStatus[]).filter((s) => nextGlobalStatus(s, event) !== null);
}

/** Every branch status from which `event` is allowed. */
export function branchSourcesOf(event: BranchEvent): BranchStatus[] {
  return (Object.keys(BRANCH_TRANSITIONS) as BranchStatus[]).filter((s) => nextBranchStatus(s, event) !== null);
}
