import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FULFILMENT_TYPES, ORDER_STATUSES } from '@omni/contracts';

/** The buyer of an order: a member, or a guest. */
export class OrderBuyerView {
  @ApiPropertyOptional({ format: 'uuid', description: "The member's id; absent for a guest" }) memberId?: string;
  @ApiProperty() anonymous: boolean;
}

/** How the order reaches the buyer. */
export class OrderFulfilmentView {
  @ApiProperty({ enum: FULFILMENT_TYPES }) type: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The store (pickup, delivery)' }) locationId?: string | null;
}

/** One line of an order. */
export class OrderLineView {
  @ApiProperty({ description: 'Line number, 0 first' }) lineNo: number;
  @ApiProperty({ example: 'TEA-250' }) sku: string;
  @ApiProperty({ minimum: 1 }) quantity: number;
  @ApiProperty({ description: 'Price of one unit, minor units' }) unitPrice: number;
  @ApiProperty({ description: "The line's share of the order's discounts, minor units" }) discountShare: number;
  @ApiProperty({ description: 'Units handed back so far' }) returnedQuantity: number;
}

/** Why a participant refused (part of) an order. */
export class OrderRejectionView {
  @ApiProperty({ description: 'The order line refused, or -1 for the order as a whole' }) lineNo: number;
  @ApiProperty({ example: 'INSUFFICIENT_STOCK', description: 'e.g. INSUFFICIENT_STOCK, QUOTE_EXPIRED, FLASH_SALE_SOLD_OUT' }) code: string;
  @ApiProperty() message: string;
}

/**
 * An order as the order service shows it, relayed by the gateway as it is (money in minor units of
 * `currency`); later versions may add fields.
 */
export class OrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The channel the order was placed on (the key’s)' }) channel: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    description:
      'created: still being decided (202); reserved: the goods are held, pay by paymentDeadline; rejected: refused, reasons per line in `rejection`; then paid, picking, ready_for_pickup, shipped, completed; cancelled (cancelReason says why); refund_required: paid after it ended',
  })
  status: string;

  @ApiProperty({ type: OrderBuyerView }) buyer: OrderBuyerView;
  @ApiProperty({ type: OrderFulfilmentView }) fulfilment: OrderFulfilmentView;
  @ApiProperty({ type: [OrderLineView] }) lines: OrderLineView[];
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Σ unit price × quantity' }) goodsTotal: number;
  @ApiProperty({ description: 'Promotions, coupons and points' }) discountTotal: number;
  @ApiProperty({ description: 'goodsTotal − discountTotal' }) total: number;
  @ApiProperty({ description: 'What the payment provider must capture: total minus the gift-card part' }) payable: number;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Wallet coupons applied (code, discount, couponId)' }) coupons: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Price rules applied (ruleId, discount)' }) promotions: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Points redeemed (points, value); null when none' }) points: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Gift-card part (cardId, amount); null when none' }) giftCard: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where each line is fulfilled from' }) routing: unknown;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    description: 'Pay by then. While created: the latest it can be; once reserved: the end of the payment window, counted from the reservation',
  })
  paymentDeadline: string;

  @ApiProperty({ type: [OrderRejectionView], nullable: true, description: 'Why it was rejected, per line; null unless rejected' })
  rejection: OrderRejectionView[] | null;

  @ApiProperty({ type: String, nullable: true, description: 'buyer, payment-timeout, rejected, not-decided, operator or channel; null unless cancelled or rejected' })
  cancelReason: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The quote the order was priced from' }) quoteId: string | null;
  @ApiProperty({ type: String, nullable: true }) paymentRef: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The code the buyer shows at the store (pickup orders, once ready)' }) pickupCode: string | null;
  @ApiProperty({ type: String, nullable: true }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Status of the order's saga (reservation across stock, quote and wallet)" }) saga: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}
