import { ORDER_CANCELLED, ORDER_CREATED, pointsValue, soldOutRefusal } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType, idempotencyKeyReused, requestHash } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock, TccCoordinator } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { FaultInjector } from '../fault/fault-injector';
import { transitionOrder } from '../lifecycle/order-lifecycle';
import { discountShares } from '../returns/refund.allocation';
import type { InventoryStockClient } from '../routing/inventory-stock.client';
import { planRouting, RoutingFulfilment, RoutingPlan } from '../routing/routing.planner';
import { DecisionWaiter, NOTIFY_DECIDED_SQL } from '../saga/decision.waiter';
import { InventoryBranchData, MemberBranchData, orderSagaBranches } from '../saga/participants';
import type { CreateOrderDto } from './order.dto';
import { OrderStore } from './order.store';
import type { OrderView } from './order.types';

/** Settings of the order service. */
export interface OrderServiceSettings {
  /** The buyer's time to pay, from the moment the order is reserved. */
  paymentWindowMs: number;
  /** How much longer the reservation holds, for a payment captured in time and reported late. */
  paymentGraceMs: number;
  /** By when the participants must have answered the Try, from creation. */
  decisionTimeoutMs: number;
  /** How long POST /orders waits for the decision before answering 202. */
  decisionWaitMs: number;
}

/** What POST /orders answers: 201 with the decision, or 202 while it is still pending. */
export interface CreateOrderResult {
  httpStatus: 201 | 202;
  order: OrderView;
}

/**
 * Creating, reading and buyer-cancelling orders. Creation is one transaction (order + lines +
 * saga + Try commands + order-created), then a bounded wait for the participants' decision.
 *
 * The saga reserves stock (inventory) and, when the order names a quote, locks that quote with
 * its flash-sale units (pricing) until the payment deadline; a refusal by either rejects the order.
 * When the buyer (a member) spends wallet coupons, points or a gift card, a member branch freezes
 * them. At creation the order shows its own arithmetic over the request (Σ unitPrice × quantity
 * minus promotions, coupons and points); once every Try held, the saga listener re-prices it from
 * what the participants hold (`settleCharge`): the locked quote's total and what member froze.
 */
