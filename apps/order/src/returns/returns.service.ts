import { giftCardRefundShare, ORDER_REFUND_REQUIRED, ORDER_RETURN_DISPOSED, type ReturnDispositionOutcome } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType, idempotencyKeyReused, requestHash } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RETURNABLE_STATUSES, ReturnDisposition, ReturnStatus, OrderStatus, transitionReturn } from '../lifecycle/order-lifecycle';
import { OrderStore } from '../orders/order.store';
import { refundForReturn } from './refund.allocation';
import type { CreateReturnDto } from './returns.dto';

/** A return as the API shows it. */
export interface ReturnView {
  id: string;
  orderId: string;
  lineNo: number;
  quantity: number;
  locationId: string;
  status: ReturnStatus;
  refundAmount: number;
  currency: string;
}

/**
 * Returns per line in any channel: received at a location with its refund (the line's net,
 * including its share of order-level discounts, spread over its units), then restocked, sent to
 * outlet or written off.
 */
export class ReturnsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OrderStore,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * Receives returned units of a line; the same Idempotency-Key with the same body returns the same
   * return, with another body it is refused (409 IDEMPOTENCY_KEY_REUSED).
   */
  async receive(orderId: string, dto: CreateReturnDto, key: string): Promise<ReturnView> {
    const hash = returnRequestHash(dto);
    return this.dataSource.transaction(async (m) => {
      // The order's row lock serialises a key's concurrent repeats: the second sees the first's row.
      const order = await this.store.lock(m, orderId);
      if (!order) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${orderId} does not exist`);
      const [existing] = await queryRows(m, 'SELECT * FROM order_returns WHERE order_id = $1 AND idempotency_key = $2', [orderId, key]);
      if (existing) {
        if (existing.request_hash !== hash) throw idempotencyKeyReused();
        return view(existing, String(order.currency));
      }
      if (!RETURNABLE_STATUSES.includes(order.status as OrderStatus)) {
        throw new DomainError(DomainErrorType.Conflict, 'ORDER_NOT_RETURNABLE', `an order that is ${order.status} cannot take returns`);
      }
      const [line] = await queryRows(m, 'SELECT * FROM order_lines WHERE order_id = $1 AND line_no = $2', [orderId, dto.lineNo]);
      if (!line) throw new DomainError(DomainErrorType.NotFound, 'ORDER_LINE_NOT_FOUND', `order ${orderId} has no line ${dto.lineNo}`);
      const bought = Number(line.quantity);
      const returned = Number(line.returned_quantity);
      if (returned + dto.quantity > bought) {
        throw new DomainError(DomainErrorType.Conflict, 'RETURN_EXCEEDS_PURCHASE', `line ${dto.lineNo}: ${bought - returned} unit(s) left to return`);
      }
      const refund = refundForReturn({ quantity: bought, gross: Number(line.unit_price) * bought, discountShare: Number(line.discount_share) }, returned, dto.quantity);
      // What the provider refunds: the refund minus the gift card's share of it (member puts that back on the card).
      const [earlier] = await queryRows<{ refunded: string }>(m, 'SELECT COALESCE(sum(refund_amount), 0) AS refunded FROM order_returns WHERE order_id = $1', [orderId]);
      const card = Number((order.gift_card as { amount?: number } | null)?.amount ?? 0);
      const paid = Number(order.total) - card;
      const refundedBefore = Number(earlier.refunded);
      const toCard = giftCardRefundShare(refundedBefore + refund, paid, card) - giftCardRefundShare(refundedBefore, paid, card);
      const now = this.clock.now();
      const id = uuidv7();
      const [row] = await queryRows(
        m,
        `INSERT INTO order_returns (id, order_id, line_no, quantity, location_id, status, refund_amount, idempotency_key, request_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $9) RETURNING *`,
        [id, orderId, dto.lineNo, dto.quantity, dto.locationId, refund, key, hash, now],
      );
      await queryRows(m, 'WITH u AS (UPDATE order_lines SET returned_quantity = returned_quantity + $3 WHERE order_id = $1 AND line_no = $2 RETURNING line_no) SELECT * FROM u', [
        orderId,
        dto.lineNo,
        dto.quantity,
      ]);
      await this.outbox.add(m, ORDER_REFUND_REQUIRED, {
        schemaVersion: 1,
        occurredAt: now.toISOString(),
        orderId,
        channel: String(order.channel),
        reason: 'return',
        amount: { amount: refund, currency: String(order.currency).trim() },
        paymentAmount: { amount: refund - toCard, currency: String(order.currency).trim() },
        paymentRef: String(order.payment_ref ?? 'none'),
        returnId: id,
      });
      return view(row, String(order.currency));
    });
  }

  /**
   * received → restocked | outlet | written_off; anything else (a second disposition included) is
   * 409 RETURN_ILLEGAL_TRANSITION. The status change and order-return-disposed commit together, so
   * inventory learns each return's disposition exactly once (it restocks the units on 'restocked').
   */
  async dispose(orderId: string, returnId: string, disposition: ReturnDisposition): Promise<ReturnView> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await queryRows(
        m,
        `SELECT r.*, o.currency, o.channel, l.sku FROM order_returns r
           JOIN orders o ON o.id = r.order_id
           JOIN order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
          WHERE r.id = $1 AND r.order_id = $2 FOR UPDATE OF r`,
        [returnId, orderId],
      );
      if (!row) throw new DomainError(DomainErrorType.NotFound, 'RETURN_NOT_FOUND', `return ${returnId} does not exist`);
      const to = transitionReturn(row.status as ReturnStatus, disposition);
      const now = this.clock.now();
      const [updated] = await queryRows(m, 'WITH u AS (UPDATE order_returns SET status = $2, updated_at = $3 WHERE id = $1 RETURNING *) SELECT * FROM u', [returnId, to, now]);
      await this.outbox.add(m, ORDER_RETURN_DISPOSED, {
        schemaVersion: 1,
        occurredAt: now.toISOString(),
        orderId,
        returnId,
        lineNo: Number(row.line_no),
        sku: String(row.sku),
        quantity: Number(row.quantity),
        locationId: String(row.location_id),
        channel: String(row.channel),
        disposition: disposedAs(to),
      });
      return view(updated, String(row.currency));
    });
  }
}

/**
 * The hash of a return request: its whole body (line, quantity, location), with the location as
 * Postgres writes a UUID, so the same location in capitals is the same request (and the migration
 * can hash the rows it finds the same way).
 */
export function returnRequestHash(dto: CreateReturnDto): string {
  return requestHash({ lineNo: dto.lineNo, quantity: dto.quantity, locationId: dto.locationId.toLowerCase() });
}

/** The event's disposition of a status a disposition led to ('received' never is one). */
function disposedAs(status: ReturnStatus): ReturnDispositionOutcome {
  if (status === 'received') throw new Error('a disposition cannot lead back to received');
  return status;
}

function view(r: Record<string, unknown>, currency: string): ReturnView {
  return {
    id: String(r.id),
    orderId: String(r.order_id),
    lineNo: Number(r.line_no),
    quantity: Number(r.quantity),
    locationId: String(r.location_id),
    status: r.status as ReturnStatus,
    refundAmount: Number(r.refund_amount),
    currency: currency.trim(),
  };
}
