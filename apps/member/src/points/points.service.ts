import { type OrderPaidEvent, TIER_CHANGED } from '@omni/contracts';
import { DomainError, DomainErrorType, withIdempotency } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import type { DataSource, EntityManager } from 'typeorm';
import { benefitsOf, planExpiry, planReversal, pointsEarned, reviewTier } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import { requireActiveMember } from '../shared/member-rows';
import type { MemberSettings } from '../shared/member.settings';
import type { EarnPointsDto } from './points.dto';
import type { PointsLedgerStore } from './points-ledger.store';
import type { EarnView, PointsView } from './points.views';

/** Points: earn for paid orders (with the tier multiplier, reviewing the tier), reverse on refund, expire by batch, and read. */
export class PointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedgerStore,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
    private readonly settings: MemberSettings,
  ) {}

  /** Earns points for a paid order, once per order. */
  earn(memberId: string, body: EarnPointsDto, idempotencyKey?: string): Promise<EarnView> {
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, `points:earn:${memberId}`, body, () =>
        this.earnIn(tx, memberId, body.orderId, body.channel, body.paidAmount, body.paidAt ? new Date(body.paidAt) : this.clock.now()),
      ),
    );
  }

  /**
   * Earn in the caller's transaction (an HTTP call, or the order-paid consumer's inbox transaction):
   * the order is recorded against the member once; the multiplier is the tier's before this order;
   * the order's spend then counts towards the tier (an upgrade applies at once).
   */
  async earnIn(tx: EntityManager, memberId: string, orderId: string, channel: string, paidAmount: number, paidAt: Date): Promise<EarnView> {
    const member = await requireActiveMember(tx, memberId, true);
    const recorded = await queryRows(
      tx,
      'INSERT INTO member_orders (order_id, member_id, channel, amount, paid_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id) DO NOTHING RETURNING order_id',
      [orderId, member.id, channel, paidAmount, paidAt],
    );
    if (recorded.length === 0) return { memberId: member.id, orderId, points: 0, balance: member.points_balance, tier: member.tier, applied: false };
    const points = pointsEarned(paidAmount, benefitsOf(this.settings.tiers, member.tier).pointsMultiplierBps);
    const balance = points > 0
      ? (await this.ledger.credit(tx, member.id, 'earn', points, orderId, new Date(paidAt.getTime() + this.settings.pointsTtlMs))).balance
      : member.points_balance;
    const tier = await this.reviewIn(tx, member.id, member.tier, new Date(member.tier_period_end));
    return { memberId: member.id, orderId, points, balance, tier, applied: true };
  }

  /**
   * Earns for a paid order in the order-paid consumer's inbox transaction: the member named by the
   * event earns on the amount captured (what the buyer paid beyond points and gift card); an
   * anonymous order earns nothing. A redelivery is dropped by the inbox, a replay by member_orders.
   */
  async earnForPaidOrder(tx: EntityManager, paid: OrderPaidEvent): Promise<EarnView | null> {
    if (!paid.memberId) return null;
    return this.earnIn(tx, paid.memberId, paid.orderId, paid.channel, paid.amount.amount, new Date(paid.paidAt));
  }

  /** Takes back what an order earned (it was refunded); points already spent stay spent and are reported as the shortfall. */
  reverseEarn(orderId: string, idempotencyKey?: string): Promise<{ orderId: string; reversed: number; shortfall: number }> {
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, 'points:reverse', { orderId }, async () => {
        const [batch] = await queryRows<{ id: string; member_id: string; amount: number }>(tx, 'SELECT id, member_id, amount FROM points_batches WHERE source_ref = $1', [orderId]);
        if (!batch) throw new DomainError(DomainErrorType.NotFound, 'ORDER_EARNED_NOTHING', `order ${orderId} earned no points`, [{ field: 'orderId', reason: 'earned no points' }]);
        const [done] = await queryRows(tx, `SELECT 1 FROM points_ledger WHERE kind = 'reverse-earn' AND ref = $1`, [orderId]);
        if (done) return { orderId, reversed: 0, shortfall: 0 };
        const member = await requireActiveMember(tx, batch.member_id, true);
        const { takes, shortfall } = planReversal(await this.ledger.state(tx, member), batch.id, batch.amount);
        await this.ledger.debit(tx, member.id, 'reverse-earn', takes, orderId);
        return { orderId, reversed: batch.amount - shortfall, shortfall };
      }),
    );
  }

  /** Expires every batch past its date, member by member (FIFO; frozen points stay until their branch settles). */
  async expireDue(limit = 500): Promise<{ members: number; points: number }> {
    const now = this.clock.now();
    const due = await queryRows<{ member_id: string }>(this.dataSource, 'SELECT DISTINCT member_id FROM points_batches WHERE remaining > 0 AND expires_at <= $1 LIMIT $2', [now, limit]);
    let points = 0;
    for (const { member_id: memberId } of due) {
      points += await this.dataSource.transaction(async (tx) => {
        const member = await requireActiveMember(tx, memberId, true);
        const takes = planExpiry(await this.ledger.state(tx, member), now);
        if (takes.length === 0) return 0;
        await this.ledger.debit(tx, member.id, 'expire', takes, `expiry:${now.toISOString()}`);
        return takes.reduce((sum, t) => sum + t.points, 0);
      });
    }
    return { members: due.length, points };
  }

  /** A member's points, the latest ledger entries and the batches that hold points. */
  async view(memberId: string): Promise<PointsView> {
    const member = await requireActiveMember(this.dataSource.manager, memberId, false);
    const history = await queryRows<{ kind: string; delta: number; ref: string; created_at: Date }>(
      this.dataSource,
      'SELECT kind, delta, ref, created_at FROM points_ledger WHERE member_id = $1 ORDER BY seq DESC LIMIT 100',
      [member.id],
    );
    const batches = await queryRows<{ id: string; remaining: number; expires_at: Date }>(
      this.dataSource,
      'SELECT id, remaining, expires_at FROM points_batches WHERE member_id = $1 AND remaining > 0 ORDER BY expires_at, id',
      [member.id],
    );
    return {
      memberId: member.id,
      balance: member.points_balance,
      frozen: member.points_frozen,
      available: member.points_balance - member.points_frozen,
      history: history.map((h) => ({ kind: h.kind, delta: h.delta, ref: h.ref, at: new Date(h.created_at).toISOString() })),
      batches: batches.map((b) => ({ batchId: b.id, remaining: b.remaining, expiresAt: new Date(b.expires_at).toISOString() })),
    };
  }

  /**
   * Reviews the tiers whose period has ended (up to `limit` members, oldest first), so a member who
   * stops buying is downgraded at period end rather than at their next order. Replicas share the
   * work: each claims its members with SKIP LOCKED. Returns how many were reviewed.
   */
  async reviewDueTiers(limit: number): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const due = await queryRows<{ id: string; tier: string; tier_period_end: Date }>(
        tx,
        `SELECT id, tier, tier_period_end FROM members WHERE status = 'active' AND tier_period_end <= $1
         ORDER BY tier_period_end LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [this.clock.now(), limit],
      );
      for (const m of due) await this.reviewIn(tx, m.id, m.tier, new Date(m.tier_period_end));
      return due.length;
    });
  }

  /** Reviews the tier against the spend of the rolling period; announces an upgrade or downgrade. */
  private async reviewIn(tx: EntityManager, memberId: string, tier: string, periodEnd: Date): Promise<string> {
    const now = this.clock.now();
    const [spend] = await queryRows<{ total: string }>(tx, 'SELECT COALESCE(sum(amount), 0) AS total FROM member_orders WHERE member_id = $1 AND paid_at > $2', [
      memberId,
      new Date(now.getTime() - this.settings.tierPeriodMs),
    ]);
    const review = reviewTier(this.settings.tiers, { tier, periodEnd }, Number(spend.total), now, this.settings.tierPeriodMs);
    if (review.change === 'none') return tier;
    const announced = review.change === 'upgrade' || review.change === 'downgrade';
    // Every announced change bumps the member's tier version, so consumers can drop an older event that arrives late.
    const [row] = await queryRows<{ tier_version: number }>(
      tx,
      'UPDATE members SET tier = $2, tier_period_end = $3, tier_version = tier_version + $4 WHERE id = $1 RETURNING tier_version',
      [memberId, review.tier, review.periodEnd, announced ? 1 : 0],
    );
    if (announced) {
      await this.events.add(tx, TIER_CHANGED, {
        memberId,
        fromTier: review.previousTier,
        toTier: review.tier,
        change: review.change,
        periodEnd: review.periodEnd.toISOString(),
        tierVersion: row.tier_version,
      });
    }
    return review.tier;
  }
}
