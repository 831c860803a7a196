import { ProductChangedEvent } from '../catalog/product-changed.event';
import { ProductSnapshot } from '../catalog/product-snapshot.value';
import { EventContract } from '../core/event-contract';
import { feedSourceTopic } from '../feeds/channel-feed.contracts';
import { StockChangedEvent } from '../inventory/stock-changed.event';
import { StockDeductedEvent } from '../inventory/stock-deducted.event';
import { StockLowEvent } from '../inventory/stock-low.event';
import { StockReleasedEvent } from '../inventory/stock-released.event';
import { StockReservedEvent } from '../inventory/stock-reserved.event';
import { OrderCancelledEvent } from '../order/order-cancelled.event';
import { OrderCreatedEvent } from '../order/order-created.event';
import { OrderPaidEvent } from '../order/order-paid.event';
import { OrderReadyForPickupEvent } from '../order/order-ready-for-pickup.event';
import { OrderRefundRequiredEvent } from '../order/order-refund-required.event';
import { OrderReturnDisposedEvent } from '../order/order-return-disposed.event';
import { OrderShippedEvent } from '../order/order-shipped.event';
import { O2oReconciliationMismatchEvent } from '../o2o/o2o-reconciliation-mismatch.event';
import { PriceChangedEvent } from '../pricing/price-changed.event';
import { InventoryBranchRequestedEvent } from '../tcc/inventory-branch-requested.event';
import { PricingBranchRequestedEvent } from '../tcc/pricing-branch-requested.event';
import { TccBranchRepliedEvent } from '../tcc/tcc-branch-replied.event';
import { MemberBranchRequestedEvent } from '../tcc/member-branch-requested.event';
import { CouponIssuedEvent } from '../member/coupon-issued.event';
import { CouponRedeemedEvent } from '../member/coupon-redeemed.event';
import { GiftCardChangedEvent } from '../member/gift-card-changed.event';
import { MemberRegisteredEvent } from '../member/member-registered.event';
import { MembersMergedEvent } from '../member/members-merged.event';
import { PointsChangedEvent } from '../member/points-changed.event';
import { TierChangedEvent } from '../member/tier-changed.event';

