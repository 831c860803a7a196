// A stand-in for a delivery platform (Ele.me / Meituan-like) or a marketplace (Tmall / JD-like),
// started by tests and by `npm run up`; never part of a deployable image. It behaves like the real
// thing where the connector can tell: signed requests, its own ids, a rate limit answered with 429
// and Retry-After, configurable 5xx and slow answers, signed webhooks and a daily settlement file.
// Everything it received is recorded, and readable at /_sim/* (unsigned, test-only control routes).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The two API shapes the simulator speaks. */
export type SimulatedShape = 'delivery' | 'marketplace';

/** How the simulated platform behaves. */
export interface SimulatorOptions {
  /** API shape. */
  shape: SimulatedShape;
  /** App key and secret the connector must sign with (the simulator signs webhooks the same way). */
  appKey: string;
  secret: string;
  /** Accepted calls per rolling second; the next one is a 429. */
  ratePerSecond: number;
  /** Fraction of calls answered 503 without effect (0–1). */
  failureRate?: number;
  /** Each answer waits a random time up to this many ms. */
  maxDelayMs?: number;
  /** Where webhooks go; may be set later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** Commission the platform takes, basis points (for the settlement file). */
  commissionBps?: number;
  /** Port (0 = any free port). */
  port?: number;
  /** Seed for failures and delays, so a run can be repeated. */
  seed?: number;
}

/** One call as the simulator received it. */
export interface ReceivedCall {
  /** ms since the epoch. */
  at: number;
  /** Request path and operation. */
  operation: string;
  /** HTTP status answered. */
  status: number;
  /** The parsed body. */
  body: unknown;
}

/** One stock value the simulator applied. */
export interface AppliedStock {
  at: number;
  item: string;
  store: string;
  quantity: number;
  seq: number;
}

interface SimOrder {
  orderId: string;
  store: string;
  items: { item: string; qty: number; price: number }[];
  total: number;
  state: string;
  createdAt: number;
  reason?: string;
  statusHistory: string[];
}

const DELIVERY_STATES: Record<string, string> = { ready: 'meal_ready', 'picked-up': 'courier_picked_up', cancelled: 'cancelled', refunded: 'refunded' };

/** A running simulated platform. */
export class PlatformSimulator {
  /** Every call received, in order of arrival. */
  readonly calls: ReceivedCall[] = [];
  /** Every stock value applied, in order. */
  readonly stockApplied: AppliedStock[] = [];
  /** Current stock per `store|item` as the platform shows it to buyers. */
  readonly stock = new Map<string, { quantity: number; seq: number }>();
  /** Current price per item, minor units. */
  readonly prices = new Map<string, { amount: number; seq: number }>();
  /** Orders the platform created, by its order id. */
  readonly orders = new Map<string, SimOrder>();
  /** Calls refused with 429. */
  rateLimited = 0;
  /** Most accepted (non-429) calls seen in any rolling second. */
  maxCallsPerSecond = 0;
  /** Webhook deliveries: order id, event, HTTP status the connector answered. */
  readonly webhooks: { orderId: string; event: string; status: number }[] = [];

  private server?: Server;
  private recent: number[] = [];
  private random: () => number;
  private orderSeq = 0;
  /** Settlement lines planted by tests: overrides and extras by order id. */
  private settlementOverrides = new Map<string, { gross?: number; commission?: number; net?: number; omit?: boolean }>();
  private settlementExtras: { orderId: string; gross: number; day: string }[] = [];

  /** Builds a simulator; call `start`. */
  constructor(private options: SimulatorOptions) {
    let seed = options.seed ?? 1;
    this.random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  }

  /** Starts listening on 127.0.0.1; returns the base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    return this.url;
  }

  /** The base URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Changes failure rate and delay while running. */
  setFaults(faults: { failureRate?: number; maxDelayMs?: number }): void {
    this.options = { ...this.options, ...faults };
  }

  /** Where webhooks go from now on. */
  setWebhookUrl(url: string): void {
    this.options.webhookUrl = url;
  }

