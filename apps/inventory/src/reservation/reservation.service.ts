import { STOCK_DEDUCTED, STOCK_RELEASED, ReleaseReason, type StockDeductedEvent } from '@omni/contracts';
import DataLoader from 'dataloader';
import { DomainError, DomainErrorType } from '@omni/platform';
import { branchesWithTry, branchKey, claimConfirms, Clock, runTccBranch, SystemClock, TCC_REFUSAL_MESSAGES, TccBranchOutcome, TRY_REFUSED } from '@omni/tcc';
import { AtpCache, AtpSnapshot } from '../redis-gate/atp-cache';
import { type SqlExecutor } from '@omni/sql';
import { lockSkus, MovementInput, SkuChange, StockLedger } from '../stock/stock-ledger';
import { ANY_LOCATION, LineReason, ReservationPick, TryLine } from './domain/reservation.decider';
import { branchReason, BranchCommand, BranchReply, ReservedLine, TryCommand, TryResult, TryToDecide } from './domain/reservation.types';
import { EventWriter } from './persistence/event-writer.port';
import { TxRunner } from './persistence/pg-tx.runner';
import { findReservation, reservationStatus, restoreQuota, settleReservation, settleReservations, StoredReservation } from './persistence/reservation.store';
import { decideAndWriteTries, TryWriterDeps, writeFreshTries } from './persistence/try-batch.writer';
import { DecidedTries, TryBatcher } from './try-batcher';

/** Options of the reservation service. */
export interface ReservationServiceOptions {
  /** Channels every stock-changed and cache entry reports on (env INVENTORY_CHANNELS). */
  activeChannels?: readonly string[];
  clock?: Clock;
}


/** A saga command of a run (see `ReservationService.runIn`). */
export type RunCommand = { op: 'try'; cmd: TryCommand } | { op: 'confirm'; cmd: BranchCommand };

/** A run holds a command only the one-at-a-time path answers: roll it back and apply each command alone. */
export class RunNeedsOneByOne extends Error {
  override readonly name = 'RunNeedsOneByOne';
}

/** A command's reply plus what to write to Redis once the transaction has committed. */
export interface CommandResult {
  reply: BranchReply;
  snapshots: AtpSnapshot[];
  /** SKUs the command touched (for a deferred cache rebuild when the commit is not ours). */
  skus: string[];
}

/**
 * The inventory TCC participant. Each command is one transaction: barrier row + reservation +
 * levels + ledger + outbox commit together. Try serialises per SKU on sku_stock (sorted);
 * concurrent Trys of the same SKUs share one transaction (TryBatcher). Redis may refuse a
 * Try before Postgres is touched, and is refreshed after every commit.
 */
export class ReservationService {
  private readonly clock: Clock;
  private readonly activeChannels: readonly string[];
  private readonly writerDeps: TryWriterDeps;
  private readonly batcher: TryBatcher;
  /** The barrier reads of concurrent single Trys (HTTP), one statement per tick. */
  private readonly tryProbe: DataLoader<TryCommand, boolean>;

  constructor(
    private readonly db: TxRunner,
    private readonly events: EventWriter,
    private readonly ledger: StockLedger,
    private readonly cache: AtpCache | null,
    options: ReservationServiceOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.activeChannels = options.activeChannels ?? [];
    this.writerDeps = { events, ledger, activeChannels: this.activeChannels, clock: this.clock };
    this.tryProbe = new DataLoader(
      async (branches) => {
        const known = await branchesWithTry(db, branches);
        return branches.map((b) => known.has(branchKey(b)));
      },
      { cache: false },
    );
    this.batcher = new TryBatcher({ db, decide: (tx, tries) => this.decideTries(tx, tries), refresh: (snapshots) => this.refreshCache(snapshots) });
  }

  /** Which of `branches` the barrier holds a Try for, read together with the other requests of this tick. */
  private async knownTries(branches: readonly TryCommand[]): Promise<Set<string>> {
    const found = await this.tryProbe.loadMany(branches);
    const failed = found.find((f): f is Error => f instanceof Error);
    if (failed) throw failed;
    return new Set(branches.filter((_, i) => found[i] === true).map(branchKey));
  }

