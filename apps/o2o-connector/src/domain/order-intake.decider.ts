import { createHash } from 'node:crypto';
import type { MappedOrderLine } from './id-mapping';
import type { PlatformOrder } from './platform-adapter.port';

// A platform order becomes one of ours, or is turned down with a reason the platform shows its buyer.
// Everything here is a decision over data; the calls are the intake service's.

/** What the order service is asked to create for a platform order (its POST /orders body). */
export interface OrderRequest {
  channel: string;
  buyer: { anonymous: true };
  lines: Array<{ sku: string; quantity: number; unitPrice: { amount: number; currency: string } }>;
  fulfilment: { type: 'delivery'; locationId: string };
}

/** The parts of our order the intake decides on. */
export interface OrderOutcome {
  id: string;
  status: string;
  total: number;
  payable: number;
  currency: string;
  rejection: Array<{ lineNo: number; code: string; message: string }> | null;
  lines: Array<{ sku: string }>;
}

/** Refusal codes of the stock participant that mean "not enough to sell" (the gate, the reservation, the channel's quota). */
export const SOLD_OUT_CODES: ReadonlySet<string> = new Set(['INSUFFICIENT_STOCK', 'SOLD_OUT', 'SOLD_OUT_GATE', 'CHANNEL_QUOTA_EXHAUSTED']);

/** What to tell the platform. */
export type IntakeAnswer = { kind: 'accept' } | { kind: 'reject'; reason: string } | { kind: 'wait' };

/**
 * The Idempotency-Key of a platform order's creation: the same platform order always gives the same
 * key (a webhook delivered three times makes one order), whatever characters the platform's id uses.
 */
export function intakeIdempotencyKey(platform: string, platformOrderId: string): string {
  return `o2o:${platform}:${createHash('sha256').update(`${platform}\n${platformOrderId}`).digest('hex').slice(0, 40)}`;
}

/** The payment reference of a platform order: the platform collected the money, once per order. */
export function platformPaymentRef(platform: string, platformOrderId: string): string {
  return `${platform}:${platformOrderId}`.slice(0, 128);
}

/** Our order for a mapped platform order: delivery from the mapped store, on the platform's channel. */
export function orderRequestOf(channel: string, order: PlatformOrder, locationId: string, lines: MappedOrderLine[]): OrderRequest {
  return {
    channel,
    buyer: { anonymous: true },
    lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: { amount: line.unitAmount, currency: order.currency } })),
    fulfilment: { type: 'delivery', locationId },
  };
}

/** The reason given to the platform for ids we do not map (never guessed). */
export function unmappedReason(unknown: { unknownStore?: string; unknownSkus: string[] }): string {
  const parts: string[] = [];
  if (unknown.unknownStore !== undefined) parts.push(`unknown store ${unknown.unknownStore}`);
  if (unknown.unknownSkus.length) parts.push(`unknown SKU ${unknown.unknownSkus.join(', ')}`);
  return parts.join('; ');
}

/** Accept a reserved order, reject a refused one (sold out, or another reason), wait while it is being decided. */
export function answerFor(order: OrderOutcome): IntakeAnswer {
  if (order.status === 'created') return { kind: 'wait' };
  if (order.status === 'rejected' || order.status === 'cancelled') {
    const rejection = order.rejection ?? [];
    const soldOut = rejection.filter((line) => SOLD_OUT_CODES.has(line.code));
    if (soldOut.length) {
      const skus = soldOut.map((line) => order.lines[line.lineNo]?.sku).filter((sku): sku is string => sku !== undefined);
      return { kind: 'reject', reason: `sold out${skus.length ? `: ${[...new Set(skus)].join(', ')}` : ''}` };
    }
    return { kind: 'reject', reason: rejection[0] ? `${rejection[0].code}: ${rejection[0].message}`.slice(0, 200) : `order ${order.status}` };
  }
  return { kind: 'accept' };
}

/** The reason for an order the order service refused outright (4xx): its error code and message. */
export function refusedReason(status: number, body: { code?: unknown; message?: unknown }): string {
  return `${typeof body.code === 'string' ? body.code : `HTTP ${status}`}: ${typeof body.message === 'string' ? body.message : 'refused'}`.slice(0, 200);
}

/** When to give up waiting for our decision: a margin before the platform's deadline, else a default. */
export function decisionDeadline(acceptBy: string | undefined, now: number, defaultWaitMs: number, marginMs = 5_000): number {
  const platform = acceptBy ? Date.parse(acceptBy) : NaN;
  return Number.isFinite(platform) ? Math.max(now, platform - marginMs) : now + defaultWaitMs;
}
