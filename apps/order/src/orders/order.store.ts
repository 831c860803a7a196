import { queryRows, type SqlExecutor } from '@omni/sql';
import type { OrderStatus } from '../lifecycle/order-lifecycle';
import type { RoutingPlan } from '../routing/routing.planner';
import { payableOf, type ChargeBasis } from './order.charge';
import type { LineRejection, OrderView } from './order.types';

type Row = Record<string, unknown>;

/** A new order to insert. */
export interface NewOrder {
  id: string;
  channel: string;
  buyer: { memberId?: string; anonymous: boolean };
  fulfilment: Record<string, unknown>;
  currency: string;
  goodsTotal: number;
  discountTotal: number;
  total: number;
  coupons: unknown[];
  promotions: unknown[];
  points: unknown;
  giftCard: unknown;
  quoteId: string | null;
  routing: RoutingPlan;
  paymentDeadline: Date;
  idempotencyKey: string;
  requestHash: string;
  lines: { lineNo: number; sku: string; quantity: number; unitPrice: number; discountShare: number }[];
  now: Date;
}

/** What an idempotency-key lookup finds. */
export interface KeyedOrder {
  id: string;
  requestHash: string;
}

// The orders columns, named rather than `*` so the statements reading them stay prepared (see
// PreparedStatementClient) and keep their shape when a migration adds a column. The order boot
// suite checks that this is every column of the table.
export const ORDER_COLUMNS = 'id, channel, status, buyer_member_id, buyer_anonymous, fulfilment, currency, goods_total, discount_total, total, coupons, promotions, points, gift_card, quote_id, routing, rejection, payment_deadline, payment_ref, paid_at, cancel_reason, pickup_code, carrier, tracking_number, idempotency_key, request_hash, created_at, updated_at';
const ORDER_VIEW_COLUMNS = ORDER_COLUMNS.split(', ')
  .map((c) => `o.${c}`)
  .join(', ');

/** SQL of the order tables; every method runs in the caller's transaction. */
export class OrderStore {
  /** Inserts the order and its lines in one statement; null when (channel, key) already exists. */
  async insert(tx: SqlExecutor, o: NewOrder): Promise<string | null> {
    const found = await queryRows(
      tx,
      `WITH ins AS (
         INSERT INTO orders (id, channel, status, buyer_member_id, buyer_anonymous, fulfilment, currency, goods_total, discount_total, total,
           coupons, points, gift_card, quote_id, routing, payment_deadline, idempotency_key, request_hash, created_at, updated_at, promotions)
         VALUES ($1, $2, 'created', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $20)
         ON CONFLICT (channel, idempotency_key) DO NOTHING RETURNING id
       ), lines AS (
         INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount_share)
         SELECT ins.id, l.line_no, l.sku, l.quantity, l.unit_price, l.discount_share
         FROM ins, jsonb_to_recordset($19::jsonb) AS l(line_no int, sku text, quantity int, unit_price bigint, discount_share bigint)
         RETURNING 1
       ) SELECT id, (SELECT count(*) FROM lines) AS n FROM ins`,
      [
        o.id,
        o.channel,
        o.buyer.memberId ?? null,
        o.buyer.anonymous,
        JSON.stringify(o.fulfilment),
        o.currency,
        o.goodsTotal,
        o.discountTotal,
        o.total,
        JSON.stringify(o.coupons),
        o.points === undefined ? null : JSON.stringify(o.points),
        o.giftCard === undefined ? null : JSON.stringify(o.giftCard),
        o.quoteId,
        JSON.stringify(o.routing),
        o.paymentDeadline,
        o.idempotencyKey,
        o.requestHash,
        o.now,
        JSON.stringify(o.lines.map((l) => ({ line_no: l.lineNo, sku: l.sku, quantity: l.quantity, unit_price: l.unitPrice, discount_share: l.discountShare }))),
        JSON.stringify(o.promotions),
      ],
    );
    return found.length ? String(found[0].id) : null;
  }

  /** The order created under an idempotency key, if any. */
  async findByKey(tx: SqlExecutor, channel: string, key: string): Promise<KeyedOrder | null> {
    const found = await queryRows(tx, 'SELECT id, request_hash FROM orders WHERE channel = $1 AND idempotency_key = $2', [channel, key]);
    return found.length ? { id: String(found[0].id), requestHash: String(found[0].request_hash) } : null;
  }

