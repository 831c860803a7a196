import { EventContract } from './core/event-contract';
import { PRODUCT_CHANGED } from './catalog/product-changed.event';
import { STOCK_CHANGED } from './inventory/stock-changed.event';
import { STOCK_DEDUCTED } from './inventory/stock-deducted.event';
import { STOCK_LOW } from './inventory/stock-low.event';
import { STOCK_RELEASED } from './inventory/stock-released.event';
import { STOCK_RESERVED } from './inventory/stock-reserved.event';
import { ORDER_CANCELLED } from './order/order-cancelled.event';
import { ORDER_CREATED } from './order/order-created.event';
import { ORDER_PAID } from './order/order-paid.event';
import { ORDER_READY_FOR_PICKUP } from './order/order-ready-for-pickup.event';
import { ORDER_REFUND_REQUIRED } from './order/order-refund-required.event';
import { ORDER_RETURN_DISPOSED } from './order/order-return-disposed.event';
import { ORDER_SHIPPED } from './order/order-shipped.event';
import { O2O_RECONCILIATION_MISMATCH } from './o2o/o2o-reconciliation-mismatch.event';
import { PRICE_CHANGED } from './pricing/price-changed.event';
import { INVENTORY_BRANCH_REQUESTED } from './tcc/inventory-branch-requested.event';
import { PRICING_BRANCH_REQUESTED } from './tcc/pricing-branch-requested.event';
import { TCC_BRANCH_REPLIED } from './tcc/tcc-branch-replied.event';
import { MEMBER_BRANCH_REQUESTED } from './tcc/member-branch-requested.event';
import { COUPON_ISSUED } from './member/coupon-issued.event';
import { COUPON_REDEEMED } from './member/coupon-redeemed.event';
import { GIFT_CARD_CHANGED } from './member/gift-card-changed.event';
import { MEMBER_REGISTERED } from './member/member-registered.event';
import { MEMBERS_MERGED } from './member/members-merged.event';
import { POINTS_CHANGED } from './member/points-changed.event';
import { TIER_CHANGED } from './member/tier-changed.event';
import { CHANNEL_FEED_CONTRACTS } from './feeds/channel-feed.contracts';

/** Every topic of the platform, in catalogue order (the AsyncAPI document follows it). */
export const EVENT_CONTRACTS: readonly EventContract[] = Object.freeze([
  STOCK_RESERVED,
  STOCK_DEDUCTED,
  STOCK_RELEASED,
  STOCK_CHANGED,
  STOCK_LOW,
  ORDER_CREATED,
  ORDER_PAID,
  ORDER_CANCELLED,
  ORDER_READY_FOR_PICKUP,
  ORDER_REFUND_REQUIRED,
  ORDER_RETURN_DISPOSED,
  ORDER_SHIPPED,
  PRICE_CHANGED,
  PRODUCT_CHANGED,
  MEMBER_REGISTERED,
  MEMBERS_MERGED,
  TIER_CHANGED,
  POINTS_CHANGED,
  COUPON_ISSUED,
  COUPON_REDEEMED,
  GIFT_CARD_CHANGED,
  O2O_RECONCILIATION_MISMATCH,
  INVENTORY_BRANCH_REQUESTED,
  PRICING_BRANCH_REQUESTED,
  MEMBER_BRANCH_REQUESTED,
  TCC_BRANCH_REPLIED,
] as EventContract[]);

/** Every topic that exists: the internal facts and the channel feeds cut from them (topics, users and the AsyncAPI document follow it). */
export const ALL_TOPIC_CONTRACTS: readonly EventContract[] = Object.freeze([...EVENT_CONTRACTS, ...CHANNEL_FEED_CONTRACTS]);

const byTopic = new Map(ALL_TOPIC_CONTRACTS.map((contract) => [contract.topic, contract]));
if (byTopic.size !== ALL_TOPIC_CONTRACTS.length) throw new Error('two event contracts share a topic');

/** The contract of a logical topic (without any test prefix; a fact or a channel feed), or undefined for an unknown topic. */
export function contractForTopic(topic: string): EventContract | undefined {
  return byTopic.get(topic);
}