  /** A buyer orders on the platform: the order gets a platform id and a signed webhook is sent. */
  async placeOrder(store: string, items: { item: string; qty: number; price: number }[], options: { deadlineMinutes?: number } = {}): Promise<SimOrder> {
    this.orderSeq += 1;
    const prefix = this.options.shape === 'delivery' ? 'DLV' : 'MKT';
    const orderId = `${prefix}${Date.now().toString(36).toUpperCase()}${String(this.orderSeq).padStart(4, '0')}`;
    const total = items.reduce((sum, line) => sum + line.qty * line.price, 0);
    const order: SimOrder = {
      orderId,
      store,
      items,
      total,
      state: this.options.shape === 'delivery' ? 'pending_accept' : 'WAIT_SELLER_CONFIRM',
      createdAt: Date.now(),
      statusHistory: [],
    };
    this.orders.set(orderId, order);
    await this.deliverWebhook(orderId, this.orderCreatedBody(order, options.deadlineMinutes ?? 5));
    return order;
  }

  /** The buyer cancels on the platform: a signed cancellation webhook is sent. */
  async cancelOrder(orderId: string, reason = 'buyer cancelled'): Promise<void> {
    const order = this.orders.get(orderId);
    if (order) order.state = this.options.shape === 'delivery' ? 'cancelled' : 'TRADE_CLOSED';
    const body =
      this.options.shape === 'delivery'
        ? { event: 'order.cancelled', data: { order_id: orderId, reason } }
        : { topic: 'trade_TradeClose', content: { tid: orderId, close_reason: reason } };
    await this.deliverWebhook(orderId, body);
  }