export class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OrderStore,
    private readonly coordinator: TccCoordinator,
    private readonly outbox: OutboxWriter,
    private readonly waiter: DecisionWaiter,
    private readonly stock: InventoryStockClient | null,
    private readonly faults: FaultInjector,
    private readonly clock: Clock,
    private readonly settings: OrderServiceSettings,
    /** Told the channel of each order refused as sold out (a metric). */
    private readonly onSoldOut: (channel: string) => void = () => undefined,
  ) {}

  /** Creates an order under an Idempotency-Key: same key + same body → same order; another body → 409. */
  async create(dto: CreateOrderDto, key: string): Promise<CreateOrderResult> {
    const hash = requestHash(dto);
    // No lookup first: the insert itself finds a repeated key (ON CONFLICT), saving a round trip
    // on every new order; a repeat then answers from the stored order below.
    const priced = price(dto);
    const member = memberBranchOf(dto);
    const { plan, soldOut } = await this.route(dto);
    if (soldOut.length > 0) return this.refuseSoldOut(dto, key, hash, soldOut);
    const id = uuidv7();
    const now = this.clock.now();
    // The saga must be decided by decisionDeadline; once reserved, the buyer gets the whole payment
    // window from that moment (the saga holds paymentGraceMs longer for a late callback). Until
    // then the order shows the latest payment deadline it can get.
    const decisionDeadline = new Date(now.getTime() + this.settings.decisionTimeoutMs);
    const latestPaymentDeadline = new Date(decisionDeadline.getTime() + this.settings.paymentWindowMs);
    const branch: InventoryBranchData = {
      channel: dto.channel,
      lines: plan.assignments.map((a) => ({ sku: a.sku, quantity: a.quantity, locationId: a.locationId })),
      lineNos: plan.assignments.map((a) => a.lineNo),
    };
    const wait = this.waiter.wait(id, this.settings.decisionWaitMs);
    try {
      // The order, its saga, the Try commands and order-created commit together, the events in one outbox insert.
      const created = await this.dataSource.transaction((m) => this.outbox.gathering(m, async () => {
        const inserted = await this.store.insert(m, {
          id,
          channel: dto.channel,
          buyer: { memberId: dto.buyer.memberId, anonymous: dto.buyer.anonymous },
          fulfilment: { ...dto.fulfilment },
          currency: priced.currency,
          goodsTotal: priced.goods,
          discountTotal: priced.discount,
          total: priced.total,
          coupons: dto.coupons ?? [],
          promotions: dto.promotions ?? [],
          points: dto.points,
          giftCard: dto.giftCard,
          quoteId: dto.quoteId ?? null,
          routing: plan,
          paymentDeadline: latestPaymentDeadline,
          idempotencyKey: key,
          requestHash: hash,
          lines: dto.lines.map((l, i) => ({ lineNo: i, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice.amount, discountShare: priced.shares[i] })),
          now,
        });
        if (!inserted) return false;
        const quote = dto.quoteId ? { channel: dto.channel, quoteId: dto.quoteId } : null;
        await this.coordinator.begin(m, id, decisionDeadline, orderSagaBranches(branch, quote, uuidv7, member), {
          holdMs: this.settings.paymentWindowMs + this.settings.paymentGraceMs,
        });
        await this.outbox.add(m, ORDER_CREATED, {
          schemaVersion: 1,
          occurredAt: now.toISOString(),
          orderId: id,
          channel: dto.channel,
          buyer: { ...(dto.buyer.memberId ? { memberId: dto.buyer.memberId } : {}), anonymous: dto.buyer.anonymous },
          lines: dto.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: { amount: l.unitPrice.amount, currency: l.unitPrice.currency } })),
          fulfilment: { type: dto.fulfilment.type, ...(dto.fulfilment.locationId ? { locationId: dto.fulfilment.locationId } : {}) },
          total: { amount: priced.total, currency: priced.currency },
        });
        return true;
      }));
      if (!created) {
        // A repeated key (or a lost race with the same key): answer like a repeat.
        const raced = await this.store.findByKey(this.dataSource.manager, dto.channel, key);
        return this.replay(raced!, hash);
      }
      this.faults.hit('after-begin');
      await wait.done;
    } finally {
      wait.cancel();
    }
    return this.result(id);
  }

  /** The order, or 404. */
  async get(id: string): Promise<OrderView> {
    const view = await this.store.view(this.dataSource.manager, id);
    if (!view) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${id} does not exist`);
    return view;
  }

  /** The buyer cancels before payment: the saga cancels every branch; repeating it is harmless. */
  async cancelByBuyer(id: string): Promise<OrderView> {
    await this.dataSource.transaction(async (m) => {
      // Lock order everywhere: saga row, then order row (the reply handler and recovery do the same).
      const saga = await this.coordinator.sql.lockGlobal(m, id);
      const row = await this.store.lock(m, id);
      if (!row) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${id} does not exist`);
      if (row.status === 'cancelled' && row.cancel_reason === 'buyer') return;
      transitionOrder(row.status as never, 'cancel');
      const now = this.clock.now();
      await this.store.cas(m, id, [row.status as never], 'cancelled', now, { cancel_reason: 'buyer' });
      const decision = await this.coordinator.cancel(m, id, 'requested', saga);
      if (decision.status === 'refused') throw new DomainError(DomainErrorType.Conflict, decision.code, `the order's saga is ${decision.current}`);
      await this.outbox.add(m, ORDER_CANCELLED, { schemaVersion: 1, occurredAt: now.toISOString(), orderId: id, channel: String(row.channel), reason: 'buyer' as const });
      await queryRows(m, NOTIFY_DECIDED_SQL, [id]);
    });
    return this.get(id);
  }

  private async replay(existing: { id: string; requestHash: string }, hash: string): Promise<CreateOrderResult> {
    if (existing.requestHash !== hash) {
      throw idempotencyKeyReused();
    }
    // Listen before reading, so a decision that lands in between still wakes the wait.
    const wait = this.waiter.wait(existing.id, this.settings.decisionWaitMs);
    try {
      let order = await this.get(existing.id);
      if (order.status === 'created') {
        await wait.done;
        order = await this.get(existing.id);
      }
      return { httpStatus: order.status === 'created' ? 202 : 201, order };
    } finally {
      wait.cancel();
    }
  }

  private async result(id: string): Promise<CreateOrderResult> {
    const order = await this.get(id);
    return { httpStatus: order.status === 'created' ? 202 : 201, order };
  }

  /**
   * Where each line is reserved, and the lines whose SKU inventory says has no ATP left on the
   * channel (read with the routing stock, for shipped orders only). A SKU inventory does not know,
   * or a read that failed, sells nothing out: the saga decides.
   */
  private async route(dto: CreateOrderDto): Promise<{ plan: RoutingPlan; soldOut: Array<{ index: number; sku: string }> }> {
    const lines = dto.lines.map((l, i) => ({ lineNo: i, sku: l.sku, quantity: l.quantity }));
    const f = dto.fulfilment;
    const fulfilment: RoutingFulfilment =
      f.type === 'ship' ? { type: 'ship', lat: f.address?.lat, lng: f.address?.lng } : { type: f.type, locationId: f.locationId! };
    const data = f.type === 'ship' && this.stock ? await this.stock.stockFor([...new Set(lines.map((l) => l.sku))], dto.channel) : null;
    const soldOut = data ? lines.filter((l) => (data.channelAtp.get(l.sku) ?? 1) <= 0).map((l) => ({ index: l.lineNo, sku: l.sku })) : [];
    return { plan: planRouting(fulfilment, lines, data?.locations ?? null, data?.stock ?? null), soldOut };
  }

  /**
   * Refuses an order for a SKU with no ATP left on the channel (409 SOLD_OUT) before any order or
   * saga row is written: the saga's Try would only be refused. A key that already placed an order
   * gets that order instead, even when its own reservation took the last unit. Nothing is stored
   * for the refusal, so a retry with the same key is judged afresh: refused again while sold out,
   * placed once stock is back. A false "sold out" lasts no longer than the read of inventory.
   */
  private async refuseSoldOut(dto: CreateOrderDto, key: string, hash: string, soldOut: ReadonlyArray<{ index: number; sku: string }>): Promise<CreateOrderResult> {
    const existing = await this.store.findByKey(this.dataSource.manager, dto.channel, key);
    if (existing) return this.replay(existing, hash);
    this.onSoldOut(dto.channel);
    const { code, message, details } = soldOutRefusal(dto.channel, soldOut);
    throw new DomainError(DomainErrorType.Conflict, code, message, details);
  }
}

