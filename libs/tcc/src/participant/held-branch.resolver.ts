import type { TccStatusAnswer } from '../coordinator/coordinator.types';
import { Clock, SystemClock } from '../clock/clock';
import { decideHeldBranch, DEFAULT_HELD_BRANCH_TIMING, HeldBranchDecision, HeldBranchTiming } from './held-branch.decision';

/** A branch a participant holds (a reservation, a quote lock, a frozen balance). */
export interface HeldBranch {
  gid: string;
  branchId: string;
}

/** The participant's side of the resolver: its own table of held branches. */
export interface HeldBranchStore {
  /**
   * Claims up to `limit` held branches whose check time has passed, moving their check time to
   * `claimUntil` in the same statement (replicas skip what another replica claimed).
   */
  claimDue(now: Date, claimUntil: Date, limit: number): Promise<HeldBranch[]>;
  /** Sets when `branches` are looked at again. */
  recheckAt(branches: readonly HeldBranch[], at: Date): Promise<void>;
  /** When the next held branch falls due (maybe already), or null when none is held; without it the resolver looks every interval. */
  nextDueAt?(): Promise<Date | null>;
  /**
   * Releases a branch the coordinator decided to cancel, through the TCC barrier in its own
   * transaction, exactly as a Cancel command would (a Confirm that got there first wins).
   */
  cancel(branch: HeldBranch, reason: 'cancelled' | 'expired'): Promise<void>;
}

/** Asks the coordinator about transactions (over its internal API, or any other transport). */
export interface CoordinatorStatusQuery {
  /** One answer per gid asked; throws when the coordinator cannot be reached. */
  statusOf(gids: readonly string[]): Promise<TccStatusAnswer[]>;
}

/** Counters and logs of the resolver; the Nest side maps them to Prometheus and pino. */
export interface HeldBranchObserver {
  /** A branch was released on the coordinator's decision. */
  released?(branch: HeldBranch, answer: TccStatusAnswer): void;
  /** A branch stays held in a situation a human should look at (no answer, a contradiction). */
  alert?(branch: HeldBranch, why: string): void;
}

/** Settings of the resolver. */
export interface HeldBranchResolverOptions {
  store: HeldBranchStore;
  coordinator: CoordinatorStatusQuery;
  clock?: Clock;
  timing?: Partial<HeldBranchTiming>;
  observer?: HeldBranchObserver;
  /** Branches asked about per pass (default 100). */
  batchSize?: number;
  /** How long a claim keeps other replicas away, ms (default 30000). */
  claimMs?: number;
}

/** What one pass did. */
export interface HeldBranchPass {
  asked: number;
  released: number;
  kept: number;
}

/**
 * Resolves in-doubt branches: a participant's Tried branches past their deadline. It asks the
 * coordinator and acts on the answer (see `decideHeldBranch`); it never lets a branch go on its own.
 * Several replicas share the work by claiming branches. Run `resolveOnce` on a timer.
 */
export class HeldBranchResolver {
  private readonly clock: Clock;
  private readonly timing: HeldBranchTiming;
  private readonly batchSize: number;
  private readonly claimMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(private readonly options: HeldBranchResolverOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.timing = { ...DEFAULT_HELD_BRANCH_TIMING, ...options.timing };
    this.batchSize = options.batchSize ?? 100;
    this.claimMs = options.claimMs ?? 30_000;
  }

  /** One pass: claim what is due, ask the coordinator once for all of it, release or keep each. */
  async resolveOnce(): Promise<HeldBranchPass> {
    const now = this.clock.now();
    const due = await this.options.store.claimDue(now, new Date(now.getTime() + this.claimMs), this.batchSize);
    if (due.length === 0) return { asked: 0, released: 0, kept: 0 };
    let answers: Map<string, TccStatusAnswer> | null;
    try {
      const list = await this.options.coordinator.statusOf([...new Set(due.map((b) => b.gid))]);
      answers = new Map(list.map((a) => [a.gid, a]));
    } catch {
      answers = null;
    }
    const pass: HeldBranchPass = { asked: due.length, released: 0, kept: 0 };
    const keepUntil = new Map<number, HeldBranch[]>();
    for (const branch of due) {
      const answer = answers ? (answers.get(branch.gid) ?? null) : null;
      const decision: HeldBranchDecision = decideHeldBranch(answer, this.clock.now(), this.timing);
      let recheckAt: Date;
      if (decision.action === 'cancel') {
        try {
          await this.options.store.cancel(branch, decision.reason);
          this.options.observer?.released?.(branch, answer!);
          pass.released++;
          continue;
        } catch (error) {
          // The release failed (a lost connection, a lock timeout): keep the hold, try again soon.
          this.options.observer?.alert?.(branch, `release failed: ${error instanceof Error ? error.message : String(error)}`);
          recheckAt = new Date(this.clock.now().getTime() + this.timing.unreachableRecheckMs);
        }
      } else {
        if (decision.alert) this.options.observer?.alert?.(branch, decision.why);
        recheckAt = decision.recheckAt;
      }
      const at = recheckAt.getTime();
      keepUntil.set(at, [...(keepUntil.get(at) ?? []), branch]);
      pass.kept++;
    }
    for (const [at, branches] of keepUntil) await this.options.store.recheckAt(branches, new Date(at));
    return pass;
  }

  /**
   * Runs passes until stopped: `intervalMs` apart at least, and, with a store that tells when the
   * next held branch falls due, no sooner than that unless 5 × `intervalMs` have passed (a branch
   * held since the last look is seen within that). A failed pass is reported and retried after
   * `intervalMs`.
   */
  start(intervalMs: number, onError: (error: unknown) => void = () => undefined): void {
    if (this.timer || intervalMs <= 0) return;
    this.stopped = false;
    const maxIdleMs = 5 * intervalMs;
    const next = (delay: number): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.drain()
          .then((full) => (full ? intervalMs : this.idleDelay(intervalMs, maxIdleMs)))
          .catch((error: unknown) => {
            onError(error);
            return intervalMs;
          })
          .then(next);
      }, delay);
      this.timer.unref();
    };
    next(intervalMs);
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** How long to wait after a pass that left nothing due: until the next branch falls due, within [min, max]. */
  private async idleDelay(minMs: number, maxMs: number): Promise<number> {
    if (!this.options.store.nextDueAt) return minMs;
    const next = await this.options.store.nextDueAt();
    const wait = next === null ? maxMs : next.getTime() - this.clock.now().getTime();
    return Math.min(maxMs, Math.max(minMs, wait));
  }

  /** Passes until a pass finds less than a full batch (a backlog after an outage clears in one tick); true when it stopped with batches left. */
  private async drain(): Promise<boolean> {
    for (let pass = 0; pass < 50; pass++) {
      if ((await this.resolveOnce()).asked < this.batchSize) return false;
    }
    return true;
  }
}