/** A fresh UUIDv7-shaped id (time-ordered) without pulling a uuid dependency into the contracts lib. */
export function sampleId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let millis = Date.now();
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = millis % 256;
    millis = Math.floor(millis / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Builds a valid payload, applying overrides on top (shallow). */
export type SampleBuilder<T> = (overrides?: Partial<T>) => T;

const now = (): string => new Date().toISOString();
const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

/** A valid product snapshot with one SKU, one image and one channel listing. */
function productSnapshot(): ProductSnapshot {
  return {
    title: 'Oolong tea 250g',
    description: 'Roasted Tieguanyin, vacuum packed.',
    brand: 'Omni Tea',
    categoryIds: [sampleId()],
    tags: ['tea', 'gift'],
    media: [{ kind: 'image', url: 'https://cdn.example.com/p/oolong-250.jpg', position: 0 }],
    skus: [{ sku: 'TEA-OOLONG-250', attributes: { weight: '250g', roast: 'medium' } }],
    channels: [{ channel: 'app', visible: true, title: 'Oolong tea 250g (app exclusive)', displayProfile: 'mobile-card' }],
  };
}

/**
 * Valid sample payloads for every topic (plain JSON-ready objects with fresh ids and current times),
 * for tests that publish, consume or validate events. Override any top-level field.
 */
export const sampleEvents = {
  inventoryBranchRequested: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    gid: sampleId(),
    branchId: sampleId(),
    op: 'try',
    deadline: inMinutes(15),
    channel: 'app',
    lines: [{ sku: 'TEA-OOLONG-250', quantity: 2, locationId: 'any' }],
    replyTo: 'tcc-branch-replied',
    ...overrides,
  })) as SampleBuilder<InventoryBranchRequestedEvent>,
  pricingBranchRequested: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    gid: sampleId(),
    branchId: sampleId(),
    op: 'try',
    deadline: inMinutes(15),
    channel: 'app',
    quoteId: sampleId(),
    replyTo: 'tcc-branch-replied',
    ...overrides,
  })) as SampleBuilder<PricingBranchRequestedEvent>,
  tccBranchReplied: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    gid: sampleId(),
    branchId: sampleId(),
    participant: 'inventory',
    op: 'try',
    outcome: 'failure',
    reasons: [{ line: 0, code: 'INSUFFICIENT_STOCK', message: 'TEA-OOLONG-250: 1 free, 2 requested' }],
    ...overrides,
  })) as SampleBuilder<TccBranchRepliedEvent>,
  stockReserved: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    gid: sampleId(),
    branchId: sampleId(),
    channel: 'app',
    lines: [{ sku: 'TEA-OOLONG-250', locationId: sampleId(), ownerId: sampleId(), quantity: 2 }],
    expiresAt: inMinutes(15),
    ...overrides,
  })) as SampleBuilder<StockReservedEvent>,
  stockDeducted: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    lines: [{ sku: 'TEA-OOLONG-250', locationId: sampleId(), ownerId: sampleId(), ownerType: 'consignor', quantity: 2 }],
    ...overrides,
  })) as SampleBuilder<StockDeductedEvent>,
  stockReleased: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    reason: 'expired',
    lines: [{ sku: 'TEA-OOLONG-250', locationId: sampleId(), ownerId: sampleId(), quantity: 2 }],
    ...overrides,
  })) as SampleBuilder<StockReleasedEvent>,
  stockChanged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    sku: 'TEA-OOLONG-250',
    locationId: sampleId(),
    version: 1,
    onHand: 10,
    reserved: 2,
    available: 8,
    atp: [
      { channel: 'app', available: 5 },
      { channel: 'tmall', available: 3 },
    ],
    cause: 'reservation',
    ...overrides,
  })) as SampleBuilder<StockChangedEvent>,
  stockLow: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    sku: 'TEA-OOLONG-250',
    locationId: sampleId(),
    available: 2,
    threshold: 5,
    ...overrides,
  })) as SampleBuilder<StockLowEvent>,
  orderCreated: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    buyer: { memberId: sampleId(), anonymous: false },
    lines: [{ sku: 'TEA-OOLONG-250', quantity: 2, unitPrice: { amount: 6800, currency: 'CNY' } }],
    fulfilment: { type: 'pickup', locationId: sampleId() },
    total: { amount: 13600, currency: 'CNY' },
    ...overrides,
  })) as SampleBuilder<OrderCreatedEvent>,
  orderPaid: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    amount: { amount: 13600, currency: 'CNY' },
    paymentRef: 'pay_2024_000123',
    paidAt: now(),
    ...overrides,
  })) as SampleBuilder<OrderPaidEvent>,
  orderCancelled: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    reason: 'payment-timeout',
    ...overrides,
  })) as SampleBuilder<OrderCancelledEvent>,
  orderReadyForPickup: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    locationId: sampleId(),
    pickupCode: '482913',
    readyAt: now(),
    ...overrides,
  })) as SampleBuilder<OrderReadyForPickupEvent>,
  orderRefundRequired: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'app',
    reason: 'paid-after-cancel',
    amount: { amount: 13600, currency: 'CNY' },
    paymentRef: 'pay_2024_000123',
    ...overrides,
  })) as SampleBuilder<OrderRefundRequiredEvent>,
  orderShipped: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    channel: 'eleme',
    carrier: 'eleme-courier',
    trackingNumber: 'DLV-0001',
    shippedAt: now(),
    ...overrides,
  })) as SampleBuilder<OrderShippedEvent>,
  o2oReconciliationMismatch: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    statementId: sampleId(),
    platform: 'eleme',
    businessDay: '2026-03-01',
    matched: 40,
    missing: 1,
    extra: 0,
    amountMismatched: 2,
    trigger: 'schedule',
    ...overrides,
  })) as SampleBuilder<O2oReconciliationMismatchEvent>,
  orderReturnDisposed: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    orderId: sampleId(),
    returnId: sampleId(),
    lineNo: 0,
    sku: 'TEA-OOLONG-250',
    quantity: 1,
    locationId: sampleId(),
    channel: 'app',
    disposition: 'restocked',
    ...overrides,
  })) as SampleBuilder<OrderReturnDisposedEvent>,
  priceChanged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    sku: 'TEA-OOLONG-250',
    channel: 'tmall',
    price: { amount: 6500, currency: 'CNY' },
    effectiveFrom: now(),
    version: 1,
    ...overrides,
  })) as SampleBuilder<PriceChangedEvent>,
  productChanged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    productId: sampleId(),
    version: 1,
    op: 'upserted',
    product: productSnapshot(),
    ...overrides,
  })) as SampleBuilder<ProductChangedEvent>,
  memberBranchRequested: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    gid: sampleId(),
    branchId: sampleId(),
    op: 'try',
    deadline: inMinutes(15),
    channel: 'app',
    memberId: sampleId(),
    couponIds: [sampleId()],
    points: 500,
    giftCardId: sampleId(),
    giftCardAmount: 2000,
    ...overrides,
  })) as SampleBuilder<MemberBranchRequestedEvent>,
  memberRegistered: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    memberId: sampleId(),
    channel: 'app',
    accountKind: 'app',
    registeredAt: now(),
    ...overrides,
  })) as SampleBuilder<MemberRegisteredEvent>,
  membersMerged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    survivorId: sampleId(),
    absorbedId: sampleId(),
    pointsMoved: 1200,
    couponsMoved: 2,
    giftCardsMoved: 1,
    ordersMoved: 3,
    accountsMoved: 1,
    ...overrides,
  })) as SampleBuilder<MembersMergedEvent>,
  tierChanged: ((overrides = {}) => ({
    schemaVersion: 2,
    occurredAt: now(),
    memberId: sampleId(),
    fromTier: 'regular',
    toTier: 'silver',
    change: 'upgrade',
    periodEnd: inMinutes(525_600),
    tierVersion: 1,
    ...overrides,
  })) as SampleBuilder<TierChangedEvent>,
  pointsChanged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    memberId: sampleId(),
    kind: 'earn',
    delta: 136,
    balance: 1336,
    ref: sampleId(),
    ...overrides,
  })) as SampleBuilder<PointsChangedEvent>,
  couponIssued: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    memberId: sampleId(),
    couponId: sampleId(),
    templateId: 'tpl-ten-off',
    channels: ['app', 'web'],
    validFrom: now(),
    validTo: inMinutes(43_200),
    ...overrides,
  })) as SampleBuilder<CouponIssuedEvent>,
  couponRedeemed: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    memberId: sampleId(),
    couponId: sampleId(),
    templateId: 'tpl-ten-off',
    orderId: sampleId(),
    ...overrides,
  })) as SampleBuilder<CouponRedeemedEvent>,
  giftCardChanged: ((overrides = {}) => ({
    schemaVersion: 1,
    occurredAt: now(),
    giftCardId: sampleId(),
    kind: 'spend',
    delta: -2000,
    balance: 8000,
    currency: 'CNY',
    ref: sampleId(),
    ...overrides,
  })) as SampleBuilder<GiftCardChangedEvent>,
};