  /** Locks an order row and returns its status, deadline and payment fields. */
  async lock(tx: SqlExecutor, id: string): Promise<Row | null> {
    const found = await queryRows(tx, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`, [id]);
    return found[0] ?? null;
  }

  /**
   * `lock`, with what `paymentRef` already paid (its order and outcome), or null when no callback
   * recorded it: one statement. Its read of payments sees those committed before it began.
   */
  async lockWithPayment(tx: SqlExecutor, id: string, paymentRef: string): Promise<{ row: Row; seen: { orderId: string; outcome: string } | null } | null> {
    const [found] = await queryRows(
      tx,
      `SELECT ${ORDER_COLUMNS}, (SELECT json_build_object('orderId', p.order_id, 'outcome', p.outcome) FROM order_payments p WHERE p.payment_ref = $2) AS seen_payment
       FROM orders WHERE id = $1 FOR UPDATE`,
      [id, paymentRef],
    );
    if (!found) return null;
    const seen = found.seen_payment as { orderId: string; outcome: string } | null;
    return { row: found, seen: seen ? { orderId: String(seen.orderId), outcome: String(seen.outcome) } : null };
  }

  /** Compare-and-set of the status with extra columns; false when the order was not in one of `from`. */
  async cas(tx: SqlExecutor, id: string, from: readonly OrderStatus[], to: OrderStatus, now: Date, set: Record<string, unknown> = {}): Promise<boolean> {
    return (await this.move(tx, id, from, to, now, null, set)) !== null;
  }

  /**
   * `cas` that also NOTIFYs `channel` with the order id on commit, in one statement; returns the
   * order's sales channel when it moved, null otherwise (nothing is notified then). With
   * `discountShares`, the same statement sets each line's share of the order-level discount (line
   * order as in `chargeBasis`) when the order moved.
   */
  async casNotify(
    tx: SqlExecutor,
    id: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    now: Date,
    notifyChannel: string,
    set: Record<string, unknown> = {},
    discountShares: readonly number[] | null = null,
  ): Promise<string | null> {
    return this.move(tx, id, from, to, now, notifyChannel, set, discountShares);
  }

  /** The status move behind cas/casNotify: the order's channel when it moved, else null. */
  private async move(
    tx: SqlExecutor,
    id: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    now: Date,
    notifyChannel: string | null,
    set: Record<string, unknown>,
    discountShares: readonly number[] | null = null,
  ): Promise<string | null> {
    const columns = Object.keys(set);
    const assignments = columns.map((c, i) => `${c} = $${i + 7}`).join(', ');
    const found = await queryRows(
      tx,
      `WITH upd AS (UPDATE orders SET status = $3, updated_at = $4${assignments ? `, ${assignments}` : ''}
         WHERE id = $1 AND status = ANY($2::text[]) RETURNING id, channel
       ), shares AS (UPDATE order_lines l SET discount_share = s.share::bigint
         FROM upd, (SELECT (ordinality - 1)::int AS line_no, share FROM jsonb_array_elements_text($6::jsonb) WITH ORDINALITY AS t(share, ordinality)) s
         WHERE l.order_id = upd.id AND l.line_no = s.line_no RETURNING 1
       ) SELECT channel, CASE WHEN $5::text IS NULL THEN NULL ELSE pg_notify($5::text, id::text) END AS notified FROM upd`,
      [id, from, to, now, notifyChannel, discountShares === null ? null : JSON.stringify(discountShares), ...columns.map((c) => set[c])],
    );
    return found.length === 1 ? String(found[0].channel) : null;
  }

  /** What the order computed from its request (goods, gross per line, promotions and coupons), or null. */
  async chargeBasis(tx: SqlExecutor, id: string): Promise<ChargeBasis | null> {
    const [row] = await queryRows(
      tx,
      `SELECT o.goods_total, o.currency, o.coupons, o.promotions,
         COALESCE((SELECT jsonb_agg(l.unit_price * l.quantity ORDER BY l.line_no) FROM order_lines l WHERE l.order_id = o.id), '[]') AS gross
       FROM orders o WHERE o.id = $1`,
      [id],
    );
    if (!row) return null;
    const discounts = [...((row.coupons as { discount?: number }[] | null) ?? []), ...((row.promotions as { discount?: number }[] | null) ?? [])];
    return {
      goodsTotal: Number(row.goods_total),
      grossByLine: (row.gross as unknown[]).map(Number),
      requestDiscount: discounts.reduce((n, d) => n + Number(d.discount ?? 0), 0),
      currency: String(row.currency).trim(),
    };
  }

  /** The order view (with its lines and saga status), or null. */
  async view(tx: SqlExecutor, id: string): Promise<OrderView | null> {
    const found = await queryRows(
      tx,
      `SELECT ${ORDER_VIEW_COLUMNS}, g.status AS saga_status,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('lineNo', l.line_no, 'sku', l.sku, 'quantity', l.quantity, 'unitPrice', l.unit_price,
           'discountShare', l.discount_share, 'returnedQuantity', l.returned_quantity) ORDER BY l.line_no) FROM order_lines l WHERE l.order_id = o.id), '[]') AS lines
       FROM orders o LEFT JOIN tcc_global g ON g.gid = o.id::text WHERE o.id = $1`,
      [id],
    );
    return found.length ? toView(found[0]) : null;
  }
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function toView(r: Row): OrderView {
  const total = Number(r.total);
  const giftCard = (r.gift_card as { amount?: number } | null) ?? null;
  return {
    id: String(r.id),
    channel: String(r.channel),
    status: r.status as OrderStatus,
    buyer: r.buyer_member_id ? { memberId: String(r.buyer_member_id), anonymous: Boolean(r.buyer_anonymous) } : { anonymous: Boolean(r.buyer_anonymous) },
    fulfilment: r.fulfilment as Record<string, unknown>,
    lines: (r.lines as OrderView['lines']).map((l) => ({ ...l, unitPrice: Number(l.unitPrice), discountShare: Number(l.discountShare) })),
    currency: String(r.currency),
    goodsTotal: Number(r.goods_total),
    discountTotal: Number(r.discount_total),
    total,
    payable: payableOf(total, giftCard),
    coupons: r.coupons as unknown[],
    promotions: (r.promotions as unknown[] | undefined) ?? [],
    points: r.points ?? null,
    giftCard,
    quoteId: (r.quote_id as string | null) ?? null,
    routing: r.routing as RoutingPlan,
    rejection: (r.rejection as LineRejection[] | null) ?? null,
    paymentDeadline: iso(r.payment_deadline)!,
    paymentRef: (r.payment_ref as string | null) ?? null,
    paidAt: iso(r.paid_at),
    cancelReason: (r.cancel_reason as string | null) ?? null,
    pickupCode: (r.pickup_code as string | null) ?? null,
    carrier: (r.carrier as string | null) ?? null,
    trackingNumber: (r.tracking_number as string | null) ?? null,
    saga: (r.saga_status as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