  /** Delivers a webhook body as-is, signed (or with the given signature parts, to forge one). */
  async deliverWebhook(orderId: string, body: unknown, forge?: { secret?: string; timestamp?: number }): Promise<number> {
    if (!this.options.webhookUrl) throw new Error('no webhook URL set');
    const raw = JSON.stringify(body);
    const timestamp = String(forge?.timestamp ?? Date.now());
    const signature = sign(forge?.secret ?? this.options.secret, this.options.appKey, timestamp, raw);
    const headers = this.signatureHeaders(timestamp, signature);
    const response = await fetch(this.options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw,
      // The connector answers once our order is decided and the platform told: allow it the time.
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    const status = response?.status ?? 0;
    this.webhooks.push({ orderId, event: (body as { event?: string; topic?: string }).event ?? (body as { topic?: string }).topic ?? '?', status });
    return status;
  }

  /** The webhook body announcing an order (exposed so tests can redeliver it). */
  orderCreatedBody(order: SimOrder, deadlineMinutes = 5): unknown {
    if (this.options.shape === 'delivery') {
      return {
        event: 'order.created',
        data: {
          order_id: order.orderId,
          shop_id: order.store,
          items: order.items.map((line) => ({ item_id: line.item, qty: line.qty, price_fen: line.price })),
          total_fen: order.total,
          accept_deadline: new Date(order.createdAt + deadlineMinutes * 60_000).toISOString(),
        },
      };
    }
    return {
      topic: 'trade_TradeCreate',
      content: {
        tid: order.orderId,
        warehouse_code: order.store,
        orders: order.items.map((line) => ({ sku_id: line.item, num: line.qty, price: yuan(line.price) })),
        payment: yuan(order.total),
      },
    };
  }

  /** Plants a settlement discrepancy for an order (wrong gross/commission/net, or left out). */
  plantSettlement(orderId: string, change: { gross?: number; commission?: number; net?: number; omit?: boolean }): void {
    this.settlementOverrides.set(orderId, change);
  }

  /** Plants a settlement line for an order we never received. */
  plantExtraSettlement(orderId: string, gross: number, day: string): void {
    this.settlementExtras.push({ orderId, gross, day });
  }

  /** Calls received for one operation. */
  callsOf(operation: string): ReceivedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private signatureHeaders(timestamp: string, signature: string): Record<string, string> {
    return this.options.shape === 'delivery'
      ? { 'x-app-key': this.options.appKey, 'x-timestamp': timestamp, 'x-sign': signature }
      : { 'x-mkt-appkey': this.options.appKey, 'x-mkt-timestamp': timestamp, 'x-mkt-sign': signature };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/_sim/')) return this.control(req.method ?? 'GET', url, raw, res);

    const operation = this.operationOf(req.method ?? 'GET', url);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      let parsed: unknown = raw;
      try {
        parsed = raw ? JSON.parse(raw) : {};
      } catch {
        /* recorded as text */
      }
      this.calls.push({ at: Date.now(), operation, status, body: parsed });
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };

    const auth = this.checkAuth(req, raw);
    if (auth) return reply(401, { code: 'AUTH_FAILED', message: auth });
    // Rate limit: a rolling one-second window of accepted calls.
    const now = Date.now();
    this.recent = this.recent.filter((t) => t > now - 1_000);
    if (this.recent.length >= this.options.ratePerSecond) {
      this.rateLimited += 1;
      const retryMs = Math.max(1, this.recent[0] + 1_000 - now);
      return reply(429, { code: 'RATE_LIMITED' }, { 'retry-after': String(Math.ceil(retryMs / 1_000)), 'retry-after-ms': String(retryMs) });
    }
    this.recent.push(now);
    this.maxCallsPerSecond = Math.max(this.maxCallsPerSecond, this.recent.length);
    if ((this.options.maxDelayMs ?? 0) > 0) await sleep(Math.floor(this.random() * this.options.maxDelayMs!));
    if (this.random() < (this.options.failureRate ?? 0)) return reply(503, { code: 'SERVICE_UNAVAILABLE' });

    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return reply(400, { code: 'BAD_JSON' });
    }
    const result = this.apply(operation, body, url);
    reply(result.status, result.body);
  }

  private checkAuth(req: IncomingMessage, raw: string): string | undefined {
    const [keyHeader, tsHeader, signHeader] =
      this.options.shape === 'delivery' ? ['x-app-key', 'x-timestamp', 'x-sign'] : ['x-mkt-appkey', 'x-mkt-timestamp', 'x-mkt-sign'];
    const appKey = req.headers[keyHeader] as string | undefined;
    const timestamp = req.headers[tsHeader] as string | undefined;
    const signature = req.headers[signHeader] as string | undefined;
    if (!appKey || !timestamp || !signature) return 'missing signature headers';
    if (appKey !== this.options.appKey) return 'unknown app key';
    const want = Buffer.from(sign(this.options.secret, appKey, timestamp, raw), 'hex');
    const got = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return 'bad signature';
    if (Math.abs(Date.now() - Number(timestamp)) > 300_000) return 'stale timestamp';
    return undefined;
  }

  private operationOf(method: string, url: URL): string {
    if (this.options.shape === 'marketplace' && url.pathname === '/router/rest') return url.searchParams.get('method') ?? 'unknown';
    return `${method} ${url.pathname}`;
  }

  private apply(operation: string, body: Record<string, unknown>, url: URL): { status: number; body: unknown } {
    const now = Date.now();
    const setStock = (store: unknown, item: unknown, quantity: unknown, seq: unknown) => {
      if (typeof store !== 'string' || typeof item !== 'string' || !Number.isInteger(quantity) || !Number.isInteger(seq)) return false;
      // Last write wins, as on the real platforms: ordering is the connector's job.
      this.stock.set(`${store}|${item}`, { quantity: quantity as number, seq: seq as number });
      this.stockApplied.push({ at: now, item, store, quantity: quantity as number, seq: seq as number });
      return true;
    };
    switch (operation) {
      case 'POST /api/v1/stock/update':
        return setStock(body.shop_id, body.item_id, body.stock, body.seq) ? ok({ code: 0 }) : bad('shop_id, item_id, stock, seq required');
      case 'POST /api/v1/price/update':
        if (typeof body.item_id !== 'string' || !Number.isInteger(body.price_fen)) return bad('item_id, price_fen required');
        this.prices.set(body.item_id, { amount: body.price_fen as number, seq: Number(body.seq ?? 0) });
        return ok({ code: 0 });
      case 'POST /api/v1/order/confirm':
        return this.transition(String(body.order_id), ['pending_accept'], 'accepted', undefined, ok({ code: 0 }));
      case 'POST /api/v1/order/reject':
        return this.transition(String(body.order_id), ['pending_accept'], 'rejected', String(body.reason ?? ''), ok({ code: 0 }));
      case 'POST /api/v1/order/status': {
        const state = DELIVERY_STATES[String(body.status)] ?? String(body.status);
        return this.transition(String(body.order_id), ['accepted', 'meal_ready', 'courier_picked_up', 'cancelled'], state, undefined, ok({ code: 0 }));
      }
      case 'GET /api/v1/bill/daily':
        return { status: 200, body: this.settlementCsv(url.searchParams.get('date') ?? '') };
      case 'taobao.inventory.batch.update': {
        const items = body.items;
        if (typeof body.warehouse_code !== 'string' || !Array.isArray(items) || items.length === 0 || items.length > 50) {
          return bad('warehouse_code and 1–50 items required');
        }
        const good = items.every((line: Record<string, unknown>) => Number.isInteger(line?.quantity) && typeof line?.sku_id === 'string');
        if (!good) return bad('items[].sku_id, quantity required');
        for (const line of items as Record<string, unknown>[]) setStock(body.warehouse_code, line.sku_id, line.quantity, line.seq ?? 0);
        return ok({ success: true, updated: items.length });
      }
      case 'taobao.item.price.update':
        if (typeof body.sku_id !== 'string' || typeof body.price !== 'string') return bad('sku_id, price required');
        this.prices.set(body.sku_id, { amount: Math.round(Number(body.price) * 100), seq: Number(body.seq ?? 0) });
        return ok({ success: true });
      case 'taobao.trade.confirm':
        return this.transition(String(body.tid), ['WAIT_SELLER_CONFIRM'], 'WAIT_SELLER_SEND_GOODS', undefined, ok({ success: true }));
      case 'taobao.trade.refuse':
        return this.transition(String(body.tid), ['WAIT_SELLER_CONFIRM'], 'TRADE_CLOSED_BY_SELLER', String(body.reason ?? ''), ok({ success: true }));
      case 'taobao.trade.status.update':
        return this.transition(String(body.tid), ['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS'], String(body.status), undefined, ok({ success: true }));
      case 'taobao.settlement.get':
        return ok({ records: this.settlementRecords(String(body.date ?? '')) });
      default:
        return { status: 404, body: { code: 'NO_SUCH_API', operation } };
    }
  }

  private transition(orderId: string, from: string[], to: string, reason: string | undefined, answer: { status: number; body: unknown }) {
    const order = this.orders.get(orderId);
    if (!order) return { status: 404, body: { code: 'ORDER_NOT_FOUND' } };
    // A repeated answer (the connector retrying after a lost reply) is accepted, as platforms do.
    if (order.state === to) return answer;
    if (!from.includes(order.state)) return { status: 409, body: { code: 'ILLEGAL_STATE', state: order.state } };
    order.state = to;
    order.statusHistory.push(to);
    if (reason !== undefined) order.reason = reason;
    return answer;
  }

  private settlementLines(day: string): { orderId: string; gross: number; commission: number; net: number }[] {
    const bps = this.options.commissionBps ?? 800;
    const lines: { orderId: string; gross: number; commission: number; net: number }[] = [];
    const accepted = ['accepted', 'meal_ready', 'courier_picked_up', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED'];
    for (const order of this.orders.values()) {
      if (new Date(order.createdAt).toISOString().slice(0, 10) !== day || !accepted.includes(order.state)) continue;
      const override = this.settlementOverrides.get(order.orderId) ?? {};
      if (override.omit) continue;
      const gross = override.gross ?? order.total;
      const commission = override.commission ?? Math.floor((gross * bps + 5_000) / 10_000);
      lines.push({ orderId: order.orderId, gross, commission, net: override.net ?? gross - commission });
    }
    for (const extra of this.settlementExtras.filter((line) => line.day === day)) {
      const commission = Math.floor((extra.gross * bps + 5_000) / 10_000);
      lines.push({ orderId: extra.orderId, gross: extra.gross, commission, net: extra.gross - commission });
    }
    return lines;
  }

  private settlementCsv(day: string): string {
    const rows = this.settlementLines(day).map((line) => `${line.orderId},${line.gross},${line.commission},${line.net},CNY`);
    return ['order_id,gross_fen,commission_fen,net_fen,currency', ...rows].join('\n') + '\n';
  }

  private settlementRecords(day: string): unknown[] {
    return this.settlementLines(day).map((line) => ({ tid: line.orderId, total_fee: yuan(line.gross), commission_fee: yuan(line.commission), settle_fee: yuan(line.net), currency: 'CNY' }));
  }

  // Test-only control routes (unsigned), so a test can drive the simulator as a separate process.
  private async control(method: string, url: URL, raw: string, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(400, { code: 'BAD_JSON' });
    }
    const orderMatch = /^\/_sim\/orders\/([^/]+)\/(redeliver|forge|cancel)$/.exec(url.pathname);
    if (method === 'POST' && orderMatch) {
      const order = this.orders.get(decodeURIComponent(orderMatch[1]));
      if (!order) return send(404, { code: 'ORDER_NOT_FOUND' });
      if (orderMatch[2] === 'cancel') {
        await this.cancelOrder(order.orderId, typeof body.reason === 'string' ? body.reason : undefined);
        return send(200, { statuses: [this.webhooks.at(-1)?.status] });
      }
      if (orderMatch[2] === 'forge') {
        const forge = { secret: typeof body.secret === 'string' ? body.secret : undefined, timestamp: Date.now() + Number(body.timestampOffsetMs ?? 0) };
        return send(200, { statuses: [await this.deliverWebhook(order.orderId, this.orderCreatedBody(order), forge)] });
      }
      // The same webhook again, `times` times, all at once: a platform retrying a delivery it thinks was lost.
      const times = Math.min(10, Math.max(1, Number(body.times ?? 1)));
      const statuses = await Promise.all(Array.from({ length: times }, () => this.deliverWebhook(order.orderId, this.orderCreatedBody(order))));
      return send(200, { statuses });
    }
    switch (`${method} ${url.pathname}`) {
      case 'GET /_sim/state':
        return send(200, {
          stock: Object.fromEntries(this.stock),
          prices: Object.fromEntries(this.prices),
          orders: [...this.orders.values()],
          rateLimited: this.rateLimited,
          maxCallsPerSecond: this.maxCallsPerSecond,
          calls: this.calls.length,
          webhooks: this.webhooks,
        });
      case 'GET /_sim/stock-applied':
        return send(200, this.stockApplied);
      case 'POST /_sim/faults':
        this.setFaults(body as { failureRate?: number; maxDelayMs?: number });
        return send(200, { ok: true });
      case 'POST /_sim/webhook-url':
        if (typeof body.url !== 'string') return send(400, { code: 'URL_REQUIRED' });
        this.setWebhookUrl(body.url);
        return send(200, { ok: true });
      case 'POST /_sim/orders': {
        // A buyer orders on the platform; the simulator sends the signed webhook and reports what the connector answered.
        const items = Array.isArray(body.items) ? (body.items as { item: string; qty: number; price: number }[]) : [];
        if (typeof body.store !== 'string' || items.length === 0) return send(400, { code: 'STORE_AND_ITEMS_REQUIRED' });
        const order = await this.placeOrder(body.store, items, { deadlineMinutes: typeof body.deadlineMinutes === 'number' ? body.deadlineMinutes : undefined });
        return send(201, { order: this.orders.get(order.orderId), webhookStatus: this.webhooks.at(-1)?.status });
      }
      case 'POST /_sim/settlement/plant':
        if (typeof body.orderId !== 'string') return send(400, { code: 'ORDER_ID_REQUIRED' });
        this.plantSettlement(body.orderId, body as { gross?: number; commission?: number; net?: number; omit?: boolean });
        return send(200, { ok: true });
      case 'POST /_sim/settlement/extra':
        if (typeof body.orderId !== 'string' || !Number.isInteger(body.gross) || typeof body.day !== 'string') return send(400, { code: 'ORDER_ID_GROSS_DAY_REQUIRED' });
        this.plantExtraSettlement(body.orderId, body.gross as number, body.day);
        return send(200, { ok: true });
      default:
        return send(404, { code: 'NO_SUCH_CONTROL' });
    }
  }
}

/** The platforms' signature: hex HMAC-SHA256 of `appKey\ntimestamp\nbody`. */
export function sign(secret: string, appKey: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${appKey}\n${timestamp}\n${body}`).digest('hex');
}

function ok(body: unknown) {
  return { status: 200, body };
}

function bad(message: string) {
  return { status: 400, body: { code: 'INVALID_PARAMETER', message } };
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