const byTopic: Record<string, () => object> = {
  'stock-reserved': sampleEvents.stockReserved,
  'stock-deducted': sampleEvents.stockDeducted,
  'stock-released': sampleEvents.stockReleased,
  'stock-changed': sampleEvents.stockChanged,
  'stock-low': sampleEvents.stockLow,
  'order-created': sampleEvents.orderCreated,
  'order-paid': sampleEvents.orderPaid,
  'order-cancelled': sampleEvents.orderCancelled,
  'order-ready-for-pickup': sampleEvents.orderReadyForPickup,
  'order-refund-required': sampleEvents.orderRefundRequired,
  'order-return-disposed': sampleEvents.orderReturnDisposed,
  'order-shipped': sampleEvents.orderShipped,
  'o2o-reconciliation-mismatch': sampleEvents.o2oReconciliationMismatch,
  'price-changed': sampleEvents.priceChanged,
  'product-changed': sampleEvents.productChanged,
  'inventory-branch-requested': sampleEvents.inventoryBranchRequested,
  'pricing-branch-requested': sampleEvents.pricingBranchRequested,
  'tcc-branch-replied': sampleEvents.tccBranchReplied,
  'member-branch-requested': sampleEvents.memberBranchRequested,
  'member-registered': sampleEvents.memberRegistered,
  'members-merged': sampleEvents.membersMerged,
  'tier-changed': sampleEvents.tierChanged,
  'points-changed': sampleEvents.pointsChanged,
  'coupon-issued': sampleEvents.couponIssued,
  'coupon-redeemed': sampleEvents.couponRedeemed,
  'gift-card-changed': sampleEvents.giftCardChanged,
};

/** A valid sample payload for any contract, for suites that iterate over EVENT_CONTRACTS. */
export function samplePayloadFor<T extends object>(contract: EventContract<T>): T {
  // A channel feed carries its internal fact's payload.
  const build = byTopic[contract.topic] ?? byTopic[feedSourceTopic(contract.topic) ?? ''];
  if (!build) throw new Error(`no sample payload for topic ${contract.topic}`);
  return build() as T;
}
