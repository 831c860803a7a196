import type { SqlExecutor } from '../barrier/sql-executor';
import type { TccOp } from '../barrier/tcc-barrier';
import { Clock, SystemClock } from '../clock/clock';
import { BranchMove, CoordinatorStore, SagaMoveAfterBranch } from './coordinator.store';
import {
  BranchSpec,
  BranchTx,
  CancelCause,
  DEFAULT_TCC_RETRY_POLICY,
  GlobalTx,
  TccCoordinatorObserver,
  TccReply,
  TccRetryPolicy,
  TccSagaListener,
  TccStatusAnswer,
  TccTransportProbe,
} from './coordinator.types';
import { ParticipantRegistry } from './participant.registry';
import { branchSourcesOf, BranchStatus, globalSourcesOf } from './saga-transitions';

/** Options of the coordinator. */
export interface TccCoordinatorOptions {
  participants: ParticipantRegistry;
  listener?: TccSagaListener;
  observer?: TccCoordinatorObserver;
  clock?: Clock;
  retry?: Partial<TccRetryPolicy> & {
    /**
     * First resend delay of a Try nobody answered, ms (default 5000), doubling per attempt up to
     * `maxMs`; participants queue commands, so this is a safety net.
     */
    tryResendMs?: number;
  };
  /** Holds resends while commands are stuck on the way to the broker (none: always resend when due). */
  transport?: TccTransportProbe;
}

/** Options of `begin`. */
export interface BeginOptions {
  /**
   * Once every Try succeeded, the branches hold for this long (ms) from that moment: the deadline
   * moves from the one given to begin (by when the Tries must be answered) to prepared-time + holdMs.
   * Absent: the deadline given to begin stands for both.
   */
  holdMs?: number;
}

/** Result of beginning a global transaction. */
export type BeginResult = { status: 'started' } | { status: 'exists' };

/** Result of an application decision (confirm or cancel). */
export type DecisionResult =
  | { status: 'accepted' }
  /** Already moving (or moved) the same way: a repeated decision. */
  | { status: 'already' }
  /** Not allowed from the current status (e.g. confirm after cancelling, or after the deadline). */
  | { status: 'refused'; current: string; code: 'TCC_NOT_PREPARED' | 'TCC_ALREADY_CANCELLING' | 'TCC_ALREADY_CONFIRMING' | 'TCC_DEADLINE_PASSED' | 'TCC_UNKNOWN_GID' };

/** What happened to one reply. */
export type ReplyResult = { status: 'applied' } | { status: 'ignored'; why: string };

/** Result of registering a branch after begin (a participant joining later). */
export type RegisterResult = { status: 'registered' } | { status: 'refused'; current: string };

/**
 * The TCC coordinator over plain SQL (any SqlExecutor inside the caller's transaction). The global
 * row, branch rows and the outgoing commands (outbox) commit together before anything is sent;
 * every status change is a compare-and-set under the global row's lock; Confirm and Cancel are
 * resent with capped exponential backoff by the recovery loop until every branch acknowledges.
 */
export class TccCoordinator {
  private readonly visitListeners = new Set<(at: Date) => void>();
  private readonly store = new CoordinatorStore((at) => {
    for (const listener of this.visitListeners) listener(at);
  });
  private readonly clock: Clock;
  private readonly policy: TccRetryPolicy & { tryResendMs: number };
  private readonly listener: TccSagaListener;
  private readonly observer: TccCoordinatorObserver;
  private readonly participants: ParticipantRegistry;
  private readonly transport?: TccTransportProbe;

  constructor(options: TccCoordinatorOptions) {
    this.participants = options.participants;
    this.transport = options.transport;
    this.clock = options.clock ?? new SystemClock();
    this.policy = { ...DEFAULT_TCC_RETRY_POLICY, tryResendMs: 5000, ...options.retry };
    this.listener = options.listener ?? {};
    this.observer = options.observer ?? {};
  }

  /**
   * Calls `listener` with the time of every recovery visit this coordinator schedules for an
   * unfinished transaction, as it writes it (before the transaction commits, and even if it then
   * rolls back): the recovery loop sleeps until the next visit instead of polling. Returns the
   * unsubscribe.
   */
  onVisitScheduled(listener: (at: Date) => void): () => void {
    this.visitListeners.add(listener);
    return () => this.visitListeners.delete(listener);
  }

  /** The clock the coordinator decides with. */
  get now(): Date {
    return this.clock.now();
  }

