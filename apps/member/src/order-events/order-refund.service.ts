import { GIFT_CARD_CHANGED, type OrderPaidEvent, type OrderRefundRequiredEvent } from '@omni/contracts';
import { PermanentEventError } from '@omni/messaging';
import { queryRows } from '@omni/sql';
import type { EntityManager } from 'typeorm';
import { planReversal, refundDue } from '../domain';
import type { PointsLedgerStore } from '../points/points-ledger.store';
import type { PointsService } from '../points/points.service';
import type { EarnView } from '../points/points.views';
import type { MemberEvents } from '../shared/member-events';
import { activeMember } from '../shared/member-rows';

/** What settling an order's refunds did this time. */
export interface RefundSettlementView {
  orderId: string;
  /** False when member does not know the order as a member's paid order (yet): its refunds wait for order-paid. */
  known: boolean;
  pointsReversed: number;
  pointsShortfall: number;
  giftCardRefunded: number;
}

/**
 * Refunds of members' orders. Every order-refund-required is recorded once (by its return, or the
 * late payment it gives back); then the order is settled: of all refunds so far, the same share
 * of the points it earned is reversed and of its gift-card spend put back on the card, less what
 * earlier settlements did. Cumulative, so redelivered, reordered and early refunds (before
 * order-paid) all end the same. Points already spent are never taken below zero: the shortfall is
 * recorded and forgiven.
 */
export class OrderRefundService {
  constructor(
    private readonly points: PointsService,
    private readonly ledger: PointsLedgerStore,
    private readonly events: MemberEvents,
  ) {}

  /** order-paid: earn, then settle any refund that arrived before it. */
  async earnForPaidOrder(tx: EntityManager, paid: OrderPaidEvent): Promise<EarnView | null> {
    const earned = await this.points.earnForPaidOrder(tx, paid);
    if (earned?.applied) await this.settleIn(tx, paid.orderId);
    return earned;
  }

  /** order-refund-required: record the refund once, then settle the order. */
  async recordRefundIn(tx: EntityManager, refund: OrderRefundRequiredEvent): Promise<RefundSettlementView | null> {
    const key = refund.returnId ? `return:${refund.returnId}` : `${refund.reason}:${refund.orderId}:${refund.paymentRef}`;
    const recorded = await queryRows(
      tx,
      `INSERT INTO member_order_refunds (refund_key, order_id, reason, amount, currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (refund_key) DO NOTHING RETURNING refund_key`,
      [key, refund.orderId, refund.reason, refund.amount.amount, refund.amount.currency],
    );
    if (recorded.length === 0) return null;
    return this.settleIn(tx, refund.orderId);
  }

  /** Settles the order's refunds so far in the caller's transaction (a no-op until member knows the order as paid by a member). */
  async settleIn(tx: EntityManager, orderId: string): Promise<RefundSettlementView> {
    const none: RefundSettlementView = { orderId, known: false, pointsReversed: 0, pointsShortfall: 0, giftCardRefunded: 0 };
    const [order] = await queryRows<{ member_id: string; amount: number }>(tx, 'SELECT member_id, amount FROM member_orders WHERE order_id = $1', [orderId]);
    if (!order) return none;
    // Member first, then the gift card: the order every member use case locks in.
    const member = await activeMember(tx, order.member_id, true);
    if (!member) return none;
    await tx.query('INSERT INTO member_order_settlements (order_id, member_id) VALUES ($1, $2) ON CONFLICT (order_id) DO NOTHING', [orderId, member.id]);
    const [settled] = await queryRows<{ points_reversed: number; points_shortfall: number }>(
      tx,
      'SELECT points_reversed, points_shortfall FROM member_order_settlements WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    const [refunds] = await queryRows<{ total: string; currencies: string[] }>(
      tx,
      `SELECT COALESCE(sum(amount), 0) AS total, COALESCE(array_agg(DISTINCT currency) FILTER (WHERE currency IS NOT NULL), '{}') AS currencies FROM member_order_refunds WHERE order_id = $1`,
      [orderId],
    );
    const [batch] = await queryRows<{ id: string; amount: number }>(tx, 'SELECT id, amount FROM points_batches WHERE source_ref = $1', [orderId]);
    const [card] = await queryRows<{ gift_card_id: string; spent: string; refunded: string; currency: string }>(
      tx,
      `SELECT l.gift_card_id, COALESCE(-sum(l.delta) FILTER (WHERE l.kind = 'spend'), 0) AS spent, COALESCE(sum(l.delta) FILTER (WHERE l.kind = 'refund'), 0) AS refunded, g.currency
         FROM gift_card_ledger l JOIN gift_cards g ON g.id = l.gift_card_id
        WHERE l.ref = $1 GROUP BY l.gift_card_id, g.currency ORDER BY l.gift_card_id LIMIT 1`,
      [orderId],
    );
    if (card && refunds.currencies.some((currency) => currency !== card.currency)) {
      throw new PermanentEventError(`refund of order ${orderId} is in ${refunds.currencies.join(', ')}, its gift card in ${card.currency}`, 'REFUND_CURRENCY_MISMATCH');
    }
    const due = refundDue(
      { paid: order.amount, giftCardSpent: card ? Number(card.spent) : 0, earned: batch?.amount ?? 0 },
      Number(refunds.total),
      { pointsReversed: settled.points_reversed + settled.points_shortfall, giftCardRefunded: card ? Number(card.refunded) : 0 },
    );
    let reversed = 0;
    let shortfall = 0;
    if (due.points > 0 && batch) {
      const plan = planReversal(await this.ledger.state(tx, member), batch.id, due.points);
      if (plan.takes.length > 0) await this.ledger.debit(tx, member.id, 'reverse-earn', plan.takes, orderId);
      reversed = due.points - plan.shortfall;
      shortfall = plan.shortfall;
    }
    if (due.giftCard > 0 && card) {
      const [row] = await queryRows<{ balance: number }>(tx, 'UPDATE gift_cards SET balance = balance + $2 WHERE id = $1 RETURNING balance', [card.gift_card_id, due.giftCard]);
      await tx.query(`INSERT INTO gift_card_ledger (gift_card_id, kind, delta, ref) VALUES ($1, 'refund', $2, $3)`, [card.gift_card_id, due.giftCard, orderId]);
      await this.events.add(tx, GIFT_CARD_CHANGED, { giftCardId: card.gift_card_id, kind: 'refund', delta: due.giftCard, balance: row.balance, currency: card.currency, ref: orderId });
    }
    await tx.query(
      `UPDATE member_order_settlements SET refunded = $2, points_reversed = points_reversed + $3, points_shortfall = points_shortfall + $4, gift_card_refunded = gift_card_refunded + $5, updated_at = now() WHERE order_id = $1`,
      [orderId, due.refunded, reversed, shortfall, due.giftCard],
    );
    return { orderId, known: true, pointsReversed: reversed, pointsShortfall: shortfall, giftCardRefunded: due.giftCard };
  }
}