  /**
   * Try in its own transaction (HTTP, POS), grouped with concurrent Trys of the same SKUs; Redis is
   * refreshed after the commit. Refused early like `tryIn`, then decided by `decideTries`.
   */
  async try(cmd: TryCommand): Promise<BranchReply> {
    const [pre] = await this.prechecks((branches) => this.knownTries(branches), [cmd]);
    if ('reply' in pre) return pre.reply;
    return this.batcher.submit(pre.t);
  }

  /** Confirm in its own transaction. */
  async confirm(cmd: BranchCommand): Promise<BranchReply> {
    const done = await this.db.run(async (tx) => ({ commit: true, value: await this.confirmIn(tx, cmd) }));
    await this.refreshCache(done.snapshots);
    return done.reply;
  }

  /** Cancel in its own transaction. */
  async cancel(cmd: BranchCommand, reason: ReleaseReason = 'cancelled'): Promise<BranchReply> {
    const done = await this.db.run(async (tx) => ({ commit: true, value: await this.cancelIn(tx, cmd, reason) }));
    await this.refreshCache(done.snapshots);
    return done.reply;
  }

  /**
   * Trys inside the caller's transaction (the saga's Kafka commands, one or a partition's run), with
   * the effect of deciding each on its own, in order: the deadline and the Redis gate refuse without
   * writing; the rest are decided by `decideTries` (one barrier statement, one SKU lock, one write).
   * Returns a reply per command and the SKUs they touched (whose cache entries the caller rebuilds
   * once its transaction has committed).
   */
  async tryIn(tx: SqlExecutor, cmds: readonly TryCommand[]): Promise<{ replies: BranchReply[]; skus: string[] }> {
    const pre = await this.prechecks((branches) => branchesWithTry(tx, branches), cmds);
    const replies: Array<BranchReply | undefined> = pre.map((p) => ('reply' in p ? p.reply : undefined));
    const open = pre.flatMap((p, i) => ('t' in p ? [{ i, t: p.t }] : []));
    const decided = open.length > 0 ? await this.decideTries(tx, open.map((o) => o.t)) : { replies: [], snapshots: [] };
    open.forEach(({ i }, n) => (replies[i] = decided.replies[n]));
    const skus = [...new Set(open.flatMap(({ t }) => t.lines.map((l) => l.sku)))];
    return { replies: replies as BranchReply[], skus };
  }

  /**
   * The one place Trys are decided, in `tx`, in arrival order: their barrier rows in one statement,
   * the fresh ones decided and written together under one SKU lock; a Try the barrier already holds
   * (a repeat, or a Try after its Cancel) is answered through runTccBranch, from the stored
   * reservation or as suspended, so a repeat gets its first answer.
   */
  private async decideTries(tx: SqlExecutor, tries: readonly TryToDecide[]): Promise<DecidedTries> {
    const written = await writeFreshTries(tx, tries, (runner, fresh) => decideAndWriteTries(runner, fresh, this.writerDeps));
    const replies: BranchReply[] = [];
    const snapshots = [...written.snapshots];
    for (const [i, t] of tries.entries()) {
      const result = written.results[i];
      if (result) {
        replies.push({ ...tryBase(t), ...this.tryReply({ status: 'applied', value: result }, null) });
        continue;
      }
      const again = await this.tryThroughBarrier(tx, t);
      replies.push(again.reply);
      snapshots.push(...again.snapshots);
    }
    return { replies, snapshots };
  }

  /**
   * The refusals of `cmds` that need no transaction, in order, and null for every Try Postgres must
   * decide (see `prechecks`). Records nothing: asked again, it decides again.
   */
  async refuseEarly(cmds: readonly TryCommand[]): Promise<Array<BranchReply | null>> {
    return (await this.prechecks((branches) => branchesWithTry(this.db, branches), cmds)).map((p) => ('reply' in p ? p.reply : null));
  }

  /**
   * Each Try refused without deciding it (its deadline has passed, or the Redis gate finds the
   * stock short), or ready to be decided. A refusal stands only if the branch has no Try in the
   * barrier yet: a repeated Try (a redelivery, a resend) must get its first answer, and a Try after
   * its Cancel is suspended, so those go to the barrier. `knownTries` reads the barrier (once, and
   * only when anything is refused).
   */
  private async prechecks(
    knownTries: (branches: readonly TryCommand[]) => Promise<Set<string>>,
    cmds: readonly TryCommand[],
  ): Promise<Array<{ reply: BranchReply } | { t: TryToDecide }>> {
    const pre = await Promise.all(cmds.map((cmd) => this.precheck(cmd)));
    const refused = cmds.filter((_, i) => pre[i].reply);
    const known = refused.length > 0 ? await knownTries(refused) : new Set<string>();
    return pre.map(({ t, reply }, i) => (reply && !known.has(branchKey(cmds[i])) ? { reply } : { t }));
  }