  /**
   * Persists the global transaction, its branches and their Try commands in `tx`; nothing is sent
   * before commit. `deadline` is when the coordinator cancels unless it decided otherwise before.
   */
  async begin(tx: SqlExecutor, gid: string, deadline: Date, branches: readonly BranchSpec[], options: BeginOptions = {}): Promise<BeginResult> {
    if (branches.length === 0) throw new TypeError('a global transaction needs at least one branch');
    for (const b of branches) if (!this.participants.has(b.participant)) throw new TypeError(`unknown participant '${b.participant}'`);
    if (options.holdMs !== undefined && !(Number.isInteger(options.holdMs) && options.holdMs > 0)) throw new TypeError('holdMs must be a positive integer');
    const now = this.clock.now();
    const firstVisit = new Date(Math.min(deadline.getTime(), now.getTime() + this.policy.tryResendMs));
    if (!(await this.store.insertGlobal(tx, gid, deadline, now, firstVisit, options.holdMs ?? null, branches))) return { status: 'exists' };
    await this.send(tx, gid, deadline, branches, 'try');
    return { status: 'started' };
  }

  /** Adds a branch while the transaction is still trying; refused once it moved on (no branch after cancelling). */
  async register(tx: SqlExecutor, gid: string, branch: BranchSpec): Promise<RegisterResult> {
    const g = await this.store.lockGlobal(tx, gid);
    if (!g) return { status: 'refused', current: 'unknown' };
    if (g.status !== 'trying') return { status: 'refused', current: g.status };
    await this.store.insertBranches(tx, gid, [branch], this.clock.now());
    await this.send(tx, gid, g.deadline, [branch], 'try');
    return { status: 'registered' };
  }

  /**
   * The application's commit decision: prepared → confirming, Confirm sent to every branch. A caller
   * that already holds the saga's lock in `tx` passes what `sql.lockGlobal` read as `locked` (null:
   * no such saga), saving a second read of the row.
   */
  async confirm(tx: SqlExecutor, gid: string, locked?: GlobalTx | null): Promise<DecisionResult> {
    const g = locked === undefined ? await this.store.lockGlobal(tx, gid) : locked;
    if (!g) return { status: 'refused', current: 'unknown', code: 'TCC_UNKNOWN_GID' };
    if (g.status === 'confirming' || g.status === 'confirmed') return { status: 'already' };
    if (g.status === 'cancelling' || g.status === 'cancelled') return { status: 'refused', current: g.status, code: 'TCC_ALREADY_CANCELLING' };
    if (g.status !== 'prepared') return { status: 'refused', current: g.status, code: 'TCC_NOT_PREPARED' };
    const now = this.clock.now();
    // At the deadline the decision is cancel, whether or not the recovery loop has written it yet.
    if (now.getTime() > g.deadline.getTime()) return { status: 'refused', current: g.status, code: 'TCC_DEADLINE_PASSED' };
    const phase = await this.store.casGlobalMovingBranches(tx, gid, { from: ['prepared'], to: 'confirming', now, nextAttemptAt: this.after(now, 1) }, branchSourcesOf('confirm'), 'confirming');
    await this.send(tx, gid, g.deadline, phase.branches, 'confirm');
    return { status: 'accepted' };
  }

  /**
   * The application's rollback decision (e.g. the buyer cancelled): trying|prepared → cancelling.
   * `locked` as for `confirm`.
   */
  async cancel(tx: SqlExecutor, gid: string, cause: CancelCause = 'requested', locked?: GlobalTx | null): Promise<DecisionResult> {
    const g = locked === undefined ? await this.store.lockGlobal(tx, gid) : locked;
    if (!g) return { status: 'refused', current: 'unknown', code: 'TCC_UNKNOWN_GID' };
    if (g.status === 'cancelling' || g.status === 'cancelled') return { status: 'already' };
    if (g.status !== 'trying' && g.status !== 'prepared') return { status: 'refused', current: g.status, code: 'TCC_ALREADY_CONFIRMING' };
    await this.startCancel(tx, g, cause);
    return { status: 'accepted' };
  }

  /** Applies a participant's reply in `tx`; duplicates and out-of-order replies are ignored by the CAS. */
  async onReply(tx: SqlExecutor, reply: TccReply): Promise<ReplyResult> {
    const g = await this.store.lockGlobal(tx, reply.gid);
    if (!g) return this.ignore(reply, 'unknown global transaction');
    return (await this.apply(tx, reply, g, await this.store.branches(tx, reply.gid), null)).result;
  }

