import { ORDER_PAID, ORDER_REFUND_REQUIRED } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { Clock, SqlExecutor, TccCoordinator } from '@omni/tcc';
import { DataSource } from 'typeorm';
import type { FaultInjector } from '../fault/fault-injector';
import { orderSourcesOf } from '../lifecycle/order-lifecycle';
import { queryRows as rowsOf } from '@omni/sql';
import { payableOf } from '../orders/order.charge';
import { OrderStore } from '../orders/order.store';
import type { PaymentCallbackDto } from './payment.dto';
import { verifyPaymentSignature } from './payment-signature';

/** What a callback did: captured (stock will be deducted) or refund-required (stock untouched). */
export interface PaymentResult {
  orderId: string;
  paymentRef: string;
  outcome: 'captured' | 'refund_required';
  /** True when this paymentRef was processed before (no second effect). */
  duplicate: boolean;
}

/**
 * Payment callbacks: signature checked first; then, in one transaction under the order's lock, a
 * payment row keyed by the provider reference (a repeat has no second effect) and the decision:
 * captured by the payment deadline → Confirm every branch + order-paid; otherwise →
 * refund-required, stock untouched. "In time" is judged by when the provider captured the money
 * (`paidAt`, covered by the signature), not by when this handler runs: a capture at 11:59 whose
 * callback arrives at 12:00:30 is on time. The saga holds the reservation a grace period past the
 * payment deadline for such callbacks; one that arrives after the saga was cancelled is refunded.
 * A capture time further in our future than the allowed clock skew is refused.
 */
export class PaymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OrderStore,
    private readonly coordinator: TccCoordinator,
    private readonly outbox: OutboxWriter,
    private readonly faults: FaultInjector,
    private readonly clock: Clock,
    private readonly secret: string,
    private readonly clockSkewMs: number,
  ) {}

  /** Handles one provider callback. */
  async callback(dto: PaymentCallbackDto, signature: string | undefined): Promise<PaymentResult> {
    const signed = { orderId: dto.orderId, paymentRef: dto.paymentRef, amount: dto.amount.amount, currency: dto.amount.currency, paidAt: dto.paidAt };
    if (!verifyPaymentSignature(this.secret, signed, signature)) {
      throw new DomainError(DomainErrorType.Unauthorized, 'PAYMENT_SIGNATURE_INVALID', 'the payment callback signature does not verify');
    }
    // The Confirm commands and the order's fact in one outbox insert.
    const result = await this.dataSource.transaction((m) => this.outbox.gathering(m, () => this.apply(m, dto)));
    if (result.outcome === 'captured' && !result.duplicate) this.faults.hit('after-pay');
    return result;
  }

  private async apply(tx: SqlExecutor, dto: PaymentCallbackDto): Promise<PaymentResult> {
    const base = { orderId: dto.orderId, paymentRef: dto.paymentRef };
    // Lock order everywhere: saga row, then order row (the reply handler and recovery do the same).
    const saga = await this.coordinator.sql.lockGlobal(tx, dto.orderId);
    // The order row with what this payment reference already did: every callback records its
    // payment under the saga's lock, so this read, begun once that lock is held, sees any earlier one.
    const found = await this.store.lockWithPayment(tx, dto.orderId, dto.paymentRef);
    if (!found) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${dto.orderId} does not exist`);
    const { row, seen } = found;
    if (seen) {
      if (seen.orderId !== dto.orderId) throw new DomainError(DomainErrorType.Conflict, 'PAYMENT_REF_REUSED', 'this payment reference belongs to another order');
      return { ...base, outcome: seen.outcome as PaymentResult['outcome'], duplicate: true };
    }
    // Settled when the order was reserved: the locked quote minus what member froze (see settleCharge).
    const payable = payableOf(Number(row.total), row.gift_card as { amount?: number } | null);
    if (dto.amount.amount !== payable || dto.amount.currency !== String(row.currency).trim()) {
      throw new DomainError(DomainErrorType.NotAllowed, 'PAYMENT_AMOUNT_MISMATCH', `the order is payable ${payable} ${row.currency}`);
    }
    const now = this.clock.now();
    const paidAt = new Date(dto.paidAt);
    if (paidAt.getTime() > now.getTime() + this.clockSkewMs) {
      throw new DomainError(DomainErrorType.InvalidInput, 'PAYMENT_TIME_IN_FUTURE', `paidAt ${dto.paidAt} is more than ${this.clockSkewMs} ms ahead of our clock`);
    }
    let status = String(row.status);
    if (status === 'created') {
      throw new DomainError(DomainErrorType.Conflict, 'ORDER_NOT_RESERVED', 'the reservation is still being decided; retry the callback later');
    }
    if (status === 'reserved') {
      const inTime = paidAt.getTime() <= new Date(row.payment_deadline as string).getTime();
      const decision = inTime ? await this.coordinator.confirm(tx, dto.orderId, saga) : null;
      if (decision && (decision.status === 'accepted' || decision.status === 'already')) {
        await this.store.cas(tx, dto.orderId, ['reserved'], 'paid', now, { payment_ref: dto.paymentRef, paid_at: new Date(dto.paidAt) });
        await this.record(tx, dto, 'captured', now);
        await this.outbox.add(tx, ORDER_PAID, {
          schemaVersion: 1,
          occurredAt: now.toISOString(),
          orderId: dto.orderId,
          channel: String(row.channel),
          amount: dto.amount,
          paymentRef: dto.paymentRef,
          paidAt: new Date(dto.paidAt).toISOString(),
          ...(row.buyer_member_id ? { memberId: String(row.buyer_member_id) } : {}),
        });
        return { ...base, outcome: 'captured', duplicate: false };
      }
      // Captured too late, or the saga's own deadline passed before the callback came: cancel now
      // (the listener moves the order to cancelled/payment-timeout), then refund.
      await this.coordinator.cancel(tx, dto.orderId, 'deadline', saga);
      await this.store.cas(tx, dto.orderId, orderSourcesOf('cancel'), 'cancelled', now, { cancel_reason: 'payment-timeout' });
      status = 'cancelled';
    }
    if (status === 'cancelled' || status === 'rejected') {
      await this.store.cas(tx, dto.orderId, orderSourcesOf('late-payment'), 'refund_required', now, { payment_ref: dto.paymentRef, paid_at: new Date(dto.paidAt) });
    }
    // Paid twice, or paid after the end: this money goes back; stock is never touched.
    await this.record(tx, dto, 'refund_required', now);
    await this.outbox.add(tx, ORDER_REFUND_REQUIRED, {
      schemaVersion: 1,
      occurredAt: now.toISOString(),
      orderId: dto.orderId,
      channel: String(row.channel),
      reason: 'paid-after-cancel',
      amount: dto.amount,
      // The whole payment goes back to the provider; nothing of it was a gift card's.
      paymentAmount: dto.amount,
      paymentRef: dto.paymentRef,
    });
    return { ...base, outcome: 'refund_required', duplicate: false };
  }

  private async record(tx: SqlExecutor, dto: PaymentCallbackDto, outcome: PaymentResult['outcome'], now: Date): Promise<void> {
    await rowsOf(
      tx,
      `INSERT INTO order_payments (payment_ref, order_id, amount, currency, paid_at, outcome, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING payment_ref`,
      [dto.paymentRef, dto.orderId, dto.amount.amount, dto.amount.currency, new Date(dto.paidAt), outcome, now],
    );
  }
}
