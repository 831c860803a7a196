import { queryRows } from '@omni/sql';
import type { DataSource } from 'typeorm';

/** An order as a list shows it: no lines, no routing. */
export interface OrderSummaryView {
  id: string;
  channel: string;
  status: string;
  fulfilmentType: string | null;
  currency: string;
  goodsTotal: number;
  discountTotal: number;
  total: number;
  createdAt: string;
  paidAt: string | null;
}

/** One page of a member's orders, newest first. */
export interface MemberOrdersPage {
  memberId: string;
  items: OrderSummaryView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

/** Lists the orders a member placed, on every channel, page by page (keyset on the UUIDv7 id). */
export class MemberOrdersService {
  constructor(private readonly dataSource: DataSource) {}

  /** Orders of `memberId` older than the order `before` (all when absent), at most `limit`. */
  async page(memberId: string, limit: number, before?: string): Promise<MemberOrdersPage> {
    const rows = await queryRows<Record<string, unknown>>(
      this.dataSource,
      `SELECT id, channel, status, fulfilment->>'type' AS fulfilment_type, currency, goods_total, discount_total, total, created_at, paid_at
         FROM orders WHERE buyer_member_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3`,
      [memberId, before ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id),
      channel: String(r.channel),
      status: String(r.status),
      fulfilmentType: (r.fulfilment_type as string | null) ?? null,
      currency: String(r.currency),
      goodsTotal: Number(r.goods_total),
      discountTotal: Number(r.discount_total),
      total: Number(r.total),
      createdAt: new Date(r.created_at as string).toISOString(),
      paidAt: r.paid_at ? new Date(r.paid_at as string).toISOString() : null,
    }));
    return { memberId, items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }
}
