import type { SettlementLine } from './platform-adapter.port';

// A day's settlement statement against our orders: each order is matched once, by platform order id,
// and its amounts are checked against what we charged and the commission rate agreed with the platform.

/** Our side of one platform order, as the order service recorded it. */
export interface OurPlatformOrder {
  /** The platform's order id. */
  platformOrderId: string;
  /** Our order id. */
  orderId: string;
  /** What the buyer was charged, minor units. */
  totalAmount: number;
  /** ISO-4217 currency. */
  currency: string;
}

/** How a statement line compares with our records. */
export type ReconciliationStatus = 'matched' | 'missing' | 'extra' | 'amount-mismatched';

/** Which amount disagreed on an amount-mismatched line. */
export type AmountField = 'gross' | 'commission' | 'net' | 'currency';

/** One line of the reconciled statement. */
export interface ReconciliationLine {
  /** The platform's order id. */
  platformOrderId: string;
  /** matched; missing (ours, not on the statement); extra (on the statement, not ours); amount-mismatched. */
  status: ReconciliationStatus;
  /** Our order id when we have the order. */
  orderId?: string;
  /** The amounts that disagreed (amount-mismatched only). */
  fields: AmountField[];
  /** What we expected: gross, commission and net in minor units (when we have the order). */
  expected?: { gross: number; commission: number; net: number };
  /** What the platform stated (when the statement has the line). */
  stated?: { gross: number; commission: number; net: number };
}

/** Commission in minor units for a gross amount at a rate in basis points, rounded half up. */
export function commissionOf(gross: number, rateBps: number): number {
  return Math.floor((gross * rateBps + 5000) / 10_000);
}

/** Compares a statement with our orders; lines come back sorted by platform order id. */
export function reconcile(statement: SettlementLine[], ours: OurPlatformOrder[], commissionRateBps: number): ReconciliationLine[] {
  const byId = new Map(ours.map((order) => [order.platformOrderId, order]));
  const lines: ReconciliationLine[] = [];
  const seen = new Set<string>();
  for (const line of statement) {
    const stated = { gross: line.grossAmount, commission: line.commissionAmount, net: line.netAmount };
    const order = byId.get(line.platformOrderId);
    // A second line for one order is extra: the platform would be paying (or charging) it twice.
    if (!order || seen.has(line.platformOrderId)) {
      lines.push({ platformOrderId: line.platformOrderId, status: 'extra', fields: [], stated });
      continue;
    }
    seen.add(line.platformOrderId);
    const commission = commissionOf(order.totalAmount, commissionRateBps);
    const expected = { gross: order.totalAmount, commission, net: order.totalAmount - commission };
    const fields: AmountField[] = [];
    if (line.currency !== order.currency) fields.push('currency');
    if (stated.gross !== expected.gross) fields.push('gross');
    if (stated.commission !== expected.commission) fields.push('commission');
    if (stated.net !== expected.net) fields.push('net');
    lines.push({
      platformOrderId: line.platformOrderId,
      orderId: order.orderId,
      status: fields.length ? 'amount-mismatched' : 'matched',
      fields,
      expected,
      stated,
    });
  }
  for (const order of ours) {
    if (seen.has(order.platformOrderId)) continue;
    const commission = commissionOf(order.totalAmount, commissionRateBps);
    lines.push({
      platformOrderId: order.platformOrderId,
      orderId: order.orderId,
      status: 'missing',
      fields: [],
      expected: { gross: order.totalAmount, commission, net: order.totalAmount - commission },
    });
  }
  return lines.sort((a, b) => (a.platformOrderId < b.platformOrderId ? -1 : a.platformOrderId > b.platformOrderId ? 1 : 0));
}

/** Counts per status, for the statement summary and the mismatch event. */
export function summarise(lines: ReconciliationLine[]): Record<ReconciliationStatus, number> {
  const counts: Record<ReconciliationStatus, number> = { matched: 0, missing: 0, extra: 0, 'amount-mismatched': 0 };
  for (const line of lines) counts[line.status] += 1;
  return counts;
}
