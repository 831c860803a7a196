/**
 * Every status an order can have, as the order service's API shows it: created (deciding),
 * reserved (pay by the payment deadline), rejected (a participant refused it), paid, picking,
 * ready_for_pickup, shipped, completed, cancelled, refund_required (paid after it ended). The order
 * service's lifecycle table moves between them; the gateway documents them.
 */
export const ORDER_STATUSES = ['created', 'reserved', 'rejected', 'paid', 'picking', 'ready_for_pickup', 'shipped', 'completed', 'cancelled', 'refund_required'] as const;

/** Status of an order. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];
