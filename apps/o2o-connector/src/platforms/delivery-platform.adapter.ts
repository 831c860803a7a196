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

const HEADERS = { appKey: 'x-app-key', timestamp: 'x-timestamp', signature: 'x-sign' };
const STATUS: Record<PlatformOrderStatus, string> = { ready: 'ready', 'picked-up': 'picked-up', cancelled: 'cancelled', refunded: 'refunded' };

/** An on-demand delivery platform (Ele.me / Meituan-like): stock per store, one item per call, orders with an acceptance deadline. */
export class DeliveryPlatformAdapter implements PlatformAdapter {
  readonly kind = 'delivery' as const;
  readonly maxStockBatch = 1;
  private readonly http: PlatformHttpClient;

  /** `platform` is also our channel code for it. */
  constructor(
    readonly platform: string,
    private readonly endpoint: PlatformEndpoint & { webhookMaxSkewMs: number },
  ) {
    this.http = new PlatformHttpClient(endpoint, HEADERS);
  }

  /** One call per item: this platform has no batch endpoint. */
  async pushStock(updates: PlatformStockUpdate[]): Promise<PlatformCallResult> {
    for (const update of updates) {
      const result = await this.http.call('POST', '/api/v1/stock/update', {
        shop_id: update.platformStore,
        item_id: update.platformSku,
        stock: update.quantity,
        seq: update.version,
      });
      if (!result.ok) return result;
    }
    return { ok: true, value: undefined };
  }

  /** Prices in fen. */
  async pushPrice(update: PlatformPriceUpdate): Promise<PlatformCallResult> {
    return done(await this.http.call('POST', '/api/v1/price/update', { item_id: update.platformSku, price_fen: update.amount, seq: update.version }));
  }

  /** Confirms the order. */
  async acceptOrder(platformOrderId: string): Promise<PlatformCallResult> {
    return done(await this.http.call('POST', '/api/v1/order/confirm', { order_id: platformOrderId }));
  }

  /** Rejects with a reason shown to the buyer. */
  async rejectOrder(platformOrderId: string, reason: string): Promise<PlatformCallResult> {
    return done(await this.http.call('POST', '/api/v1/order/reject', { order_id: platformOrderId, reason }));
  }

  /** Ready for the courier, picked up, cancelled, refunded. */
  async updateOrderStatus(platformOrderId: string, status: PlatformOrderStatus): Promise<PlatformCallResult> {
    return done(await this.http.call('POST', '/api/v1/order/status', { order_id: platformOrderId, status: STATUS[status] }));
  }

  /** The daily bill is a CSV in fen. */
  async fetchSettlement(day: string): Promise<PlatformCallResult<SettlementLine[]>> {
    const result = await this.http.call('GET', `/api/v1/bill/daily?date=${encodeURIComponent(day)}`);
    if (!result.ok) return result;
    const rows = result.value.split('\n').slice(1).filter((row) => row.trim() !== '');
    const lines: SettlementLine[] = [];
    for (const row of rows) {
      const [platformOrderId, gross, commission, net, currency] = row.split(',');
      const amounts = [gross, commission, net].map(Number);
      if (!platformOrderId || !currency || !amounts.every(Number.isSafeInteger)) {
        return { ok: false, failure: { kind: 'refused', detail: `unreadable settlement row "${row.slice(0, 100)}"` } };
      }
      lines.push({ platformOrderId, grossAmount: amounts[0], commissionAmount: amounts[1], netAmount: amounts[2], currency: currency.trim() });
    }
    return { ok: true, value: lines };
  }

  /** Signed like requests; body `{ event, data }`. */
  verifyWebhook(webhook: InboundWebhook, now: Date): WebhookVerdict {
    const check = checkSignature(
      { appKey: webhook.headers[HEADERS.appKey], timestamp: webhook.headers[HEADERS.timestamp], signature: webhook.headers[HEADERS.signature], body: webhook.rawBody },
      { appKey: this.endpoint.appKey, secret: this.endpoint.secret, maxSkewMs: this.endpoint.webhookMaxSkewMs },
      now,
    );
    if (!check.ok) return check;
    const event = parseDeliveryWebhook(webhook.rawBody);
    return event ? { ok: true, event } : { ok: false, reason: 'malformed' };
  }
}

/** Reads a delivery webhook body; undefined when it is not one we understand. */
function parseDeliveryWebhook(raw: string): PlatformWebhookEvent | undefined {
  let body: { event?: unknown; data?: Record<string, unknown> };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return undefined;
  }
  const data = body.data;
  if (!data || typeof data.order_id !== 'string') return undefined;
  if (body.event === 'order.cancelled') return { kind: 'order-cancelled', platformOrderId: data.order_id, reason: String(data.reason ?? '') };
  if (body.event !== 'order.created' || typeof data.shop_id !== 'string' || !Array.isArray(data.items)) return undefined;
  const lines = (data.items as Record<string, unknown>[]).map((item) => ({
    platformSku: String(item?.item_id ?? ''),
    quantity: Number(item?.qty),
    unitAmount: Number(item?.price_fen),
  }));
  if (lines.some((line) => !line.platformSku || !Number.isInteger(line.quantity) || line.quantity < 1 || !Number.isInteger(line.unitAmount))) return undefined;
  if (!Number.isInteger(data.total_fen)) return undefined;
  return {
    kind: 'order-created',
    order: {
      platformOrderId: data.order_id,
      platformStore: data.shop_id,
      lines,
      totalAmount: data.total_fen as number,
      currency: 'CNY',
      ...(typeof data.accept_deadline === 'string' ? { acceptBy: data.accept_deadline } : {}),
    },
  };
}