  /**
   * Applies a run of replies in `tx`, in order, each exactly as `onReply` would: the sagas they name
   * are locked first, in one statement, then read with their branches in one more. A reply changes
   * only its own saga; when it moved only its branch, the copy in memory is moved with it and holds
   * for the saga's next reply; when it changed the saga itself, a later reply to it reads it again.
   * A move of a branch alone is written with the next write of its saga, or with the others left at
   * the end of the run, in one statement: under the sagas' locks, the copy in memory says what the
   * compare-and-set would find. `applied` is told after each reply (fault injection in tests).
   * Returns each result.
   */
  async onReplies(tx: SqlExecutor, replies: readonly TccReply[], applied?: (reply: TccReply, index: number) => void): Promise<ReplyResult[]> {
    const known = await this.store.lockGlobals(tx, [...new Set(replies.map((r) => r.gid))].sort());
    const read = known.size > 0 ? await this.store.lockedWithBranchesOf(tx, [...known]) : new Map<string, { global: GlobalTx; branches: BranchTx[] }>();
    const pending = new PendingMoves();
    const results: ReplyResult[] = [];
    for (const [index, reply] of replies.entries()) {
      // A saga read again has no pending move: whatever changed it wrote them first.
      const current = known.has(reply.gid) ? (read.get(reply.gid) ?? (await this.store.lockedWithBranches(tx, reply.gid))) : null;
      if (current) {
        const { result, sagaAsRead } = await this.apply(tx, reply, current.global, current.branches, pending);
        if (sagaAsRead) read.set(reply.gid, current);
        else read.delete(reply.gid);
        results.push(result);
      } else {
        results.push(this.ignore(reply, 'unknown global transaction'));
      }
      applied?.(reply, index);
    }
    await this.writeMoves(tx, pending.takeAll());
    return results;
  }

  /**
   * `onReply` once the saga `g` is locked and its `branches` read in the same transaction. When the
   * reply wrote nothing, or moved only its branch (then moved in `branches` too), `sagaAsRead` says
   * that `g` and `branches` still hold what is stored. With `pending`, a move of the branch alone is
   * left there for the caller to write (see `onReplies`); every other write of the saga writes its
   * pending moves first, or with it.
   */
  private async apply(tx: SqlExecutor, reply: TccReply, g: GlobalTx, branches: BranchTx[], pending: PendingMoves | null): Promise<{ result: ReplyResult; sagaAsRead: boolean }> {
    const unchanged = (result: ReplyResult) => ({ result, sagaAsRead: true });
    const changed = { result: { status: 'applied' } as ReplyResult, sagaAsRead: false };
    const b = branches.find((x) => x.branchId === reply.branchId);
    if (!b) return unchanged(this.ignore(reply, 'unknown branch'));
    const now = this.clock.now();
    const stored = { outcome: reply.outcome, reasons: reply.reasons ?? [], ...(reply.detail ? { detail: reply.detail } : {}) };
    const earlier = () => pending?.take(g.gid) ?? [];
    const writePending = () => this.writeMoves(tx, earlier());
    /** Leaves the move of `b` alone to `pending`, if there is one. */
    const deferred = (move: BranchMove): boolean => {
      if (!pending) return false;
      pending.add(move);
      moveInMemory(b, move.to, stored);
      return true;
    };

    if (reply.op === 'try') {
      if (reply.outcome === 'retry') {
        if (b.status !== 'trying' || g.status !== 'trying') return unchanged(this.ignore(reply, `branch ${b.status}, global ${g.status}`));
        await writePending();
        await this.store.noteReply(tx, g.gid, b.branchId, stored, now);
        await this.store.reschedule(tx, g.gid, g.phaseAttempts, this.soonest(g, this.after(now, b.attempts)), now);
        return changed;
      }
      if (b.status !== 'trying') return unchanged(this.ignore(reply, `branch already ${b.status}`));
      const event = reply.outcome === 'success' ? 'try-succeeded' : 'try-failed';
      const move: BranchMove = { gid: g.gid, branchId: b.branchId, from: 'trying', to: reply.outcome === 'success' ? 'tried' : 'try_failed', reply: stored, at: now };
      // The last Try to succeed also moves the saga to prepared, in the same statement; from then the
      // branches hold for the whole hold window (the participants ask before letting go).
      const last = event === 'try-succeeded' && g.status === 'trying' && branches.every((x) => x === b || x.status === 'tried');
      if (event === 'try-succeeded' && !last && deferred(move)) return unchanged({ status: 'applied' });
      const held = g.holdMs === null ? g.deadline : new Date(now.getTime() + g.holdMs);
      const moved = await this.casMove(tx, move, last ? { from: ['trying'], to: 'prepared', nextAttemptAt: held, deadline: held } : undefined, earlier());
      if (!moved.branch) return unchanged(this.ignore(reply, `branch already ${b.status}`));
      moveInMemory(b, move.to, stored);
      if (event === 'try-failed') {
        if (g.status === 'trying') await this.startCancel(tx, g, 'try-failed');
        return changed;
      }
      if (!moved.global) return unchanged({ status: 'applied' });
      await this.listener.onPrepared?.(tx, { ...g, status: 'prepared', deadline: held, phaseStartedAt: now }, branches);
      return changed;
    }

    const phase = reply.op; // confirm | cancel
    const inFlight: BranchStatus = phase === 'confirm' ? 'confirming' : 'cancelling';
    if (b.status !== inFlight) return unchanged(this.ignore(reply, `branch already ${b.status}`));
    if (reply.outcome !== 'success') {
      await writePending();
      await this.store.noteReply(tx, g.gid, b.branchId, stored, now);
      // A refusal (failure) can never succeed by itself: say so at once rather than after N tries.
      if (reply.outcome === 'failure') this.observer.alert?.(g.gid, phase, b.attempts, `participant refused ${phase}: ${JSON.stringify(stored.reasons)}`);
      await this.store.reschedule(tx, g.gid, g.phaseAttempts, this.soonest(g, this.after(now, b.attempts)), now);
      return changed;
    }
    const done: BranchStatus = phase === 'confirm' ? 'confirmed' : 'cancelled';
    const move: BranchMove = { gid: g.gid, branchId: b.branchId, from: inFlight, to: done, reply: stored, at: now };
    // The last branch to finish also finishes the saga, in the same statement.
    const last = branches.every((x) => x === b || x.status === done);
    if (!last && deferred(move)) return unchanged({ status: 'applied' });
    const finished = phase === 'confirm' ? 'confirmed' : 'cancelled';
    const moved = await this.casMove(tx, move, last ? { from: globalSourcesOf(phase === 'confirm' ? 'all-confirmed' : 'all-cancelled'), to: finished, nextAttemptAt: now } : undefined, earlier());
    moveInMemory(b, done, stored);
    if (!moved.global) return unchanged({ status: 'applied' });
    await this.afterFinish(tx, g, finished);
    return changed;
  }

