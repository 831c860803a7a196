import { Inject, Injectable } from '@nestjs/common';
import { pointsValue } from '@omni/contracts';
import { DomainError, DomainErrorType, requestHash, requiredIdempotencyKey, scopedIdempotencyKey, SERVICE_CONFIG } from '@omni/platform';
import type { ChannelPrincipal, MemberPrincipal } from '../auth/principal';
import { forbidden, unauthenticated } from '../auth/auth.errors';
import { CartService } from '../cart/cart.service';
import type { GatewayEnv } from '../config/gateway.config';
import { PricingGateway } from '../pricing/pricing.gateway';
import { SoldOutFastPath } from '../sold-out/sold-out.fast-path';
import { segment } from '../upstream/upstream.client';
import { badUpstreamResponse } from '../upstream/upstream.errors';
import { Upstreams } from '../upstream/upstreams';
import { checkPaymentWindow } from './payment-window';
import { PendingPlacements } from './pending-placements';
import { orderPricingFromQuote, type QuotedOrderPricing } from './quote-pricing';
import type { ConfirmPickupDto, PlaceOrderDto, ReceiveReturnDto, SpendDto } from './order.dto';

/** The parts of an order the gateway checks before letting a channel act on it. */
interface OrderOwnership {
  id: string;
  channel: string;
  fulfilment?: { type?: string; locationId?: string | null };
}

/**
 * Orders through the order service's internal API, scoped to the caller: a channel places orders
 * on its own channel only, and reads or cancels only its own channel's orders; a store key
 * confirms pickups for its own store and receives returns there, whichever channel sold the order.
 */
