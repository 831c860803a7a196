import { DomainError, DomainErrorType } from '@omni/platform';
import { badUpstreamResponse } from '../upstream/upstream.errors';

/**
 * What the gateway may tell a buyer about the order the order service answered POST /orders with.
 * `reserved` invites the buyer to pay by `paymentDeadline`, so it is relayed only while that is
 * ahead. Past it the order service may still answer `reserved`: it holds the reservation
 * ORDER_PAYMENT_GRACE_MS longer for a payment captured in time and reported late, and answers a
 * retry from the stored order. The buyer then gets 409 PAYMENT_WINDOW_CLOSED naming the order,
 * never an invitation to pay that can no longer be honoured. A `reserved` answer without a
 * deadline is the order service's fault (502). Every other answer is relayed as it is.
 */
export function checkPaymentWindow(order: unknown, now: number): void {
  const { id, status, paymentDeadline } = (order ?? {}) as { id?: unknown; status?: unknown; paymentDeadline?: unknown };
  if (status !== 'reserved') return;
  const deadline = typeof paymentDeadline === 'string' ? Date.parse(paymentDeadline) : NaN;
  if (Number.isNaN(deadline)) throw badUpstreamResponse('order', 'a reserved order without a payment deadline');
  if (deadline > now) return;
  throw new DomainError(
    DomainErrorType.Conflict,
    'PAYMENT_WINDOW_CLOSED',
    `Order ${String(id)} was reserved until ${paymentDeadline as string}, and that payment window has closed: it will be cancelled and its stock released unless a payment captured before then is still being reported (GET /orders/${String(id)} shows which)`,
  );
}