  /** `casBranchThenGlobal` with the saga's `earlier` moves, every one of which must move (see `writeMoves`). */
  private async casMove(tx: SqlExecutor, move: BranchMove, then: SagaMoveAfterBranch | undefined, earlier: readonly BranchMove[]) {
    const moved = await this.store.casBranchThenGlobal(tx, move, then, earlier);
    if (moved.earlier !== earlier.length) throw new Error(`tcc: ${earlier.length} branch moves of ${move.gid} decided under its lock, ${moved.earlier} matched what is stored`);
    return moved;
  }

  /**
   * Writes moves decided under their sagas' locks. Each was decided from the branch as read under
   * that lock, so each must move; one that does not means the copy in memory was wrong, and the
   * transaction is failed rather than committed on a wrong belief.
   */
  private async writeMoves(tx: SqlExecutor, moves: readonly BranchMove[]): Promise<void> {
    if (moves.length === 0) return;
    const moved = await this.store.moveBranches(tx, moves);
    if (moved !== moves.length) throw new Error(`tcc: ${moves.length} branch moves decided under their sagas' locks, ${moved} matched what is stored`);
  }

  /**
   * One recovery visit of a leased transaction, in `tx` under its lock: cancel past the deadline,
   * resend what is unanswered (unless commands are stuck on the way to the broker), alert, and (only
   * by policy) give up. Returns false when the lease was lost.
   */
  async recover(tx: SqlExecutor, gid: string, leaseOwner: string): Promise<boolean> {
    const g = await this.store.lockGlobal(tx, gid);
    if (!g || !(await this.store.holdsLease(tx, gid, leaseOwner))) return false;
    const now = this.clock.now();
    const branches = await this.store.branches(tx, gid);
    switch (g.status) {
      case 'trying':
      case 'prepared': {
        if (now.getTime() >= g.deadline.getTime()) {
          await this.startCancel(tx, g, cancelCauseAtDeadline(g.status));
          return true;
        }
        if (g.status === 'prepared') {
          await this.store.reschedule(tx, gid, g.phaseAttempts, g.deadline, now);
          return true;
        }
        // A Try resent while the first copy still waits for the broker only doubles the backlog.
        const attempts = g.phaseAttempts + 1;
        if (await this.backlogged(tx)) {
          await this.store.reschedule(tx, gid, g.phaseAttempts, this.earlier(g.deadline, this.tryAfter(now, attempts)), now);
          return true;
        }
        await this.resend(tx, g, branches.filter((x) => x.status === 'trying'), 'try');
        await this.store.reschedule(tx, gid, attempts, this.earlier(g.deadline, this.tryAfter(now, attempts + 1)), now);
        return true;
      }
      case 'confirming':
      case 'cancelling': {
        const phase: TccOp = g.status === 'confirming' ? 'confirm' : 'cancel';
        const pending = branches.filter((x) => x.status === g.status);
        if (pending.length === 0) {
          await this.finish(tx, g, phase);
          return true;
        }
        const attempts = g.phaseAttempts + 1;
        const stuckMs = now.getTime() - g.phaseStartedAt.getTime();
        if (attempts >= this.policy.alertAfter || stuckMs >= this.policy.alertAfterMs) {
          this.observer.alert?.(gid, phase, attempts, `${g.status} for ${Math.round(stuckMs / 1000)} s: ${phase} unanswered or refused by ${pending.map((b) => b.participant).join(', ')}`);
        }
        if (this.policy.giveUpAfter !== undefined && attempts >= this.policy.giveUpAfter) {
          if (await this.store.casGlobal(tx, gid, globalSourcesOf('give-up'), 'needs_attention', now, now)) {
            this.observer.finished?.('needs_attention');
            await this.listener.onNeedsAttention?.(tx, { ...g, status: 'needs_attention' }, `${phase} failed ${attempts} times`);
          }
          return true;
        }
        if (await this.backlogged(tx)) {
          await this.store.reschedule(tx, gid, g.phaseAttempts, this.after(now, attempts), now);
          return true;
        }
        await this.resend(tx, g, pending, phase);
        await this.store.reschedule(tx, gid, attempts, this.after(now, attempts + 1), now);
        return true;
      }
      default:
        return true;
    }
  }

