import { MetricsService } from '@omni/platform';
import { testInfra, uniqueId } from '@omni/testing';
import Redis from 'ioredis';
import type { ChannelPrincipal } from '../src/auth/principal';
import type { CartService } from '../src/cart/cart.service';
import type { GatewayEnv } from '../src/config/gateway.config';
import type { PlaceOrderDto } from '../src/orders/order.dto';
import { OrderGateway } from '../src/orders/order.gateway';
import type { PricingGateway } from '../src/pricing/pricing.gateway';
import { redisKey } from '../src/sold-out/forwarded-order-keys';
import { SoldOutFastPath } from '../src/sold-out/sold-out.fast-path';
import type { SoldOutFeed } from '../src/sold-out/sold-out.feed';
import { SoldOutMetrics } from '../src/sold-out/sold-out.metrics';
import { SoldOutProjection } from '../src/sold-out/sold-out.projection';
import type { Upstreams } from '../src/upstream/upstreams';

/** The order service's answer to every placement here: reserved, with the buyer's time to pay ahead. */
const RESERVED = { id: 'o1', status: 'reserved', paymentDeadline: new Date(Date.now() + 3_600_000).toISOString() };

jest.setTimeout(30_000);

const RETENTION_MS = 3_600_000;

/**
 * OrderGateway.place with the sold-out fast path in front, against a real Redis: the projection is
 * fed directly and the upstreams record what reached them (pricing, member, order).
 */
