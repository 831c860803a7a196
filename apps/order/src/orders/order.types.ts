import type { RoutingPlan } from '../routing/routing.planner';
import type { OrderStatus } from '../lifecycle/order-lifecycle';

/** A per-line reason the order was refused (from a participant's Try). */
export interface LineRejection {
  /** Order line number, or -1 for the order as a whole. */
  lineNo: number;
  code: string;
  message: string;
}

/** An order line as the API shows it. */
export interface OrderLineView {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPrice: number;
  discountShare: number;
  returnedQuantity: number;
}

/** The order as every endpoint answers it (never the ORM row). */
export interface OrderView {
  id: string;
  channel: string;
  status: OrderStatus;
  buyer: { memberId?: string; anonymous: boolean };
  fulfilment: Record<string, unknown>;
  lines: OrderLineView[];
  currency: string;
  goodsTotal: number;
  discountTotal: number;
  total: number;
  /** What the payment provider must capture: total minus the gift-card amount member froze. */
  payable: number;
  coupons: unknown[];
  /** Price rules (promotions, flash sales) whose discounts the order's discount includes. */
  promotions: unknown[];
  points: unknown;
  giftCard: unknown;
  quoteId: string | null;
  routing: RoutingPlan;
  rejection: LineRejection[] | null;
  paymentDeadline: string;
  paymentRef: string | null;
  paidAt: string | null;
  cancelReason: string | null;
  pickupCode: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  /** Status of the TCC saga behind the order. */
  saga: string | null;
  createdAt: string;
  updatedAt: string;
}