  /**
   * Answers a participant that holds a branch of `gid` past its deadline, in `tx` under the global
   * row's lock: there is always one answer. A transaction still trying or prepared at its deadline
   * is cancelled here and now (persisted, Cancel commands queued), exactly as the recovery loop
   * would; one confirming is never let go; one that does not exist never committed.
   */
  async resolve(tx: SqlExecutor, gid: string): Promise<TccStatusAnswer> {
    const g = await this.store.lockGlobal(tx, gid);
    if (!g) return { gid, status: 'unknown' };
    if ((g.status === 'trying' || g.status === 'prepared') && this.clock.now().getTime() >= g.deadline.getTime()) {
      const cause = cancelCauseAtDeadline(g.status);
      await this.startCancel(tx, g, cause);
      return { gid, status: 'cancelling', deadline: g.deadline.toISOString(), cause };
    }
    return { gid, status: g.status, deadline: g.deadline.toISOString(), ...(g.cause ? { cause: g.cause } : {}) };
  }

  /** Reads a global transaction and its branches (no lock). */
  async inspect(tx: SqlExecutor, gid: string): Promise<{ global: GlobalTx; branches: BranchTx[] } | null> {
    const global = await this.store.findGlobal(tx, gid);
    return global ? { global, branches: await this.store.branches(tx, gid) } : null;
  }

  /** The store (for the recovery loop). */
  get sql(): CoordinatorStore {
    return this.store;
  }

  private async startCancel(tx: SqlExecutor, g: GlobalTx, cause: CancelCause): Promise<void> {
    const now = this.clock.now();
    const phase = await this.store.casGlobalMovingBranches(
      tx,
      g.gid,
      { from: globalSourcesOf('cancel'), to: 'cancelling', now, nextAttemptAt: this.after(now, 1), cause },
      branchSourcesOf('cancel'),
      'cancelling',
      true,
    );
    if (!phase.moved) return;
    await this.send(tx, g.gid, g.deadline, phase.branches, 'cancel');
    // The listener sees the branches as they were when the saga was decided (their Try replies).
    await this.listener.onCancelling?.(tx, { ...g, status: 'cancelling', cause }, cause, phase.before);
  }

