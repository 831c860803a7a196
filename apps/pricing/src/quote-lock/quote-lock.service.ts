import type { TccOpName } from '@omni/contracts';
import { runTccBranch, TCC_REFUSAL_MESSAGES, TccBranchOutcome, TRY_REFUSED, type Clock } from '@omni/tcc';
import { DataSource, EntityManager } from 'typeorm';
import type { FlashSaleAllocation, Quote } from '../domain';
import { ConcurrencyGate } from '../shared/concurrency.gate';
import { queryRows } from '@omni/sql';
import {
  branchReason,
  FlashSaleTake,
  QuoteLockCommand,
  QuoteLockReason,
  QuoteLockReply,
  QuoteLockStatus,
  QuoteLockTryCommand,
} from './quote-lock.types';

interface QuoteRow {
  id: string;
  channel: string;
  member_id: string | null;
  result: Quote;
  expires_at: Date;
  locked_by_gid: string | null;
  total: string;
  currency: string;
}

interface LockRow {
  quote_id: string;
  status: QuoteLockStatus;
  flash_sale_units: FlashSaleTake[];
  member_id: string | null;
  deadline: Date;
  reasons: QuoteLockReason[];
}

type TryDecision = { locked: true; quote: QuoteRow } | { locked: false; reasons: QuoteLockReason[] };

/**
 * The quote lock, a TCC participant. Try locks a quote for one order until its deadline (the buyer
 * pays what they were quoted) and takes its flash-sale units from the caps; Confirm makes it final;
 * Cancel gives the units back and frees the quote. Each phase is one transaction with its barrier
 * row; the caps are single counter rows updated with a guard, so concurrent locks never pass a cap.
 */
