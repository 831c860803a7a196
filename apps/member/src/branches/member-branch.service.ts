import { COUPON_REDEEMED, GIFT_CARD_CHANGED, type TccOpName } from '@omni/contracts';
import { queryRows } from '@omni/sql';
import { runTccBranch, TCC_REFUSAL_MESSAGES, TRY_REFUSED, type Clock, type TccBranchOutcome } from '@omni/tcc';
import type { DataSource, EntityManager } from 'typeorm';
import { canFreeze, canFreezeAmount, canUse, planSpend, RuleResult, WalletCoupon } from '../domain';
import type { PointsLedgerStore } from '../points/points-ledger.store';
import type { MemberEvents } from '../shared/member-events';
import { activeMember } from '../shared/member-rows';
import {
  branchReason,
  MemberBranchCommand,
  MemberBranchReason,
  MemberBranchReply,
  MemberBranchStatus,
  MemberBranchTryCommand,
} from './member-branch.types';

interface BranchRow {
  gid: string;
  branch_id: string;
  member_id: string;
  status: MemberBranchStatus;
  coupon_ids: string[];
  points: number;
  gift_card_id: string | null;
  gift_card_amount: number;
  deadline: Date;
  reasons: MemberBranchReason[];
}

interface CouponRow {
  id: string;
  member_id: string;
  template_id: string;
  code: string;
  channels: string[];
  valid_from: Date;
  valid_to: Date;
  status: WalletCoupon['status'];
}

type Ref = Pick<MemberBranchReply, 'gid' | 'branchId' | 'op'>;

/**
 * The member TCC participant. Try freezes a member's coupons (available → frozen), points (the
 * member's frozen counter) and a gift-card amount (the card's frozen counter) for one order; Confirm
 * consumes them (coupon redeemed, points spent FIFO from the ledger, gift card debited); Cancel
 * unfreezes. Each phase is one transaction with its barrier row. Rows are locked in one order —
 * member, coupons by id, gift card — and every decision is a pure rule over the locked rows, so
 * racing Trys serialise and the database's CHECKs are never the ones that say no.
 */