describe('OrderGateway.place: the sold-out short-circuit and the forwarded-key rule (real Redis)', () => {
  const app = { kind: 'channel', keyId: 'k1', channel: 'app', locationId: null } as ChannelPrincipal;
  const tmall = { ...app, channel: 'tmall' } as ChannelPrincipal;
  const prefix = `${uniqueId('sold-out-place')}:`;
  let redis: Redis;
  let reached: string[];
  let projection: SoldOutProjection;
  let feed: { answering: boolean };
  let env: Pick<GatewayEnv, 'SOLD_OUT_FAST_PATH' | 'SOLD_OUT_KEY_RETENTION_MS'>;
  let metrics: MetricsService;
  let gateway: OrderGateway;

  const body = (skus: string[]): PlaceOrderDto =>
    ({ buyer: { anonymous: true }, lines: skus.map((sku) => ({ sku, quantity: 1 })), fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } } }) as PlaceOrderDto;

  /** An OrderGateway whose fast path uses `client`, with upstreams that record every call. */
  function gatewayWith(client: Redis): OrderGateway {
    const upstreams = {
      order: { call: async (req: { method: string; path: string; headers: Record<string, string> }) => (reached.push(`order ${req.method} ${req.path} ${req.headers['idempotency-key']}`), { status: 201, body: RESERVED }) },
      member: { call: async (req: { path: string }) => (reached.push(`member ${req.path}`), { status: 200, body: [] }) },
    } as unknown as Upstreams;
    const cart = { channelLines: (_p: ChannelPrincipal, lines: Array<{ sku: string; quantity: number }>) => lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) } as unknown as CartService;
    const pricing = {
      unitPrices: async (_channel: string, _location: string | null, skus: string[]) => (reached.push(`pricing ${skus.join(',')}`), new Map(skus.map((sku) => [sku, { unit: { amount: 1000, currency: 'CNY' } }]))),
      storedQuote: async () => (reached.push('pricing quote'), null),
    } as unknown as PricingGateway;
    const fastPath = new SoldOutFastPath(env as GatewayEnv, client, projection, feed as SoldOutFeed, new SoldOutMetrics(metrics));
    return new OrderGateway(upstreams, cart, pricing, fastPath, { ORDER_PLACE_TIMEOUT_MS: 10_000 });
  }

  const changed = (sku: string, version: number, atp: Record<string, number>) =>
    projection.apply({ sku, version, atp: Object.entries(atp).map(([channel, available]) => ({ channel, available })) });

  beforeAll(async () => {
    redis = new Redis(testInfra.redisUrl, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    // Connected before the first test: the record's 250 ms budget must not pay for the connection
    // (on a busy machine it did, and the check answered "unknown").
    await redis.ping();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  beforeEach(() => {
    reached = [];
    projection = new SoldOutProjection();
    feed = { answering: true };
    env = { SOLD_OUT_FAST_PATH: true, SOLD_OUT_KEY_RETENTION_MS: RETENTION_MS };
    metrics = new MetricsService('gateway');
    gateway = gatewayWith(redis);
  });

  it('refuses a sold-out line with 409 SOLD_OUT naming each such line, before any upstream call, and records no key', async () => {
    changed('TEA', 1, { app: 0, tmall: 2 });
    changed('CUP', 4, { app: 0 });
    const key = uniqueId('refused');
    await expect(gateway.place(app, undefined, body(['TEA', 'POT', 'CUP']), key)).rejects.toMatchObject({
      httpStatus: 409,
      code: 'SOLD_OUT',
      message: 'Sold out on channel app: TEA, CUP',
      details: [
        { field: 'lines.0.sku', reason: 'SKU TEA is sold out on channel app' },
        { field: 'lines.2.sku', reason: 'SKU CUP is sold out on channel app' },
      ],
    });
    expect(reached).toEqual([]);
    expect(await redis.exists(redisKey(`app:${key}`))).toBe(0);
    expect(await metrics.registry.getSingleMetricAsString('gateway_orders_sold_out_total')).toContain('gateway_orders_sold_out_total{channel="app",service="gateway"} 1');
  });

  it('places an order whose SKUs are not sold out on its channel (unknown SKU, other channel, ATP left), recording its key for the retention', async () => {
    changed('TEA', 1, { app: 0, tmall: 2 });
    changed('POT', 1, { app: 5 });
    const key = uniqueId('placed');
    expect(await gateway.place(tmall, undefined, body(['TEA', 'NEW-SKU']), key)).toEqual({ status: 201, body: RESERVED });
    expect(await gateway.place(app, undefined, body(['POT', 'NEW-SKU']), `${key}-2`)).toMatchObject({ status: 201 });
    expect(reached).toEqual(['pricing TEA,NEW-SKU', `order POST orders tmall:${key}`, 'pricing POT,NEW-SKU', `order POST orders app:${key}-2`]);
    const ttl = await redis.pttl(redisKey(`tmall:${key}`));
    expect(ttl).toBeGreaterThan(RETENTION_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(RETENTION_MS);
  });

  it('forwards a retry of a key that went on before, though its SKU is sold out now: the order service replays its answer', async () => {
    const key = uniqueId('retried');
    await gateway.place(app, undefined, body(['TEA']), key);
    changed('TEA', 2, { app: 0 });
    reached = [];
    expect(await gateway.place(app, undefined, body(['TEA']), key)).toMatchObject({ status: 201 });
    expect(reached).toEqual(['pricing TEA', `order POST orders app:${key}`]);
    // The same key on another channel is another key: never forwarded, so refused.
    const other = gatewayWith(redis);
    changed('TEA', 3, { app: 0, tmall: 0 });
    await expect(other.place(tmall, undefined, body(['TEA']), key)).rejects.toMatchObject({ code: 'SOLD_OUT' });
  });

  it('judges a refused key afresh on its retry: 409 while sold out, placed once stock came back', async () => {
    const key = uniqueId('afresh');
    changed('TEA', 1, { app: 0 });
    await expect(gateway.place(app, undefined, body(['TEA']), key)).rejects.toMatchObject({ code: 'SOLD_OUT' });
    await expect(gateway.place(app, undefined, body(['TEA']), key)).rejects.toMatchObject({ code: 'SOLD_OUT' });
    changed('TEA', 2, { app: 1 });
    expect(await gateway.place(app, undefined, body(['TEA']), key)).toMatchObject({ status: 201 });
    expect(reached).toEqual(['pricing TEA', `order POST orders app:${key}`]);
  });

  it('forwards everything while the projection does not answer (its consumer out of its group) or the fast path is off', async () => {
    changed('TEA', 1, { app: 0 });
    feed.answering = false;
    expect(await gateway.place(app, undefined, body(['TEA']), uniqueId('not-answering'))).toMatchObject({ status: 201 });
    feed.answering = true;
    env.SOLD_OUT_FAST_PATH = false;
    const key = uniqueId('off');
    expect(await gateway.place(app, undefined, body(['TEA']), key)).toMatchObject({ status: 201 });
    // Off records nothing either.
    expect(await redis.exists(redisKey(`app:${key}`))).toBe(0);
  });

  it('forwards a sold-out order when Redis cannot tell whether its key went on before, and counts the failure', async () => {
    // A real client of a Redis that is not there: every command fails.
    const gone = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const unsure = gatewayWith(gone);
      changed('TEA', 1, { app: 0 });
      expect(await unsure.place(app, undefined, body(['TEA']), uniqueId('no-redis'))).toMatchObject({ status: 201 });
      expect(await unsure.place(app, undefined, body(['POT']), uniqueId('no-redis'))).toMatchObject({ status: 201 });
      const failures = await metrics.registry.getSingleMetricAsString('gateway_sold_out_key_failures_total');
      expect(failures).toContain('gateway_sold_out_key_failures_total{op="check",service="gateway"} 1');
      expect(failures).toContain('gateway_sold_out_key_failures_total{op="record",service="gateway"} 1');
    } finally {
      gone.disconnect();
    }
  });
});
