import { signPayment, type ServiceCredentials } from '@omni/platform';
import type { OrderOutcome, OrderRequest } from '../domain/order-intake.decider';

/** What the order service answered: its order, a refusal of the request (4xx), or that it could not answer now. */
export type OrderCall = { ok: true; order: OrderOutcome } | { ok: false; refused: true; status: number; body: Record<string, unknown> } | { ok: false; refused: false; detail: string };

/** The order service's internal HTTP API, as the connector uses it (never its tables). */
export class OrderServiceClient {
  /** `baseUrl` of the order service; `paymentSecret` signs the platform's payments like a provider's callbacks; `credentials` admit the connector to order's internal routes. */
  constructor(
    private readonly baseUrl: string,
    private readonly paymentSecret: string,
    private readonly credentials: ServiceCredentials,
    private readonly timeoutMs = 10_000,
  ) {}

  /** POST /orders under an Idempotency-Key: the same key answers the same order. */
  create(request: OrderRequest, idempotencyKey: string): Promise<OrderCall> {
    return this.call('POST', '/orders', request, { 'idempotency-key': idempotencyKey });
  }

  /** GET /orders/:id. */
  get(orderId: string): Promise<OrderCall> {
    return this.call('GET', `/orders/${encodeURIComponent(orderId)}`);
  }

  /** Cancels an order before payment (the platform did not take our acceptance). */
  cancelUnpaid(orderId: string): Promise<OrderCall> {
    return this.call('POST', `/orders/${encodeURIComponent(orderId)}/cancel`, {});
  }

  /** Cancels an order on its channel's word (the platform cancelled it), paid or not. */
  cancelByChannel(orderId: string, reason: string): Promise<OrderCall> {
    return this.call('POST', `/orders/${encodeURIComponent(orderId)}/channel-cancel`, { reason });
  }

  /** Reports the platform's payment of an order through the payment callback (idempotent by reference). */
  async pay(order: OrderOutcome, paymentRef: string, paidAt: string): Promise<{ ok: true } | { ok: false; refused: boolean; detail: string }> {
    const fields = { orderId: order.id, paymentRef, amount: order.payable, currency: order.currency, paidAt };
    const result = await this.raw('POST', '/payments/callback', { orderId: order.id, paymentRef, amount: { amount: order.payable, currency: order.currency }, paidAt }, {
      'x-payment-signature': signPayment(this.paymentSecret, fields),
    });
    if (result.status === 200) return { ok: true };
    return { ok: false, refused: result.status >= 400 && result.status < 500 && result.status !== 409, detail: `HTTP ${result.status} ${JSON.stringify(result.body).slice(0, 200)}` };
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<OrderCall> {
    const result = await this.raw(method, path, body, headers);
    if (result.status === 200 || result.status === 201 || result.status === 202) return { ok: true, order: result.body as unknown as OrderOutcome };
    // 408, 409 (a request still in flight under the key), 429 and 5xx: ask again later.
    if (result.status >= 400 && result.status < 500 && ![408, 409, 429].includes(result.status)) return { ok: false, refused: true, status: result.status, body: result.body };
    return { ok: false, refused: false, detail: `HTTP ${result.status} ${JSON.stringify(result.body).slice(0, 200)}` };
  }

  private async raw(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers, ...this.credentials.headerFor('order') },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { message: text.slice(0, 200) };
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      return { status: 0, body: { message: (error as Error).message } };
    }
  }
}