  private async finish(tx: SqlExecutor, g: GlobalTx, phase: TccOp): Promise<void> {
    const now = this.clock.now();
    const to = phase === 'confirm' ? 'confirmed' : 'cancelled';
    const event = phase === 'confirm' ? 'all-confirmed' : 'all-cancelled';
    if (await this.store.casGlobal(tx, g.gid, globalSourcesOf(event), to, now, now)) await this.afterFinish(tx, g, to);
  }

  private async afterFinish(tx: SqlExecutor, g: GlobalTx, to: 'confirmed' | 'cancelled'): Promise<void> {
    this.observer.finished?.(to);
    if (to === 'confirmed') await this.listener.onConfirmed?.(tx, { ...g, status: to });
    else await this.listener.onCancelled?.(tx, { ...g, status: to });
  }

  private async resend(tx: SqlExecutor, g: GlobalTx, branches: readonly BranchTx[], op: TccOp): Promise<void> {
    for (const b of branches) this.observer.resent?.(b.participant, op);
    await this.send(tx, g.gid, g.deadline, branches, op);
  }

  /** Queues `op` for each of `branches` in `tx`'s outbox (one write for all of them). */
  private send(tx: SqlExecutor, gid: string, deadline: Date, branches: ReadonlyArray<Pick<BranchSpec, 'branchId' | 'participant' | 'data'>>, op: TccOp): Promise<void> {
    return this.participants.sendAll(
      tx,
      branches.map((b) => ({ gid, branchId: b.branchId, participant: b.participant, op, deadline: deadline.toISOString(), data: b.data })),
    );
  }

  private ignore(reply: TccReply, why: string): ReplyResult {
    this.observer.ignoredReply?.(reply, why);
    return { status: 'ignored', why };
  }

  /** Capped exponential backoff (deterministic, so schedules are testable with a manual clock). */
  private after(now: Date, attempt: number): Date {
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** Math.max(0, attempt - 1));
    return new Date(now.getTime() + delay);
  }

  /** Delay before the next resend of an unanswered Try: tryResendMs doubling per attempt, capped at maxMs. */
  private tryAfter(now: Date, attempt: number): Date {
    const delay = Math.min(Math.max(this.policy.maxMs, this.policy.tryResendMs), this.policy.tryResendMs * 2 ** Math.max(0, attempt - 1));
    return new Date(now.getTime() + delay);
  }

  private backlogged(tx: SqlExecutor): Promise<boolean> {
    return this.transport ? this.transport.isBacklogged(tx) : Promise.resolve(false);
  }

  private earlier(a: Date, b: Date): Date {
    return a.getTime() <= b.getTime() ? a : b;
  }

  private soonest(g: GlobalTx, candidate: Date): Date {
    return this.earlier(candidate, g.nextAttemptAt);
  }
}

/** Why a transaction is cancelled at its deadline: never fully tried, or tried and never decided. */
function cancelCauseAtDeadline(status: 'trying' | 'prepared'): CancelCause {
  return status === 'trying' ? 'not-decided' : 'deadline';
}

/**
 * Moves of a branch alone, decided under their sagas' locks and not written yet, in the order they
 * were decided. A branch has at most one: a move leaves its branch where no reply of the same run
 * moves it alone again, so a second one is a bug, and fails the run (its replies are then applied
 * one by one).
 */
class PendingMoves {
  private readonly byGid = new Map<string, BranchMove[]>();

  add(move: BranchMove): void {
    const moves = this.byGid.get(move.gid) ?? [];
    if (moves.some((m) => m.branchId === move.branchId)) throw new Error(`tcc: branch ${move.gid}/${move.branchId} moved twice before it was written`);
    moves.push(move);
    this.byGid.set(move.gid, moves);
  }

  /** The pending moves of `gid`, which the caller writes now. */
  take(gid: string): BranchMove[] {
    const moves = this.byGid.get(gid) ?? [];
    this.byGid.delete(gid);
    return moves;
  }

  /** Every pending move, which the caller writes now. */
  takeAll(): BranchMove[] {
    const moves = [...this.byGid.values()].flat();
    this.byGid.clear();
    return moves;
  }
}

/** What `casBranchThenGlobal` stored for a branch it moved, done to the copy in memory. */
function moveInMemory(b: BranchTx, to: BranchStatus, reply: NonNullable<BranchTx['reply']>): void {
  b.status = to;
  b.reply = reply;
  b.attempts = 1;
}