  /** A Try ready to decide, and its refusal when one needs no database: a passed deadline, or the Redis gate. */
  private async precheck(cmd: TryCommand): Promise<{ t: TryToDecide; reply?: BranchReply }> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'try' as const };
    const deadline = new Date(cmd.deadline);
    const lines: TryLine[] = cmd.lines.map((l, i) => ({ lineNo: i, sku: l.sku, quantity: l.quantity, locationId: l.locationId }));
    const t = { cmd, deadline, lines };
    if (this.clock.now().getTime() > deadline.getTime()) {
      return { t, reply: { ...base, outcome: 'failure', reasons: [branchReason('DEADLINE_PASSED', `deadline ${deadline.toISOString()} has passed`)] } };
    }
    const refused = await this.gate(cmd.channel, lines);
    return refused ? { t, reply: { ...base, outcome: 'failure', reasons: refused } } : { t };
  }

  /** One Try behind runTccBranch in `tx` (duplicates answer from the stored reservation). */
  private async tryThroughBarrier(tx: SqlExecutor, t: TryToDecide): Promise<CommandResult> {
    const base = tryBase(t);
    let snapshots: AtpSnapshot[] = [];
    const outcome = await runTccBranch(tx, base, async () => {
      const written = await decideAndWriteTries(tx, [t], this.writerDeps);
      snapshots = written.snapshots;
      return written.results[0];
    });
    const stored = outcome.status === 'duplicate' ? await findReservation(tx, t.cmd.gid, t.cmd.branchId) : null;
    return { reply: { ...base, ...this.tryReply(outcome, stored) }, snapshots, skus: [...new Set(t.lines.map((l) => l.sku))] };
  }

  /** Confirm inside the caller's transaction: deduct the reserved units and publish stock-deducted. */
  async confirmIn(tx: SqlExecutor, cmd: BranchCommand): Promise<CommandResult> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'confirm' as const };
    let changes: SkuChange[] = [];
    const outcome = await runTccBranch(tx, base, async () => {
      // The reservation's status first, so the SKUs' locks, which applyMovements takes (in the same
      // order as Try), are held for as little as the ledger needs.
      const r = await this.settleTried(tx, cmd);
      if (r === TRY_REFUSED) return TRY_REFUSED;
      changes = await this.ledger.applyMovements(tx, this.movements(r, 'deduction'));
      await this.events.add(tx, STOCK_DEDUCTED, this.deducted(r));
    });
    return { reply: { ...base, ...phaseReply(outcome) }, snapshots: changes.map(snapshotOf), skus: changes.map((c) => c.sku) };
  }

  /**
   * Trys and Confirms inside the caller's transaction (a partition's run of saga commands), with the
   * effect of applying each alone, in order, and a few statements whatever the run's length:
   * - the Confirms' barrier rows (two statements, `claimConfirms`) and reservations (one);
   * - every SKU the run touches locked at once, in SKU order, when it holds both kinds (each part
   *   alone locks its own SKUs in that order), so two runs never wait on each other crosswise;
   * - the Trys, as `tryIn`;
   * - every deduction in one ledger write, and the stock-deducted events.
   * A Confirm never changes what a Try may take (it ships held units: on hand and reserved fall
   * together), and a Try of a branch confirmed in the same run is a repeat, answered from the
   * stored reservation: so Confirms first, then Trys, is the effect of the run's order. A claimed
   * Confirm whose reservation is not `tried` (its Try was refused, or something is wrong) throws
   * `RunNeedsOneByOne`, and the caller applies the run one command at a time, where each case has
   * its answer. Returns a reply per command and the SKUs the Trys touched (see `tryIn`).
   */
  async runIn(tx: SqlExecutor, cmds: readonly RunCommand[]): Promise<{ replies: BranchReply[]; skus: string[] }> {
    const confirms = cmds.flatMap((c, i) => (c.op === 'confirm' ? [{ i, cmd: c.cmd }] : []));
    const tries = cmds.flatMap((c, i) => (c.op === 'try' ? [{ i, cmd: c.cmd }] : []));
    const claims = confirms.length > 0 ? await claimConfirms(tx, confirms.map((c) => c.cmd)) : [];
    const claimed = confirms.filter((_, n) => claims[n].status === 'claimed');
    const settled = await settleReservations(tx, claimed.map((c) => c.cmd), 'confirmed');
    const unsettled = claimed.find((c) => !settled.has(branchKey(c.cmd)));
    if (unsettled) throw new RunNeedsOneByOne(`the Confirm of ${branchKey(unsettled.cmd)} found no tried reservation`);
    const deductions = claimed.map((c) => settled.get(branchKey(c.cmd))!);
    if (deductions.length > 0 && tries.length > 0) {
      await lockSkus(tx, [...deductions.flatMap((r) => r.lines.map((l) => l.sku)), ...tries.flatMap((t) => t.cmd.lines.map((l) => l.sku))], false);
    }
    const replies: BranchReply[] = new Array<BranchReply>(cmds.length);
    const tried = tries.length > 0 ? await this.tryIn(tx, tries.map((t) => t.cmd)) : { replies: [], skus: [] };
    tries.forEach((t, n) => (replies[t.i] = tried.replies[n]));
    if (deductions.length > 0) {
      await this.ledger.applyMovements(tx, deductions.flatMap((r) => this.movements(r, 'deduction')));
      await this.events.addMany(tx, STOCK_DEDUCTED, deductions.map((r) => ({ payload: this.deducted(r) })));
    }
    confirms.forEach((c, n) => {
      const claim = claims[n];
      replies[c.i] = { gid: c.cmd.gid, branchId: c.cmd.branchId, op: 'confirm', ...phaseReply(claim.status === 'claimed' ? { status: 'applied', value: undefined } : claim) };
    });
    return { replies, skus: tried.skus };
  }

  /** Cancel inside the caller's transaction: release, restore quota, publish stock-released; empty rollback if no Try. */
  async cancelIn(tx: SqlExecutor, cmd: BranchCommand, reason: ReleaseReason = 'cancelled'): Promise<CommandResult> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'cancel' as const };
    let changes: SkuChange[] = [];
    const outcome = await runTccBranch(tx, base, async () => {
      changes = await this.releaseInTx(tx, cmd, reason);
    });
    return { reply: { ...base, ...phaseReply(outcome) }, snapshots: changes.map(snapshotOf), skus: changes.map((c) => c.sku) };
  }

  /** The compensation of a branch inside the caller's transaction (Cancel and the expiry sweeper share it). */
  async releaseInTx(tx: SqlExecutor, cmd: BranchCommand, reason: ReleaseReason): Promise<SkuChange[]> {
    // Its status before the SKUs' locks, held from here to the commit; nothing to release unless tried.
    const r = await settleReservation(tx, cmd.gid, cmd.branchId, 'cancelled', reason);
    if (!r) return [];
    // SKU locks first, in the same order as Try, before touching allocation rows.
    await lockSkus(tx, r.lines.map((l) => l.sku), false);
    const quota = new Map<string, number>();
    for (const l of r.lines) quota.set(l.sku, (quota.get(l.sku) ?? 0) + l.quotaUnits);
    await restoreQuota(tx, r.channel, quota);
    const changes = await this.ledger.applyMovements(tx, this.movements(r, 'release'));
    await this.events.add(tx, STOCK_RELEASED, {
      schemaVersion: 1,
      occurredAt: this.clock.now().toISOString(),
      orderId: r.gid,
      channel: r.channel,
      reason,
      lines: r.lines.map((l) => ({ sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, quantity: l.quantity })),
    });
    return changes;
  }

  /** Writes snapshots to Redis; a Redis outage only costs the gate, never the command. */
  async refreshCache(snapshots: readonly AtpSnapshot[]): Promise<void> {
    if (!this.cache || snapshots.length === 0) return;
    try {
      await this.cache.write(snapshots);
    } catch {
      // The reconciler rebuilds stale or missing entries.
    }
  }

  private async gate(channel: string, lines: readonly TryLine[]): Promise<LineReason[] | null> {
    if (!this.cache) return null;
    const bySku = new Map<string, number>();
    for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
    let verdict;
    try {
      verdict = await this.cache.gate(channel, bySku);
    } catch {
      return null; // Redis down: Postgres decides.
    }
    if (verdict.verdict !== 'refuse') return null;
    return verdict.short.flatMap((s) =>
      lines
        .filter((l) => l.sku === s.sku)
        .map((l) => ({ line: l.lineNo, code: 'SOLD_OUT_GATE' as const, message: `${s.sku}: channel ${channel} can promise ${s.available}` })),
    );
  }

  private tryReply(outcome: TccBranchOutcome<TryResult>, stored: StoredReservation | null): Pick<BranchReply, 'outcome' | 'reasons' | 'lines'> {
    if (outcome.status === 'applied') {
      return outcome.value.accepted
        ? { outcome: 'success', reasons: [], lines: outcome.value.picks.map(reservedLine) }
        : { outcome: 'failure', reasons: outcome.value.reasons };
    }
    if (outcome.status === 'suspended') {
      return { outcome: 'failure', reasons: [branchReason('BRANCH_CANCELLED', 'the branch was cancelled before this Try arrived')] };
    }
    if (stored && stored.status === 'rejected') return { outcome: 'failure', reasons: stored.reasons };
    return { outcome: 'success', reasons: [], lines: (stored?.lines ?? []).map(reservedLine) };
  }

  /**
   * Confirms a tried reservation (see `settleReservation`), or says its Try was refused (nothing
   * written); a reservation in any other state is an error.
   */
  private async settleTried(tx: SqlExecutor, cmd: BranchCommand): Promise<StoredReservation | typeof TRY_REFUSED> {
    const r = await settleReservation(tx, cmd.gid, cmd.branchId, 'confirmed');
    if (r) return r;
    const status = await reservationStatus(tx, cmd.gid, cmd.branchId);
    if (status === 'rejected') return TRY_REFUSED;
    if (status === null) throw new DomainError(DomainErrorType.Unexpected, 'RESERVATION_MISSING', `branch ${cmd.gid}/${cmd.branchId} was tried but has no reservation`);
    throw new DomainError(DomainErrorType.Conflict, 'RESERVATION_STATE', `reservation is ${status}`);
  }

  /** The stock-deducted event of a confirmed reservation. */
  private deducted(r: StoredReservation): StockDeductedEvent {
    return {
      schemaVersion: 1,
      occurredAt: this.clock.now().toISOString(),
      orderId: r.gid,
      channel: r.channel,
      lines: r.lines.map((l) => ({ sku: l.sku, locationId: l.locationId, ownerId: l.ownerId, quantity: l.quantity, ownerType: l.ownerType })),
    };
  }

  private movements(r: StoredReservation, type: 'deduction' | 'release'): MovementInput[] {
    return r.lines.map((l) => ({
      sku: l.sku,
      locationId: l.locationId,
      ownerId: l.ownerId,
      type,
      onHandDelta: type === 'deduction' ? -l.quantity : 0,
      reservedDelta: -l.quantity,
      channel: r.channel,
      ref: `${r.gid}/${r.branchId}`,
    }));
  }
}

function phaseReply(outcome: TccBranchOutcome<unknown>): Pick<BranchReply, 'outcome' | 'reasons'> {
  if (outcome.status !== 'refused') return { outcome: 'success', reasons: [] };
  return { outcome: outcome.retryable ? 'retry' : 'failure', reasons: [branchReason(outcome.code, TCC_REFUSAL_MESSAGES[outcome.code])] };
}

function tryBase(t: TryToDecide): Pick<BranchReply, 'gid' | 'branchId' | 'op'> {
  return { gid: t.cmd.gid, branchId: t.cmd.branchId, op: 'try' };
}

function reservedLine(p: ReservationPick): ReservedLine {
  return { line: p.lineNo, sku: p.sku, locationId: p.locationId, ownerId: p.ownerId, ownerType: p.ownerType, quantity: p.quantity };
}



/** Cache snapshot of a SkuChange. */
export function snapshotOf(change: SkuChange): AtpSnapshot {
  return { sku: change.sku, version: change.version, channels: change.atp };
}


export { ANY_LOCATION };