@Injectable()
export class OrderGateway {
  private readonly placeTimeoutMs: number;
  private readonly pending = new PendingPlacements<{ status: number; body: unknown }>();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly cart: CartService,
    private readonly pricing: PricingGateway,
    private readonly soldOut: SoldOutFastPath,
    @Inject(SERVICE_CONFIG) env: Pick<GatewayEnv, 'ORDER_PLACE_TIMEOUT_MS'>,
  ) {
    this.placeTimeoutMs = env.ORDER_PLACE_TIMEOUT_MS;
  }

  /**
   * Places an order; the Idempotency-Key makes retries safe. With the buyer's quote the order is
   * priced from it (its unit prices, promotions and coupons, so the order charges the quote's
   * total) and the saga locks it; without one, at the channel's current unit prices. An order for
   * a SKU sold out on the channel is refused first, before any upstream call (SoldOutFastPath). A
   * retry while the same placement is still in flight here awaits its answer rather than adding work.
   */
  place(principal: ChannelPrincipal, member: MemberPrincipal | undefined, body: PlaceOrderDto, idempotencyKey: string): Promise<{ status: number; body: unknown }> {
    const key = scopedIdempotencyKey(principal.channel, idempotencyKey);
    // The same order: the same body for the same buyer (the credentials') at the same store.
    const fingerprint = requestHash({ body, memberId: member?.memberId ?? null, locationId: principal.locationId ?? null });
    return this.pending.join(key, fingerprint, () => this.placeOnce(principal, member, body, key));
  }

  private async placeOnce(principal: ChannelPrincipal, member: MemberPrincipal | undefined, body: PlaceOrderDto, scopedKey: string): Promise<{ status: number; body: unknown }> {
    const buyer = buyerOf(member, body.buyer.anonymous);
    const lines = this.cart.channelLines(principal, body.lines);
    await this.soldOut.admit(principal.channel, lines, scopedKey);
    const quoted: Pick<QuotedOrderPricing, 'lines'> & Partial<QuotedOrderPricing> = body.quoteId
      ? await this.fromQuote(principal, body.quoteId, lines, buyer.memberId)
      : await this.atUnitPrices(principal, lines);
    const pricing = { ...quoted, ...(await this.walletSpend(buyer.memberId, quoted.coupons ?? [], body.spend)) };
    const answer = await this.upstreams.order.call<unknown>({
      method: 'POST',
      path: 'orders',
      // The order service answers after the saga's decision or its own decision wait: longer than other calls.
      timeoutMs: this.placeTimeoutMs,
      headers: { 'idempotency-key': scopedKey },
      body: {
        channel: principal.channel,
        buyer,
        ...pricing,
        fulfilment: body.fulfilment,
        ...(body.quoteId ? { quoteId: body.quoteId } : {}),
      },
    });
    // Never tell a buyer "reserved" once the payment window has closed (a retry answered late in it).
    checkPaymentWindow(answer.body, Date.now());
    return { status: answer.status, body: answer.body };
  }

  /**
   * What the buyer spends from a member wallet: each coupon code of the quote as one available
   * coupon of the member's wallet (a code the buyer does not hold is refused: coupons are used from a
   * wallet, once), and the points and gift card the body names. Member freezes these in the saga
   * and refuses what the member does not hold; the order charges what member froze.
   */
  private async walletSpend(
    memberId: string | undefined,
    coupons: ReadonlyArray<{ code: string; discount: number }>,
    spend: SpendDto | undefined,
  ): Promise<{ coupons?: Array<{ code: string; discount: number; couponId: string }>; points?: { points: number; value: number }; giftCard?: { cardId: string; amount: number } }> {
    const spends = spend !== undefined && (spend.points !== undefined || spend.giftCard !== undefined);
    if (memberId === undefined) {
      if (spends) throw unauthenticated('Points and gift cards are spent by a signed-in member: send a member token (or X-Channel-Account-Id) and buyer.anonymous false');
      if (coupons.length > 0) throw couponsNotInWallet(coupons.map((c) => c.code));
      return {};
    }
    const tied = coupons.length > 0 ? await this.walletCoupons(memberId, coupons) : undefined;
    return {
      ...(tied ? { coupons: tied } : {}),
      ...(spend?.points !== undefined ? { points: { points: spend.points, value: pointsValue(spend.points) } } : {}),
      ...(spend?.giftCard !== undefined ? { giftCard: { cardId: spend.giftCard.cardId, amount: spend.giftCard.amount } } : {}),
    };
  }

  private async walletCoupons(memberId: string, coupons: ReadonlyArray<{ code: string; discount: number }>): Promise<Array<{ code: string; discount: number; couponId: string }>> {
    const { body } = await this.upstreams.member.call<WalletCoupon[]>({ method: 'GET', path: `internal/members/${segment(memberId)}/coupons` });
    if (!Array.isArray(body)) throw badUpstreamResponse('member', 'the wallet is not a list');
    const now = Date.now();
    const usable = body
      .filter((c) => c.status === 'available' && Date.parse(c.validFrom) <= now && now < Date.parse(c.validTo))
      .sort((a, b) => Date.parse(a.validTo) - Date.parse(b.validTo));
    const missing: string[] = [];
    const tied = coupons.map((c) => {
      const held = usable.find((w) => w.code === c.code);
      if (!held) missing.push(c.code);
      return { ...c, couponId: held?.couponId ?? '' };
    });
    if (missing.length > 0) throw couponsNotInWallet(missing);
    return tied;
  }

  private async fromQuote(principal: ChannelPrincipal, quoteId: string, lines: Array<{ sku: string; quantity: number }>, memberId: string | undefined): Promise<QuotedOrderPricing> {
    const quote = await this.pricing.storedQuote(principal.channel, quoteId);
    if (!quote) {
      throw new DomainError(DomainErrorType.NotFound, 'QUOTE_NOT_FOUND', `No quote ${quoteId} on this channel`, [{ field: 'quoteId', reason: 'unknown quote' }]);
    }
    // A member's quote (member prices, per-member flash-sale limits) prices that member's order only.
    if (quote.memberId !== undefined && quote.memberId !== memberId) {
      throw new DomainError(DomainErrorType.Conflict, 'QUOTE_OF_OTHER_BUYER', `Quote ${quoteId} was made for another buyer`, [{ field: 'quoteId', reason: 'was quoted for another member' }]);
    }
    return orderPricingFromQuote(quote, lines);
  }

  private async atUnitPrices(principal: ChannelPrincipal, lines: Array<{ sku: string; quantity: number }>): Promise<Pick<QuotedOrderPricing, 'lines'>> {
    const prices = await this.pricing.unitPrices(principal.channel, principal.locationId, lines.map((l) => l.sku));
    const unpriced = lines.map((l, index) => ({ l, index })).filter(({ l }) => !prices.has(l.sku));
    if (unpriced.length > 0) {
      throw new DomainError(
        DomainErrorType.NotAllowed,
        'SKU_NOT_PRICED',
        'Some SKUs have no price on this channel',
        unpriced.map(({ l, index }) => ({ field: `lines.${index}.sku`, reason: `SKU ${l.sku} has no price on this channel` })),
      );
    }
    return { lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: prices.get(l.sku)!.unit })) };
  }

  /** The order, when it belongs to the caller's channel. */
  async get(principal: ChannelPrincipal, orderId: string): Promise<unknown> {
    return (await this.owned(principal, orderId)).body;
  }

  /** Cancels the caller's unpaid order. */
  async cancel(principal: ChannelPrincipal, orderId: string): Promise<unknown> {
    await this.owned(principal, orderId);
    const { body: answer } = await this.upstreams.order.call<unknown>({ method: 'POST', path: `orders/${segment(orderId)}/cancel` });
    return answer;
  }

  /**
   * Records units of an order line handed back at the caller's store (any channel's order may be
   * returned at a store); the refund follows from the order service. The Idempotency-Key is scoped
   * to the store, so one return slip is recorded once.
   */
  async receiveReturn(principal: ChannelPrincipal, orderId: string, body: ReceiveReturnDto, idempotencyKeyHeader: string | undefined): Promise<{ status: number; body: unknown }> {
    if (!principal.locationId) throw forbidden('STORE_KEY_REQUIRED', 'Returns are received at a store: use a store API key (bound to a location)');
    const idempotencyKey = requiredIdempotencyKey(idempotencyKeyHeader);
    const answer = await this.upstreams.order.call<unknown>({
      method: 'POST',
      path: `orders/${segment(orderId)}/returns`,
      headers: { 'idempotency-key': scopedIdempotencyKey(principal.locationId, idempotencyKey) },
      body: { lineNo: body.lineNo, quantity: body.quantity, locationId: principal.locationId },
    });
    return { status: answer.status, body: answer.body };
  }

  /** Confirms a pickup at the caller's store with the code the buyer shows. */
  async confirmPickup(principal: ChannelPrincipal, orderId: string, body: ConfirmPickupDto): Promise<unknown> {
    if (!principal.locationId) throw forbidden('STORE_KEY_REQUIRED', 'Pickups are confirmed with a store API key (bound to a location)');
    const { body: order } = await this.upstreams.order.call<OrderOwnership>({ method: 'GET', path: `orders/${segment(orderId)}` });
    if (order?.fulfilment?.type !== 'pickup' || order.fulfilment.locationId !== principal.locationId) {
      throw forbidden('PICKUP_AT_OTHER_STORE', 'This order is not for pickup at this store');
    }
    const { body: answer } = await this.upstreams.order.call<unknown>({
      method: 'POST',
      path: `orders/${segment(orderId)}/complete`,
      body: { pickupCode: body.code },
    });
    return answer;
  }

  private async owned(principal: ChannelPrincipal, orderId: string): Promise<{ body: OrderOwnership }> {
    const { body } = await this.upstreams.order.call<OrderOwnership>({ method: 'GET', path: `orders/${segment(orderId)}` });
    if (typeof body?.channel !== 'string') {
      throw badUpstreamResponse('order', 'the order has no channel');
    }
    if (body.channel !== principal.channel) throw forbidden('ORDER_OF_OTHER_CHANNEL', 'This order was placed on another channel');
    return { body };
  }
}