export class QuoteLockService {
  private readonly gate: ConcurrencyGate;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    /** Phases run at once over HTTP; keep it below the pool size so other requests still get a connection. */
    concurrency = 6,
  ) {
    this.gate = new ConcurrencyGate(concurrency);
  }

  /** Try in its own transaction (queued behind the gate so a burst never starves the pool). */
  try(cmd: QuoteLockTryCommand): Promise<QuoteLockReply> {
    return this.gate.run(() => this.dataSource.transaction((tx) => this.tryIn(tx, cmd)));
  }

  /** Confirm in its own transaction. */
  confirm(cmd: QuoteLockCommand): Promise<QuoteLockReply> {
    return this.gate.run(() => this.dataSource.transaction((tx) => this.confirmIn(tx, cmd)));
  }

  /** Cancel in its own transaction. */
  cancel(cmd: QuoteLockCommand): Promise<QuoteLockReply> {
    return this.gate.run(() => this.dataSource.transaction((tx) => this.cancelIn(tx, cmd)));
  }

  /** Runs whichever phase a coordinator command names, inside the caller's (inbox) transaction. */
  runIn(tx: EntityManager, cmd: QuoteLockTryCommand & { op: TccOpName }): Promise<QuoteLockReply> {
    if (cmd.op === 'try') return this.tryIn(tx, cmd);
    return cmd.op === 'confirm' ? this.confirmIn(tx, cmd) : this.cancelIn(tx, cmd);
  }

  /** Try inside the caller's transaction (a Kafka command's inbox transaction). */
  async tryIn(tx: EntityManager, cmd: QuoteLockTryCommand): Promise<QuoteLockReply> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'try' as const };
    const now = this.clock.now();
    if (now.getTime() > Date.parse(cmd.deadline)) {
      // Refused before the barrier: nothing is recorded, as for a Try that never arrived.
      return { ...base, outcome: 'failure', reasons: [branchReason('DEADLINE_PASSED', `deadline ${cmd.deadline} has passed`)] };
    }
    const outcome = await runTccBranch(tx, base, () => this.lock(tx, cmd, now));
    if (outcome.status === 'applied') {
      const decided = outcome.value;
      // A fresh lock answers from the quote row it locked; no second read.
      return decided.locked ? this.tryReply(tx, base, cmd, 'locked', [], decided.quote) : this.tryReply(tx, base, cmd, 'rejected', decided.reasons);
    }
    if (outcome.status === 'duplicate') {
      const row = await this.findLock(tx, cmd);
      if (!row) return { ...base, outcome: 'retry', reasons: [branchReason('LOCK_NOT_FOUND', 'the Try is recorded but its lock is not visible yet')] };
      return this.tryReply(tx, base, cmd, row.status, row.reasons);
    }
    return this.refusal(base, outcome);
  }

  /** Confirm inside the caller's transaction: the lock becomes final. */
  async confirmIn(tx: EntityManager, cmd: QuoteLockCommand): Promise<QuoteLockReply> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'confirm' as const };
    const outcome = await runTccBranch(tx, base, async () => {
      // The update, and the status it found, in one statement: the update runs whether or not it is
      // read, and the SELECT sees the row as the statement began.
      const [row] = await queryRows<{ status: string | null }>(
        tx,
        `WITH u AS (UPDATE quote_locks SET status = 'confirmed', updated_at = now() WHERE gid = $1 AND branch_id = $2 AND status = 'locked')
         SELECT (SELECT status FROM quote_locks WHERE gid = $1 AND branch_id = $2) AS status`,
        [cmd.gid, cmd.branchId],
      );
      return row?.status === 'rejected' ? TRY_REFUSED : undefined;
    });
    if (outcome.status === 'applied' || outcome.status === 'duplicate') return { ...base, outcome: 'success', reasons: [] };
    return this.refusal(base, outcome);
  }

  /** Cancel inside the caller's transaction: flash-sale units go back and the quote is free again. */
  async cancelIn(tx: EntityManager, cmd: Pick<QuoteLockCommand, 'gid' | 'branchId'>): Promise<QuoteLockReply> {
    const base = { gid: cmd.gid, branchId: cmd.branchId, op: 'cancel' as const };
    const outcome = await runTccBranch(tx, base, async () => {
      const [row] = await queryRows<LockRow>(tx, 'SELECT * FROM quote_locks WHERE gid = $1 AND branch_id = $2 FOR UPDATE', [cmd.gid, cmd.branchId]);
      if (!row) return;
      if (row.status === 'locked') await this.release(tx, cmd.gid, row);
      await tx.query(`UPDATE quote_locks SET status = 'cancelled', updated_at = now() WHERE gid = $1 AND branch_id = $2`, [cmd.gid, cmd.branchId]);
    });
    if (outcome.status === 'refused') return this.refusal(base, outcome);
    return { ...base, outcome: 'success', reasons: [] };
  }

  /**
   * The first delivery of a Try: decide, record the lock (or the refusal), and take the flash-sale
   * units last, so the hot counter row stays locked only until the commit right after.
   */
  private async lock(tx: EntityManager, cmd: QuoteLockTryCommand, now: Date): Promise<TryDecision> {
    const [quote] = await queryRows<QuoteRow>(tx, 'SELECT * FROM quotes WHERE id = $1 FOR UPDATE', [cmd.quoteId]);
    let refusal: QuoteLockReason | undefined;
    if (!quote || quote.channel !== cmd.channel) {
      refusal = branchReason('QUOTE_NOT_FOUND', `no quote ${cmd.quoteId} for channel ${cmd.channel}`);
    } else if (new Date(quote.expires_at).getTime() < now.getTime()) {
      refusal = branchReason('QUOTE_EXPIRED', `quote expired at ${new Date(quote.expires_at).toISOString()}`);
    } else if (quote.locked_by_gid !== null) {
      // A repeated Try of this branch never gets here (the barrier answers it), so any holder is another branch.
      refusal = branchReason('QUOTE_ALREADY_LOCKED', 'the quote is locked by another order or branch');
    } else {
      refusal = await this.soldOut(tx, quote.result.flashSaleAllocations);
    }
    const allocations = quote && !refusal ? quote.result.flashSaleAllocations : [];
    await this.insertLock(tx, cmd, quote?.member_id ?? null, refusal ? 'rejected' : 'locked', takesOf(allocations), refusal ? [refusal] : []);
    if (refusal || !quote) return { locked: false, reasons: [refusal ?? branchReason('QUOTE_NOT_FOUND', 'no quote')] };
    const took = await this.takeFlashSaleUnits(tx, allocations, quote.member_id);
    if (took.ok) return { locked: true, quote };
    // Lost the race for the last units: undo the lock inside this transaction and record the refusal.
    await tx.query('UPDATE quotes SET locked_by_gid = NULL WHERE id = $1', [quote.id]);
    await tx.query(`UPDATE quote_locks SET status = 'rejected', flash_sale_units = '[]', reasons = $3::jsonb WHERE gid = $1 AND branch_id = $2`, [
      cmd.gid,
      cmd.branchId,
      JSON.stringify([took.reason]),
    ]);
    return { locked: false, reasons: [took.reason] };
  }

  /** Records the Try's lock or refusal; a lock also marks its quote as held by this saga, in the same statement. */
  private async insertLock(
    tx: EntityManager,
    cmd: QuoteLockTryCommand,
    memberId: string | null,
    status: QuoteLockStatus,
    taken: FlashSaleTake[],
    reasons: QuoteLockReason[],
  ): Promise<void> {
    await tx.query(
      `WITH l AS (INSERT INTO quote_locks (gid, branch_id, quote_id, status, flash_sale_units, member_id, deadline, reasons)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb) RETURNING gid, quote_id, status)
       UPDATE quotes q SET locked_by_gid = l.gid FROM l WHERE q.id = l.quote_id AND l.status = 'locked'`,
      [cmd.gid, cmd.branchId, cmd.quoteId, status, JSON.stringify(taken), memberId, cmd.deadline, JSON.stringify(reasons)],
    );
  }

  /**
   * A lock-free look at the caps: a Try that cannot get its units is refused without queueing on
   * the counter row. Only a refusal is trusted; the guarded UPDATE decides every success.
   */
  private async soldOut(tx: EntityManager, allocations: readonly FlashSaleAllocation[]): Promise<QuoteLockReason | undefined> {
    const wanted = takesOf(allocations);
    if (wanted.length === 0) return undefined;
    const rows = await queryRows<{ rule_id: string; left: number }>(tx, 'SELECT rule_id, cap - sold AS left FROM flash_sale_counters WHERE rule_id = ANY($1::text[])', [
      wanted.map((take) => take.ruleId),
    ]);
    const left = new Map(rows.map((row) => [row.rule_id, row.left]));
    const short = wanted.find((take) => (left.get(take.ruleId) ?? 0) < take.units);
    return short ? branchReason('FLASH_SALE_SOLD_OUT', `flash sale ${short.ruleId} has fewer than ${short.units} units left`) : undefined;
  }

  /**
   * Takes every allocation's units from its cap (and the member's limit) or none: one guarded
   * UPDATE per counter row, so racing locks serialise on the row and the cap can never be passed.
   */
  private async takeFlashSaleUnits(
    tx: EntityManager,
    allocations: readonly FlashSaleAllocation[],
    memberId: string | null,
  ): Promise<{ ok: true; taken: FlashSaleTake[] } | { ok: false; reason: QuoteLockReason }> {
    const takes = takesOf(allocations);
    if (takes.length === 0) return { ok: true, taken: [] };
    await tx.query('SAVEPOINT flash_sale_take');
    for (const { ruleId, units } of takes) {
      const sold = await queryRows(tx, 'UPDATE flash_sale_counters SET sold = sold + $2 WHERE rule_id = $1 AND sold + $2 <= cap RETURNING sold', [ruleId, units]);
      if (sold.length === 0) {
        await tx.query('ROLLBACK TO SAVEPOINT flash_sale_take');
        return { ok: false, reason: branchReason('FLASH_SALE_SOLD_OUT', `flash sale ${ruleId} has fewer than ${units} units left`) };
      }
      if (memberId !== null && !(await this.takeMemberUnits(tx, ruleId, memberId, units))) {
        await tx.query('ROLLBACK TO SAVEPOINT flash_sale_take');
        return { ok: false, reason: branchReason('FLASH_SALE_MEMBER_LIMIT', `member limit of flash sale ${ruleId} reached`) };
      }
    }
    await tx.query('RELEASE SAVEPOINT flash_sale_take');
    return { ok: true, taken: takes };
  }

  private async takeMemberUnits(tx: EntityManager, ruleId: string, memberId: string, units: number): Promise<boolean> {
    const [limitRow] = await queryRows<{ limit: string | null }>(
      tx,
      `SELECT v.definition->>'perMemberLimit' AS limit FROM price_rules r
       JOIN price_rule_versions v ON v.id = r.id AND v.version = r.latest_version WHERE r.id = $1`,
      [ruleId],
    );
    const limit = limitRow?.limit ? Number(limitRow.limit) : Number.MAX_SAFE_INTEGER;
    if (units > limit) return false;
    const rows = await queryRows(
      tx,
      `INSERT INTO flash_sale_member_usage (rule_id, member_id, units) VALUES ($1, $2, $3)
       ON CONFLICT (rule_id, member_id) DO UPDATE SET units = flash_sale_member_usage.units + EXCLUDED.units
         WHERE flash_sale_member_usage.units + EXCLUDED.units <= $4
       RETURNING units`,
      [ruleId, memberId, units, limit],
    );
    return rows.length === 1;
  }

  private async release(tx: EntityManager, gid: string, row: LockRow): Promise<void> {
    for (const take of row.flash_sale_units) {
      await tx.query('UPDATE flash_sale_counters SET sold = GREATEST(sold - $2, 0) WHERE rule_id = $1', [take.ruleId, take.units]);
      if (row.member_id !== null) {
        await tx.query('UPDATE flash_sale_member_usage SET units = GREATEST(units - $3, 0) WHERE rule_id = $1 AND member_id = $2', [
          take.ruleId,
          row.member_id,
          take.units,
        ]);
      }
    }
    await tx.query('UPDATE quotes SET locked_by_gid = NULL WHERE id = $1 AND locked_by_gid = $2', [row.quote_id, gid]);
  }

  private async findLock(tx: EntityManager, cmd: QuoteLockCommand): Promise<LockRow | undefined> {
    const [row] = await queryRows<LockRow>(tx, 'SELECT * FROM quote_locks WHERE gid = $1 AND branch_id = $2', [cmd.gid, cmd.branchId]);
    return row;
  }

  private async tryReply(
    tx: EntityManager,
    base: Pick<QuoteLockReply, 'gid' | 'branchId' | 'op'>,
    cmd: QuoteLockTryCommand,
    status: QuoteLockStatus,
    reasons: QuoteLockReason[],
    locked?: Pick<QuoteRow, 'total' | 'currency'>,
  ): Promise<QuoteLockReply> {
    if (status === 'rejected') return { ...base, outcome: 'failure', reasons };
    if (status === 'cancelled') return { ...base, outcome: 'failure', reasons: [branchReason('BRANCH_CANCELLED', 'the branch was cancelled')] };
    const [quote] = locked ? [locked] : await queryRows<Pick<QuoteRow, 'total' | 'currency'>>(tx, 'SELECT total, currency FROM quotes WHERE id = $1', [cmd.quoteId]);
    return {
      ...base,
      outcome: 'success',
      reasons: [],
      detail: { quoteId: cmd.quoteId, total: Number(quote?.total ?? 0), currency: quote?.currency ?? '', lockedUntil: new Date(cmd.deadline).toISOString() },
    };
  }

  private refusal(base: Pick<QuoteLockReply, 'gid' | 'branchId' | 'op'>, outcome: TccBranchOutcome<unknown>): QuoteLockReply {
    if (outcome.status === 'suspended') {
      return { ...base, outcome: 'failure', reasons: [branchReason('BRANCH_CANCELLED', 'the branch was cancelled before this Try arrived')] };
    }
    if (outcome.status === 'refused') {
      return { ...base, outcome: outcome.retryable ? 'retry' : 'failure', reasons: [branchReason(outcome.code, TCC_REFUSAL_MESSAGES[outcome.code])] };
    }
    return { ...base, outcome: 'success', reasons: [] };
  }
}

/** Units per flash-sale rule, sorted by rule id (a fixed lock order across counters). */
function takesOf(allocations: readonly FlashSaleAllocation[]): FlashSaleTake[] {
  const byRule = new Map<string, number>();
  for (const a of allocations) byRule.set(a.ruleId, (byRule.get(a.ruleId) ?? 0) + a.units);
  return [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ruleId, units]) => ({ ruleId, units }));
}