/**
 * The member branch of an order whose buyer spends wallet coupons, points or a gift card; null when
 * it spends none. Member freezes exactly these, and refuses what the member does not hold.
 */
export function memberBranchOf(dto: CreateOrderDto): MemberBranchData | null {
  const couponIds = (dto.coupons ?? []).flatMap((c) => (c.couponId ? [c.couponId] : []));
  const points = dto.points?.points ?? 0;
  const giftCardAmount = dto.giftCard?.amount ?? 0;
  if (couponIds.length === 0 && points === 0 && giftCardAmount === 0) return null;
  if (!dto.buyer.memberId) {
    throw new DomainError(DomainErrorType.InvalidInput, 'MEMBER_REQUIRED', 'wallet coupons, points and gift cards are spent by a member: name buyer.memberId');
  }
  // A wallet coupon's discount is pricing's, in the buyer's quote: without one it could not be checked.
  if (couponIds.length > 0 && !dto.quoteId) {
    throw new DomainError(DomainErrorType.InvalidInput, 'COUPON_NEEDS_QUOTE', 'an order using wallet coupons must name the quote that applied them');
  }
  return {
    channel: dto.channel,
    memberId: dto.buyer.memberId,
    couponIds,
    points,
    ...(giftCardAmount > 0 ? { giftCardId: dto.giftCard!.cardId } : {}),
    giftCardAmount,
  };
}

/** Totals in minor units: goods, order-level discounts (promotions + coupons + points) and each line's share. */
function price(dto: CreateOrderDto): { currency: string; goods: number; discount: number; total: number; shares: number[] } {
  const currency = dto.lines[0].unitPrice.currency;
  if (dto.lines.some((l) => l.unitPrice.currency !== currency)) {
    throw new DomainError(DomainErrorType.InvalidInput, 'MIXED_CURRENCIES', 'every line must be priced in the same currency');
  }
  if (dto.points && dto.points.value !== pointsValue(dto.points.points)) {
    throw new DomainError(DomainErrorType.InvalidInput, 'POINTS_VALUE_MISMATCH', `${dto.points.points} points are worth ${pointsValue(dto.points.points)}, not ${dto.points.value}`);
  }
  const gross = dto.lines.map((l) => l.unitPrice.amount * l.quantity);
  const goods = gross.reduce((a, b) => a + b, 0);
  const discount =
    (dto.promotions ?? []).reduce((n, p) => n + p.discount, 0) + (dto.coupons ?? []).reduce((n, c) => n + c.discount, 0) + (dto.points?.value ?? 0);
  if (discount > goods) throw new DomainError(DomainErrorType.InvalidInput, 'DISCOUNT_EXCEEDS_GOODS', 'promotions, coupons and points exceed the value of the goods');
  const total = goods - discount;
  if ((dto.giftCard?.amount ?? 0) > total) throw new DomainError(DomainErrorType.InvalidInput, 'GIFT_CARD_EXCEEDS_TOTAL', 'the gift card amount exceeds the order total');
  return { currency, goods, discount, total, shares: discountShares(discount, gross) };
}