/** A coupon of a member's wallet as member lists it (GET /internal/members/:id/coupons). */
interface WalletCoupon {
  couponId: string;
  code: string;
  status: string;
  validFrom: string;
  validTo: string;
}

function couponsNotInWallet(codes: readonly string[]): DomainError {
  return new DomainError(DomainErrorType.Conflict, 'COUPON_NOT_IN_WALLET', `Coupons are used from the signed-in member's wallet, once: ${codes.join(', ')} not held`, [
    { field: 'quoteId', reason: `the quote applies ${codes.join(', ')}, which the buyer's wallet does not hold as an available coupon` },
  ]);
}

/**
 * The order's buyer from the credentials: the member they name (buyer.anonymous false), or a guest
 * (buyer.anonymous true). A member order without member credentials is 401; a guest checkout
 * while a member is named is refused as contradictory (400).
 */
export function buyerOf(member: MemberPrincipal | undefined, anonymous: boolean): { memberId?: string; anonymous: boolean } {
  if (!anonymous) {
    if (!member) throw unauthenticated('A member order (buyer.anonymous false) needs a member token (Authorization: Bearer) or X-Channel-Account-Id');
    return { memberId: member.memberId, anonymous: false };
  }
  if (member) {
    throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'Request validation failed: buyer.anonymous', [
      { field: 'buyer.anonymous', reason: 'must be false when a member is signed in (the order is the member\'s)' },
    ]);
  }
  return { anonymous: true };
}