export class MemberBranchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedgerStore,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
  ) {}

  /** Try in its own transaction. */
  try(cmd: MemberBranchTryCommand): Promise<MemberBranchReply> {
    return this.dataSource.transaction((tx) => this.tryIn(tx, cmd));
  }

  /** Confirm in its own transaction. */
  confirm(cmd: MemberBranchCommand): Promise<MemberBranchReply> {
    return this.dataSource.transaction((tx) => this.confirmIn(tx, cmd));
  }

  /** Cancel in its own transaction. */
  cancel(cmd: MemberBranchCommand): Promise<MemberBranchReply> {
    return this.dataSource.transaction((tx) => this.cancelIn(tx, cmd));
  }

  /** Runs whichever phase a coordinator command names, inside the caller's (inbox) transaction. */
  runIn(tx: EntityManager, cmd: MemberBranchTryCommand & { op: TccOpName }): Promise<MemberBranchReply> {
    if (cmd.op === 'try') return this.tryIn(tx, cmd);
    return cmd.op === 'confirm' ? this.confirmIn(tx, cmd) : this.cancelIn(tx, cmd);
  }

  /** Try inside the caller's transaction. */
  async tryIn(tx: EntityManager, cmd: MemberBranchTryCommand): Promise<MemberBranchReply> {
    const ref: Ref = { gid: cmd.gid, branchId: cmd.branchId, op: 'try' };
    const now = this.clock.now();
    if (now.getTime() > Date.parse(cmd.deadline)) {
      // Refused before the barrier: nothing is recorded, as for a Try that never arrived.
      return { ...ref, outcome: 'failure', reasons: [branchReason('DEADLINE_PASSED', `deadline ${cmd.deadline} has passed`)] };
    }
    const outcome = await runTccBranch(tx, ref, () => this.freeze(tx, cmd, now));
    if (outcome.status === 'applied' || outcome.status === 'duplicate') {
      const row = await this.findBranch(tx, cmd);
      if (!row) return { ...ref, outcome: 'retry', reasons: [branchReason('BRANCH_NOT_VISIBLE', 'the Try is recorded but its branch is not visible yet')] };
      return tryReply(ref, row);
    }
    return refusal(ref, outcome);
  }

  /** Confirm inside the caller's transaction: the frozen coupons, points and gift-card amount are consumed. */
  async confirmIn(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<MemberBranchReply> {
    const ref: Ref = { gid: cmd.gid, branchId: cmd.branchId, op: 'confirm' };
    const outcome = await runTccBranch(tx, ref, () => this.consume(tx, cmd));
    if (outcome.status === 'applied' || outcome.status === 'duplicate') return { ...ref, outcome: 'success', reasons: [] };
    return refusal(ref, outcome);
  }

  /** Cancel inside the caller's transaction: what the Try froze is available again; a Cancel without Try is an empty rollback. */
  async cancelIn(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<MemberBranchReply> {
    const ref: Ref = { gid: cmd.gid, branchId: cmd.branchId, op: 'cancel' };
    const outcome = await runTccBranch(tx, ref, () => this.unfreeze(tx, cmd));
    if (outcome.status === 'refused') return refusal(ref, outcome);
    return { ...ref, outcome: 'success', reasons: [] };
  }

  /** The first delivery of a Try: lock, decide every asset with the pure rules, then freeze all or nothing. */
  private async freeze(tx: EntityManager, cmd: MemberBranchTryCommand, now: Date): Promise<void> {
    const member = await activeMember(tx, cmd.memberId, true);
    const reasons: MemberBranchReason[] = [];
    const note = (result: RuleResult<unknown>) => {
      if (!result.ok) reasons.push(branchReason(result.code, result.message));
    };
    if (!member) {
      reasons.push(branchReason('MEMBER_NOT_FOUND', `no member ${cmd.memberId}`));
    } else {
      if (new Set(cmd.couponIds).size !== cmd.couponIds.length) reasons.push(branchReason('COUPON_DUPLICATED', 'a coupon is named twice'));
      const coupons = await queryRows<CouponRow>(tx, 'SELECT * FROM coupons WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [cmd.couponIds]);
      for (const id of new Set(cmd.couponIds)) {
        const row = coupons.find((c) => c.id === id);
        if (!row) reasons.push(branchReason('COUPON_NOT_FOUND', `no coupon ${id}`));
        else note(canUse(walletCoupon(row), member.id, cmd.channel, now));
      }
      if (cmd.points > 0) note(canFreeze(await this.ledger.state(tx, member), cmd.points));
      if (cmd.giftCardAmount > 0) {
        const [card] = await queryRows<{ member_id: string | null; balance: number; frozen: number; status: 'active' | 'blocked' }>(
          tx,
          'SELECT member_id, balance, frozen, status FROM gift_cards WHERE id = $1 FOR UPDATE',
          [cmd.giftCardId],
        );
        if (!card || card.member_id !== member.id) reasons.push(branchReason('GIFT_CARD_NOT_FOUND', 'no such gift card in the member’s wallet'));
        else note(canFreezeAmount(card, cmd.giftCardAmount));
      }
    }
    const frozen = reasons.length === 0 && member !== undefined;
    if (frozen) {
      if (cmd.couponIds.length > 0) {
        await tx.query(`UPDATE coupons SET status = 'frozen', held_by_gid = $2 WHERE id = ANY($1::text[])`, [cmd.couponIds, cmd.gid]);
      }
      if (cmd.points > 0) await tx.query('UPDATE members SET points_frozen = points_frozen + $2 WHERE id = $1', [member.id, cmd.points]);
      if (cmd.giftCardAmount > 0) await tx.query('UPDATE gift_cards SET frozen = frozen + $2 WHERE id = $1', [cmd.giftCardId, cmd.giftCardAmount]);
    }
    await tx.query(
      `INSERT INTO member_branches (gid, branch_id, member_id, channel, status, coupon_ids, points, gift_card_id, gift_card_amount, deadline, reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
      [
        cmd.gid,
        cmd.branchId,
        member?.id ?? cmd.memberId,
        cmd.channel,
        frozen ? 'frozen' : 'rejected',
        cmd.couponIds,
        cmd.points,
        cmd.giftCardAmount > 0 ? cmd.giftCardId : null,
        cmd.giftCardAmount,
        cmd.deadline,
        JSON.stringify(reasons),
      ],
    );
  }

  /** Confirm's effect: coupons redeemed, points spent from the batches FIFO, the gift card debited. */
  private async consume(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<void | typeof TRY_REFUSED> {
    const row = await this.lockBranch(tx, cmd);
    if (row?.status === 'rejected') return TRY_REFUSED;
    if (!row || row.status !== 'frozen') return;
    // A member merged since the Try: its frozen points moved to the survivor, who settles them.
    const member = await activeMember(tx, row.member_id, true);
    if (!member) throw new Error(`member ${row.member_id} of branch ${row.gid}/${row.branch_id} vanished`);
    if (row.coupon_ids.length > 0) {
      const redeemed = await queryRows<{ id: string; template_id: string }>(
        tx,
        `UPDATE coupons SET status = 'redeemed', redeemed_order_id = $2, held_by_gid = NULL WHERE id = ANY($1::text[]) AND status = 'frozen' AND held_by_gid = $2 RETURNING id, template_id`,
        [row.coupon_ids, row.gid],
      );
      for (const coupon of redeemed) await this.events.add(tx, COUPON_REDEEMED, { memberId: member.id, couponId: coupon.id, templateId: coupon.template_id, orderId: row.gid });
    }
    if (row.points > 0) {
      const plan = planSpend(await this.ledger.state(tx, member), row.points, true);
      // Frozen points are always there to spend (expiry and merges keep them); if not, roll back and let the coordinator retry.
      if (!plan.ok) throw new Error(`frozen points of branch ${row.gid}/${row.branch_id} cannot be spent: ${plan.code}`);
      await this.ledger.debit(tx, member.id, 'spend', plan.value, row.gid, row.points);
    }
    if (row.gift_card_amount > 0 && row.gift_card_id) {
      const [card] = await queryRows<{ balance: number; currency: string }>(
        tx,
        'UPDATE gift_cards SET balance = balance - $2, frozen = frozen - $2 WHERE id = $1 RETURNING balance, currency',
        [row.gift_card_id, row.gift_card_amount],
      );
      await tx.query(`INSERT INTO gift_card_ledger (gift_card_id, kind, delta, ref) VALUES ($1, 'spend', $2, $3)`, [row.gift_card_id, -row.gift_card_amount, row.gid]);
      await this.events.add(tx, GIFT_CARD_CHANGED, { giftCardId: row.gift_card_id, kind: 'spend', delta: -row.gift_card_amount, balance: card.balance, currency: card.currency, ref: row.gid });
    }
    await tx.query(`UPDATE member_branches SET status = 'confirmed', updated_at = now() WHERE gid = $1 AND branch_id = $2`, [row.gid, row.branch_id]);
  }

  /** Cancel's effect: everything the Try froze is available again. */
  private async unfreeze(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<void> {
    const row = await this.lockBranch(tx, cmd);
    if (!row) return;
    if (row.status === 'frozen') {
      const member = await activeMember(tx, row.member_id, true);
      if (row.coupon_ids.length > 0) {
        await tx.query(`UPDATE coupons SET status = 'available', held_by_gid = NULL WHERE id = ANY($1::text[]) AND status = 'frozen' AND held_by_gid = $2`, [row.coupon_ids, row.gid]);
      }
      if (row.points > 0 && member) await tx.query('UPDATE members SET points_frozen = points_frozen - $2 WHERE id = $1', [member.id, row.points]);
      if (row.gift_card_amount > 0 && row.gift_card_id) await tx.query('UPDATE gift_cards SET frozen = frozen - $2 WHERE id = $1', [row.gift_card_id, row.gift_card_amount]);
    }
    await tx.query(`UPDATE member_branches SET status = 'cancelled', updated_at = now() WHERE gid = $1 AND branch_id = $2`, [row.gid, row.branch_id]);
  }

  private async lockBranch(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<BranchRow | undefined> {
    // The member row is taken before the branch row by Try, so lock it first here too (one order everywhere).
    const [peek] = await queryRows<{ member_id: string }>(tx, 'SELECT member_id FROM member_branches WHERE gid = $1 AND branch_id = $2', [cmd.gid, cmd.branchId]);
    if (peek) await activeMember(tx, peek.member_id, true);
    const [row] = await queryRows<BranchRow>(tx, 'SELECT * FROM member_branches WHERE gid = $1 AND branch_id = $2 FOR UPDATE', [cmd.gid, cmd.branchId]);
    return row;
  }

  private async findBranch(tx: EntityManager, cmd: Pick<MemberBranchCommand, 'gid' | 'branchId'>): Promise<BranchRow | undefined> {
    const [row] = await queryRows<BranchRow>(tx, 'SELECT * FROM member_branches WHERE gid = $1 AND branch_id = $2', [cmd.gid, cmd.branchId]);
    return row;
  }
}

function walletCoupon(row: CouponRow): WalletCoupon {
  return {
    templateId: row.template_id,
    code: row.code,
    channels: row.channels,
    validFrom: new Date(row.valid_from),
    validTo: new Date(row.valid_to),
    memberId: row.member_id,
    status: row.status,
  };
}

function tryReply(ref: Ref, row: BranchRow): MemberBranchReply {
  if (row.status === 'rejected') return { ...ref, outcome: 'failure', reasons: row.reasons };
  if (row.status === 'cancelled') return { ...ref, outcome: 'failure', reasons: [branchReason('BRANCH_CANCELLED', 'the branch was cancelled')] };
  return {
    ...ref,
    outcome: 'success',
    reasons: [],
    detail: {
      memberId: row.member_id,
      couponIds: row.coupon_ids,
      points: row.points,
      giftCardId: row.gift_card_id,
      giftCardAmount: row.gift_card_amount,
      frozenUntil: new Date(row.deadline).toISOString(),
    },
  };
}

function refusal(ref: Ref, outcome: TccBranchOutcome<unknown>): MemberBranchReply {
  if (outcome.status === 'suspended') return { ...ref, outcome: 'failure', reasons: [branchReason('BRANCH_CANCELLED', 'the branch was cancelled before this Try arrived')] };
  if (outcome.status === 'refused') return { ...ref, outcome: outcome.retryable ? 'retry' : 'failure', reasons: [branchReason(outcome.code, TCC_REFUSAL_MESSAGES[outcome.code])] };
  return { ...ref, outcome: 'success', reasons: [] };
}
