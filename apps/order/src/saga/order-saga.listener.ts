import { ORDER_CANCELLED, OrderCancelReason } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import type { BranchTx, CancelCause, Clock, GlobalTx, SqlExecutor, TccSagaListener } from '@omni/tcc';
import { orderSourcesOf } from '../lifecycle/order-lifecycle';
import { memberFrozenOf, quoteLockedOf, settleCharge } from '../orders/order.charge';
import { OrderStore } from '../orders/order.store';
import type { LineRejection } from '../orders/order.types';
import { ORDER_DECIDED_CHANNEL } from './decision.waiter';
import { INVENTORY_PARTICIPANT, type InventoryBranchData, MEMBER_PARTICIPANT, PRICING_PARTICIPANT } from './participants';

/**
 * The reasons of every failed Try, per order line: inventory's reasons name Try line indexes
 * (mapped to order line numbers); pricing's (the quote lock: QUOTE_EXPIRED, QUOTE_NOT_FOUND,
 * QUOTE_ALREADY_LOCKED, FLASH_SALE_SOLD_OUT…) concern the whole order (line -1).
 */
export function rejectionsOf(branches: readonly BranchTx[]): LineRejection[] {
  // An order line routed to several locations is several Try lines; one reason per order line is enough.
  const out = new Map<string, LineRejection>();
  for (const b of branches) {
    if (b.reply?.outcome !== 'failure') continue;
    const lineNos = b.participant === INVENTORY_PARTICIPANT ? ((b.data as InventoryBranchData).lineNos ?? []) : [];
    for (const r of b.reply.reasons as { line?: number; code?: string; message?: string }[]) {
      const line = typeof r.line === 'number' && r.line >= 0 ? (lineNos[r.line] ?? -1) : -1;
      const rejection = { lineNo: line, code: String(r.code ?? 'REFUSED'), message: String(r.message ?? '') };
      out.set(JSON.stringify(rejection), rejection);
    }
  }
  return [...out.values()];
}

/** The order's reason for each way its saga can start cancelling on its own. */
const CANCEL_REASON_OF: Record<Exclude<CancelCause, 'requested'>, OrderCancelReason> = {
  'try-failed': 'rejected',
  deadline: 'payment-timeout',
  'not-decided': 'not-decided',
};

/**
 * The order's side of its saga, run inside the coordinator's transaction: all Tries held →
 * reserved, with the payment deadline counted from now (the saga holds `paymentGraceMs` longer,
 * for a payment captured in time whose callback is late) and the charge settled from what the
 * participants hold (the locked quote's total, the points and gift-card amount member froze); a
 * Try failed → rejected with reasons per line; reserved and the deadline passed → cancelled
 * (payment-timeout); never reserved by the decision deadline → cancelled (not-decided). Each
 * decision NOTIFYs the waiting POST /orders on commit.
 */
export class OrderSagaListener implements TccSagaListener {
  constructor(
    private readonly orders: OrderStore,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly paymentGraceMs: number,
  ) {}

  async onPrepared(tx: SqlExecutor, g: GlobalTx, branches: BranchTx[] = []): Promise<void> {
    const paymentDeadline = new Date(g.deadline.getTime() - this.paymentGraceMs);
    const charge = await this.chargeOf(tx, g.gid, branches);
    const set = charge
      ? {
          payment_deadline: paymentDeadline,
          goods_total: charge.goodsTotal,
          discount_total: charge.discountTotal,
          total: charge.total,
          points: charge.points === null ? null : JSON.stringify(charge.points),
          gift_card: charge.giftCard === null ? null : JSON.stringify(charge.giftCard),
        }
      : { payment_deadline: paymentDeadline };
    await this.orders.casNotify(tx, g.gid, ['created'], 'reserved', this.clock.now(), ORDER_DECIDED_CHANNEL, set, charge?.shares ?? null);
  }

  /** The order's charge from its branches' Try replies (pricing's locked total, member's frozen amounts). */
  private async chargeOf(tx: SqlExecutor, gid: string, branches: readonly BranchTx[]): Promise<ReturnType<typeof settleCharge> | null> {
    const branchOf = (participant: string) => branches.find((b) => b.participant === participant);
    const pricing = branchOf(PRICING_PARTICIPANT);
    const member = branchOf(MEMBER_PARTICIPANT);
    // Inventory alone holds nothing that prices the order: its creation arithmetic stands (no extra statement on the hot path).
    if (!pricing && !member) return null;
    const basis = await this.orders.chargeBasis(tx, gid);
    if (!basis) return null;
    const quote = quoteLockedOf(pricing?.reply?.detail);
    // Member's Try freezes all it was asked or nothing: a reply without its detail froze the branch's data.
    const frozen = member ? (memberFrozenOf(member.reply?.detail) ?? memberFrozenOf({ giftCardId: null, ...member.data })) : null;
    // A pricing reply without its total (an older pricing) leaves the request's own arithmetic.
    return settleCharge(basis, quote?.currency === basis.currency ? quote : null, frozen);
  }

  async onCancelling(tx: SqlExecutor, g: GlobalTx, cause: CancelCause, branches: BranchTx[]): Promise<void> {
    // 'requested' comes from the order itself (buyer cancel), which already moved the order.
    if (cause === 'requested') return;
    const now = this.clock.now();
    const rejections = cause === 'try-failed' ? rejectionsOf(branches) : [];
    // A Try refused only because it arrived after the decision deadline (the broker was down) was
    // never decided: the buyer is told so, not that the goods were refused.
    const late = rejections.length > 0 && rejections.every((r) => r.code === 'DEADLINE_PASSED');
    const reason = late ? 'not-decided' : CANCEL_REASON_OF[cause];
    // One statement: the status move, the reasons per line, the wake-up of a waiting POST /orders.
    const channel =
      cause === 'try-failed' && !late
        ? await this.orders.casNotify(tx, g.gid, ['created'], 'rejected', now, ORDER_DECIDED_CHANNEL, { cancel_reason: reason, rejection: JSON.stringify(rejections) })
        : await this.orders.casNotify(tx, g.gid, orderSourcesOf('cancel'), 'cancelled', now, ORDER_DECIDED_CHANNEL, { cancel_reason: reason });
    if (channel === null) return;
    await this.outbox.add(tx, ORDER_CANCELLED, { schemaVersion: 1, occurredAt: now.toISOString(), orderId: g.gid, channel, reason });
  }
}
