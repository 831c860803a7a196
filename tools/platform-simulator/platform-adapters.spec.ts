// Both adapters against the simulator over real HTTP on 127.0.0.1: what the connector sends is what
// the platform applies, its refusals come back typed, and its webhooks verify (or not) as they should.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformAdapter, WebhookVerdict } from '../../apps/o2o-connector/src/domain/platform-adapter.port';
import { DeliveryPlatformAdapter } from '../../apps/o2o-connector/src/platforms/delivery-platform.adapter';
import { MarketplaceAdapter } from '../../apps/o2o-connector/src/platforms/marketplace.adapter';
import { PlatformSimulator, type SimulatedShape } from './platform-simulator';

interface Rig {
  simulator: PlatformSimulator;
  adapter: PlatformAdapter;
  verdicts: WebhookVerdict[];
  receiver: Server;
}

async function rig(shape: SimulatedShape, options: { ratePerSecond?: number; failureRate?: number } = {}): Promise<Rig> {
  const simulator = new PlatformSimulator({ shape, appKey: `${shape}-key`, secret: `${shape}-secret`, ratePerSecond: options.ratePerSecond ?? 1_000, failureRate: options.failureRate, commissionBps: 800 });
  const url = await simulator.start();
  const endpoint = { baseUrl: url, appKey: `${shape}-key`, secret: `${shape}-secret`, timeoutMs: 2_000, webhookMaxSkewMs: 300_000 };
  const adapter = shape === 'delivery' ? new DeliveryPlatformAdapter('eleme', endpoint) : new MarketplaceAdapter('tmall', endpoint);
  const verdicts: WebhookVerdict[] = [];
  // A stand-in for the connector's webhook route: verify, record, answer 200 or 401.
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const verdict = adapter.verifyWebhook({ headers: req.headers as Record<string, string>, rawBody: Buffer.concat(chunks).toString('utf8') }, new Date());
      verdicts.push(verdict);
      res.writeHead(verdict.ok ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  simulator.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`);
  return { simulator, adapter, verdicts, receiver };
}

async function close(r: Rig): Promise<void> {
  await r.simulator.stop();
  await new Promise<void>((resolve) => r.receiver.close(() => resolve()));
}

describe.each(['delivery', 'marketplace'] as const)('%s adapter against the simulator', (shape) => {
  let r: Rig;
  beforeEach(async () => (r = await rig(shape)));
  afterEach(() => close(r));

  it('pushes stock: every value lands per item and store, in as many calls as the API shape needs', async () => {
    const updates = ['i1', 'i2', 'i3'].map((platformSku, i) => ({ platformSku, platformStore: 'S1', quantity: 10 + i, version: 5 }));
    expect(await r.adapter.pushStock(updates)).toEqual({ ok: true, value: undefined });
    expect(Object.fromEntries([...r.simulator.stock].map(([key, value]) => [key, value.quantity]))).toEqual({ 'S1|i1': 10, 'S1|i2': 11, 'S1|i3': 12 });
    expect(r.simulator.calls.length).toBe(shape === 'delivery' ? 3 : 1);
  });

  it('pushes a price in the platform’s money format', async () => {
    expect((await r.adapter.pushPrice({ platformSku: 'i1', amount: 1_299, currency: 'CNY', version: 2 })).ok).toBe(true);
    expect(r.simulator.prices.get('i1')?.amount).toBe(1_299);
  });

  it('a platform order webhook verifies and parses; accept, status updates and a reject land in the platform’s states', async () => {
    const order = await r.simulator.placeOrder('S1', [{ item: 'i1', qty: 2, price: 550 }]);
    expect(r.verdicts).toEqual([
      {
        ok: true,
        event: {
          kind: 'order-created',
          order: expect.objectContaining({ platformOrderId: order.orderId, platformStore: 'S1', lines: [{ platformSku: 'i1', quantity: 2, unitAmount: 550 }], totalAmount: 1_100 }),
        },
      },
    ]);
    if (shape === 'delivery') expect((r.verdicts[0] as { event: { order: { acceptBy?: string } } }).event.order.acceptBy).toMatch(/Z$/);
    expect((await r.adapter.acceptOrder(order.orderId)).ok).toBe(true);
    expect((await r.adapter.acceptOrder(order.orderId)).ok).toBe(true); // a retry after a lost answer
    expect((await r.adapter.updateOrderStatus(order.orderId, 'ready')).ok).toBe(true);
    expect((await r.adapter.updateOrderStatus(order.orderId, 'picked-up')).ok).toBe(true);
    expect(r.simulator.orders.get(order.orderId)!.state).toBe(shape === 'delivery' ? 'courier_picked_up' : 'WAIT_BUYER_CONFIRM_GOODS');
    const refused = await r.simulator.placeOrder('S1', [{ item: 'i9', qty: 1, price: 100 }]);
    expect((await r.adapter.rejectOrder(refused.orderId, 'unknown item i9')).ok).toBe(true);
    expect(r.simulator.orders.get(refused.orderId)).toMatchObject({ reason: 'unknown item i9' });
    const late = await r.adapter.acceptOrder(refused.orderId);
    expect(late).toMatchObject({ ok: false, failure: { kind: 'refused' } });
  });

  it('a cancellation webhook parses as order-cancelled', async () => {
    const order = await r.simulator.placeOrder('S1', [{ item: 'i1', qty: 1, price: 100 }]);
    await r.simulator.cancelOrder(order.orderId, 'changed my mind');
    expect(r.verdicts[1]).toEqual({ ok: true, event: { kind: 'order-cancelled', platformOrderId: order.orderId, reason: 'changed my mind' } });
  });

  it.each([
    ['forged', { secret: 'not-the-secret' }],
    ['stale', { timestamp: Date.now() - 600_000 }],
  ])('a %s webhook is refused', async (reason, forge) => {
    const order = await r.simulator.placeOrder('S1', [{ item: 'i1', qty: 1, price: 100 }]);
    const status = await r.simulator.deliverWebhook(order.orderId, r.simulator.orderCreatedBody(order), forge);
    expect(status).toBe(401);
    expect(r.verdicts.at(-1)).toEqual({ ok: false, reason });
  });

  it('fetches the day’s settlement in our units, with planted discrepancies as stated', async () => {
    const a = await r.simulator.placeOrder('S1', [{ item: 'i1', qty: 1, price: 1_000 }]);
    const b = await r.simulator.placeOrder('S1', [{ item: 'i1', qty: 3, price: 333 }]);
    await r.adapter.acceptOrder(a.orderId);
    await r.adapter.acceptOrder(b.orderId);
    const day = new Date().toISOString().slice(0, 10);
    r.simulator.plantSettlement(b.orderId, { commission: 1 });
    r.simulator.plantExtraSettlement('X-1', 500, day);
    const result = await r.adapter.fetchSettlement(day);
    expect(result).toEqual({
      ok: true,
      value: [
        { platformOrderId: a.orderId, grossAmount: 1_000, commissionAmount: 80, netAmount: 920, currency: 'CNY' },
        { platformOrderId: b.orderId, grossAmount: 999, commissionAmount: 1, netAmount: 998, currency: 'CNY' },
        { platformOrderId: 'X-1', grossAmount: 500, commissionAmount: 40, netAmount: 460, currency: 'CNY' },
      ],
    });
  });
});

describe('the simulator’s refusals come back typed', () => {
  it('over its rate limit: 429 → rate-limited with the Retry-After', async () => {
    const r = await rig('delivery', { ratePerSecond: 2 });
    try {
      const results = [];
      for (let i = 0; i < 3; i += 1) results.push(await r.adapter.pushPrice({ platformSku: 'i1', amount: 100 + i, currency: 'CNY', version: i + 1 }));
      expect(results.map((result) => result.ok)).toEqual([true, true, false]);
      expect(results[2]).toMatchObject({ ok: false, failure: { kind: 'rate-limited' } });
      const retryAfterMs = (results[2] as { failure: { retryAfterMs: number } }).failure.retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(1_000);
      expect(r.simulator.rateLimited).toBe(1);
    } finally {
      await close(r);
    }
  });

  it('failing every call: 503 → unavailable, and nothing applied', async () => {
    const r = await rig('marketplace', { failureRate: 1 });
    try {
      expect(await r.adapter.pushStock([{ platformSku: 'i1', platformStore: 'W1', quantity: 1, version: 1 }])).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
      expect(r.simulator.stock.size).toBe(0);
    } finally {
      await close(r);
    }
  });

  it('a request signed with the wrong secret is 401 → refused', async () => {
    const r = await rig('delivery');
    try {
      const wrong = new DeliveryPlatformAdapter('eleme', { baseUrl: r.simulator.url, appKey: 'delivery-key', secret: 'wrong', timeoutMs: 2_000, webhookMaxSkewMs: 1 });
      expect(await wrong.pushPrice({ platformSku: 'i1', amount: 1, currency: 'CNY', version: 1 })).toMatchObject({ ok: false, failure: { kind: 'refused' } });
      expect(r.simulator.prices.size).toBe(0);
    } finally {
      await close(r);
    }
  });
});
