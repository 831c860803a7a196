import type { OrderStatus } from '@omni/contracts';
import { DomainError, DomainErrorType } from '@omni/platform';

// Status of an order: one list, in the contracts (ORDER_STATUSES), which the gateway documents.
export type { OrderStatus };

/** What moves an order. */
export type OrderEvent =
  | 'reserve'
  | 'reject'
  | 'pay'
  | 'start-picking'
  | 'ready-for-pickup'
  | 'ship'
  | 'complete'
  | 'cancel'
  | 'channel-cancel'
  | 'late-payment';

/**
 * The order lifecycle as a transition table (Vendure's order process, declaratively):
 * created → reserved → paid → picking → ready_for_pickup | shipped → completed; cancelled and
 * rejected end it; a payment that arrives after cancellation sends it to refund_required. A delivery
 * order is ready for the platform's courier, who picks it up (ship). The channel an order came from
 * (a delivery platform) may cancel it until it has left the store, paid or not.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>>> = Object.freeze({
  created: { reserve: 'reserved', reject: 'rejected', cancel: 'cancelled', 'channel-cancel': 'cancelled' },
  reserved: { pay: 'paid', cancel: 'cancelled', 'channel-cancel': 'cancelled' },
  paid: { 'start-picking': 'picking', 'channel-cancel': 'cancelled' },
  picking: { 'ready-for-pickup': 'ready_for_pickup', ship: 'shipped', 'channel-cancel': 'cancelled' },
  ready_for_pickup: { complete: 'completed', ship: 'shipped', 'channel-cancel': 'cancelled' },
  shipped: { complete: 'completed' },
  completed: {},
  rejected: { 'late-payment': 'refund_required' },
  cancelled: { 'late-payment': 'refund_required' },
  refund_required: {},
});

/** The status after `event`, or null when the table does not allow it. */
export function nextOrderStatus(from: OrderStatus, event: OrderEvent): OrderStatus | null {
  return ORDER_TRANSITIONS[from]?.[event] ?? null;
}

/** Every status from which `event` is allowed (the `from` list of a compare-and-set update). */
export function orderSourcesOf(event: OrderEvent): OrderStatus[] {
  return (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).filter((s) => nextOrderStatus(s, event) !== null);
}

/** The status after `event`; an illegal transition is a 409 with code ORDER_ILLEGAL_TRANSITION. */
export function transitionOrder(from: OrderStatus, event: OrderEvent): OrderStatus {
  const to = nextOrderStatus(from, event);
  if (!to) throw new DomainError(DomainErrorType.Conflict, 'ORDER_ILLEGAL_TRANSITION', `an order that is ${from} cannot ${event}`);
  return to;
}

/** Status of a returned line. */
export type ReturnStatus = 'received' | 'restocked' | 'outlet' | 'written_off';

/** What happens to a received return. */
export type ReturnDisposition = 'restock' | 'outlet' | 'write-off';

/** Returns: received at a location, then restocked (sellable), sent to outlet, or written off. */
export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, Partial<Record<ReturnDisposition, ReturnStatus>>>> = Object.freeze({
  received: { restock: 'restocked', outlet: 'outlet', 'write-off': 'written_off' },
  restocked: {},
  outlet: {},
  written_off: {},
});

/** The return status after `disposition`; illegal → 409 RETURN_ILLEGAL_TRANSITION. */
export function transitionReturn(from: ReturnStatus, disposition: ReturnDisposition): ReturnStatus {
  const to = RETURN_TRANSITIONS[from]?.[disposition];
  if (!to) throw new DomainError(DomainErrorType.Conflict, 'RETURN_ILLEGAL_TRANSITION', `a return that is ${from} cannot be ${disposition}`);
  return to;
}

/** Orders whose lines may be returned. */
export const RETURNABLE_STATUSES: readonly OrderStatus[] = ['shipped', 'ready_for_pickup', 'completed'];
