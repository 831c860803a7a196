import { checkSignature } from '../domain/request-signature';
import type {
  InboundWebhook,
  PlatformAdapter,
  PlatformCallResult,
  PlatformOrderStatus,
  PlatformPriceUpdate,
  PlatformStockUpdate,
  PlatformWebhookEvent,
  SettlementLine,
  WebhookVerdict,
} from '../domain/platform-adapter.port';
import { done, PlatformHttpClient, type PlatformEndpoint } from './platform-http.client';

const HEADERS = { appKey: 'x-mkt-appkey', timestamp: 'x-mkt-timestamp', signature: 'x-mkt-sign' };
/** Our statuses in the marketplace's own trade states (ready and picked up both mean shipped there). */
const TRADE_STATUS: Record<PlatformOrderStatus, string> = {
  ready: 'WAIT_SELLER_SEND_GOODS',
  'picked-up': 'WAIT_BUYER_CONFIRM_GOODS',
  cancelled: 'TRADE_CLOSED',
  refunded: 'TRADE_CLOSED',
};

/** A marketplace (Tmall / JD-like): stock per warehouse through a batch endpoint, one RPC router, amounts in yuan strings. */
export class MarketplaceAdapter implements PlatformAdapter {
  readonly kind = 'marketplace' as const;
  readonly maxStockBatch = 50;
  private readonly http: PlatformHttpClient;

  /** `platform` is also our channel code for it. */
  constructor(
    readonly platform: string,
    private readonly endpoint: PlatformEndpoint & { webhookMaxSkewMs: number },
  ) {
    this.http = new PlatformHttpClient(endpoint, HEADERS);
  }

  /** One call per warehouse, up to 50 items each. */
  async pushStock(updates: PlatformStockUpdate[]): Promise<PlatformCallResult> {
    const byWarehouse = new Map<string, PlatformStockUpdate[]>();
    for (const update of updates) byWarehouse.set(update.platformStore, [...(byWarehouse.get(update.platformStore) ?? []), update]);
    for (const [warehouse, lines] of byWarehouse) {
      const result = await this.rpc('taobao.inventory.batch.update', {
        warehouse_code: warehouse,
        items: lines.map((line) => ({ sku_id: line.platformSku, quantity: line.quantity, seq: line.version })),
      });
      if (!result.ok) return result;
    }
    return { ok: true, value: undefined };
  }

  /** Prices as yuan strings. */
  async pushPrice(update: PlatformPriceUpdate): Promise<PlatformCallResult> {
    return done(await this.rpc('taobao.item.price.update', { sku_id: update.platformSku, price: toYuan(update.amount), seq: update.version }));
  }

  /** Confirms the trade. */
  async acceptOrder(platformOrderId: string): Promise<PlatformCallResult> {
    return done(await this.rpc('taobao.trade.confirm', { tid: platformOrderId }));
  }

  /** Refuses the trade with a reason. */
  async rejectOrder(platformOrderId: string, reason: string): Promise<PlatformCallResult> {
    return done(await this.rpc('taobao.trade.refuse', { tid: platformOrderId, reason }));
  }

  /** Moves the trade to the marketplace's state for ours. */
  async updateOrderStatus(platformOrderId: string, status: PlatformOrderStatus): Promise<PlatformCallResult> {
    return done(await this.rpc('taobao.trade.status.update', { tid: platformOrderId, status: TRADE_STATUS[status] }));
  }

  /** Settlement records in yuan strings. */
  async fetchSettlement(day: string): Promise<PlatformCallResult<SettlementLine[]>> {
    const result = await this.rpc('taobao.settlement.get', { date: day });
    if (!result.ok) return result;
    let records: Record<string, unknown>[];
    try {
      records = (JSON.parse(result.value) as { records: Record<string, unknown>[] }).records;
    } catch {
      return { ok: false, failure: { kind: 'refused', detail: 'unreadable settlement' } };
    }
    const lines: SettlementLine[] = [];
    for (const record of records ?? []) {
      const amounts = [record.total_fee, record.commission_fee, record.settle_fee].map(fromYuan);
      if (typeof record.tid !== 'string' || amounts.some((amount) => amount === undefined)) {
        return { ok: false, failure: { kind: 'refused', detail: `unreadable settlement record ${JSON.stringify(record).slice(0, 100)}` } };
      }
      lines.push({ platformOrderId: record.tid, grossAmount: amounts[0]!, commissionAmount: amounts[1]!, netAmount: amounts[2]!, currency: String(record.currency ?? 'CNY') });
    }
    return { ok: true, value: lines };
  }

  /** Webhook body `{ topic, content }`. */
  verifyWebhook(webhook: InboundWebhook, now: Date): WebhookVerdict {
    const check = checkSignature(
      { appKey: webhook.headers[HEADERS.appKey], timestamp: webhook.headers[HEADERS.timestamp], signature: webhook.headers[HEADERS.signature], body: webhook.rawBody },
      { appKey: this.endpoint.appKey, secret: this.endpoint.secret, maxSkewMs: this.endpoint.webhookMaxSkewMs },
      now,
    );
    if (!check.ok) return check;
    const event = parseMarketplaceWebhook(webhook.rawBody);
    return event ? { ok: true, event } : { ok: false, reason: 'malformed' };
  }

  private rpc(method: string, body: unknown): Promise<PlatformCallResult<string>> {
    return this.http.call('POST', `/router/rest?method=${encodeURIComponent(method)}`, body);
  }
}

/** Fen → "12.34". */
function toYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** "12.34" → 1234 fen; undefined for anything that is not a plain amount with at most two decimals. */
function fromYuan(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,12}(\.\d{1,2})?$/.test(value)) return undefined;
  const [whole, cents = ''] = value.replace('-', '').split('.');
  const fen = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  return value.startsWith('-') ? -fen : fen;
}

/** Reads a marketplace webhook body; undefined when it is not one we understand. */
function parseMarketplaceWebhook(raw: string): PlatformWebhookEvent | undefined {
  let body: { topic?: unknown; content?: Record<string, unknown> };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return undefined;
  }
  const content = body.content;
  if (!content || typeof content.tid !== 'string') return undefined;
  if (body.topic === 'trade_TradeClose') return { kind: 'order-cancelled', platformOrderId: content.tid, reason: String(content.close_reason ?? '') };
  if (body.topic !== 'trade_TradeCreate' || typeof content.warehouse_code !== 'string' || !Array.isArray(content.orders)) return undefined;
  const lines = (content.orders as Record<string, unknown>[]).map((line) => ({
    platformSku: String(line?.sku_id ?? ''),
    quantity: Number(line?.num),
    unitAmount: fromYuan(line?.price) ?? NaN,
  }));
  const total = fromYuan(content.payment);
  if (total === undefined || lines.some((line) => !line.platformSku || !Number.isInteger(line.quantity) || line.quantity < 1 || !Number.isInteger(line.unitAmount))) {
    return undefined;
  }
  return { kind: 'order-created', order: { platformOrderId: content.tid, platformStore: content.warehouse_code, lines, totalAmount: total, currency: 'CNY' } };
}
