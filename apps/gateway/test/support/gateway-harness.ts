import { serviceAuthHeadersForUrl } from '@omni/platform/testing';
import { createKafka, TopicAdmin, TopicNames } from '@omni/messaging';
import { PRODUCT_CHANGED, type ProductSnapshot } from '@omni/contracts';
import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { AppModule } from '../../src/app.module';
import { MemberTokenService } from '../../src/auth/member-token.service';
import { GATEWAY_APP_OPTIONS } from '../../src/gateway-app.options';
import { StaffTokenService } from '../../src/auth/staff-token.service';
import type { StaffRole } from '../../src/auth/principal';
import { UpstreamStub, type StubCall, type StubHandler } from './upstream-stub';

/** The store the POS key is bound to, and another store. */
export const STORE = '01936d2a-0000-7000-8000-00000000a001';
export const OTHER_STORE = '01936d2a-0000-7000-8000-00000000a002';
export const CATEGORY_TEA = '01936d2a-0000-7000-8000-00000000c001';
export const CATEGORY_ROOT = '01936d2a-0000-7000-8000-00000000c000';
export const P_TEA = '01936d2a-0000-7000-8000-0000000000b1';
export const P_APP_ONLY = '01936d2a-0000-7000-8000-0000000000b2';
export const P_HIDDEN = '01936d2a-0000-7000-8000-0000000000b3';
export const ORDER_APP = '01936d2a-0000-7000-8000-0000000000d1';
export const ORDER_POS = '01936d2a-0000-7000-8000-0000000000d2';
export const ORDER_OTHER_STORE = '01936d2a-0000-7000-8000-0000000000d3';

/** Channel keys seeded through DEV_API_KEYS. */
export const KEYS = {
  app: 'test-app-key-0000000000000001',
  pos: 'test-pos-key-0000000000000002',
  tmall: 'test-tmall-key-00000000000003',
} as const;

/** Per-channel unit price of the first SKU; every channel's figure is distinct so a leak is visible. */
export const CHANNEL_PRICE: Record<string, number> = { app: 9900, 'pos-sh01': 20900, tmall: 31900 };
const SKU_STEP = 100;
const LIST_PRICE = 50000;
const SKUS = ['TEA-250', 'TEA-500', 'APP-ONLY-1', 'HIDDEN-1'];

/** The price the stub answers for `sku` on `channel`. */
export function priceOf(channel: string, sku: string): number {
  return (CHANNEL_PRICE[channel] ?? LIST_PRICE) + SKUS.indexOf(sku) * SKU_STEP;
}

function product(title: string, skus: string[], channels: ProductSnapshot['channels'], tags: string[]): ProductSnapshot {
  return {
    title,
    brand: 'West Lake',
    categoryIds: [CATEGORY_TEA],
    categoryAncestry: [CATEGORY_TEA, CATEGORY_ROOT],
    tags,
    media: [{ kind: 'image', url: 'https://img.example/tea.jpg', position: 0 }],
    skus: skus.map((sku) => ({ sku, attributes: { size: sku } })),
    channels,
  };
}

const online = { stockHint: { kind: 'online' as const, lowStockThreshold: 5 }, badges: ['channel-price'] };
const store = { stockHint: { kind: 'store' as const }, badges: ['store-pickup'] };

/** The catalog export the stub serves (what the gateway's cache loads at start). */
export const PRODUCTS: Array<{ productId: string; version: number; product: ProductSnapshot }> = [
  {
    productId: P_TEA,
    version: 4,
    product: product('Longjing green tea', ['TEA-250', 'TEA-500'], [
      { channel: 'app', visible: true, title: 'Longjing (app price)', displayProfile: 'online', display: online },
      { channel: 'pos-sh01', visible: true, displayProfile: 'store', display: store },
      { channel: 'tmall', visible: true, displayProfile: 'online', display: online },
    ], ['green', 'spring']),
  },
  {
    productId: P_APP_ONLY,
    version: 1,
    product: product('App-only sampler', ['APP-ONLY-1'], [{ channel: 'app', visible: true, displayProfile: 'online', display: online }], ['sampler']),
  },
  {
    productId: P_HIDDEN,
    version: 2,
    product: product('Retired tea', ['HIDDEN-1'], [
      { channel: 'app', visible: false },
      { channel: 'pos-sh01', visible: false },
    ], ['green']),
  },
];

const ORDERS: Record<string, { id: string; channel: string; status: string; fulfilment: { type: string; locationId?: string } }> = {
  [ORDER_APP]: { id: ORDER_APP, channel: 'app', status: 'paid', fulfilment: { type: 'pickup', locationId: STORE } },
  [ORDER_POS]: { id: ORDER_POS, channel: 'pos-sh01', status: 'paid', fulfilment: { type: 'pickup', locationId: STORE } },
  [ORDER_OTHER_STORE]: { id: ORDER_OTHER_STORE, channel: 'app', status: 'paid', fulfilment: { type: 'pickup', locationId: OTHER_STORE } },
};

/** The order service's return status after each disposition it takes. */
const RETURN_STATUS_AFTER: Record<string, string> = { restock: 'restocked', outlet: 'outlet', 'write-off': 'written_off' };

function route(method: string, pattern: RegExp, answer: (call: StubCall, match: RegExpExecArray) => { status: number; body?: unknown }): StubHandler {
  return (call) => {
    if (call.method !== method) return undefined;
    const match = pattern.exec(call.path);
    return match ? answer(call, match) : undefined;
  };
}

/** The member the stub member service knows (every member route answers for it). */
export const MEMBER_A = '01936d2a-0000-7000-8000-0000000000a7';
const STUB_REFRESH = `mrt_${'r'.repeat(43)}`;

/** The stub member service: one member, one session, every sign-in call accepted. */
function memberUpstream(): StubHandler[] {
  const profile = { memberId: MEMBER_A, tier: 'silver', tierPeriodEnd: '2027-01-01T00:00:00.000Z', benefits: { tierPrice: true }, phone: '*******8000', name: 'Zhang Wei', points: { balance: 120, frozen: 0, available: 120 }, accounts: [] };
  const session = { memberId: MEMBER_A, channel: 'app', refreshToken: STUB_REFRESH, refreshExpiresAt: '2027-01-01T00:00:00.000Z' };
  return [
    route('GET', /^\/internal\/members\/([^/]+)$/, () => ({ status: 200, body: profile })),
    route('GET', /^\/internal\/members\/([^/]+)\/points\/history$/, () => ({ status: 200, body: { memberId: MEMBER_A, items: [{ seq: 1, kind: 'earn', delta: 120, ref: 'o1', at: '2026-01-01T00:00:00.000Z' }], nextBefore: null } })),
    route('GET', /^\/internal\/members\/([^/]+)\/(coupons|gift-cards)$/, () => ({ status: 200, body: [] })),
    route('POST', /^\/internal\/members\/lookup$/, () => ({ status: 200, body: { memberId: MEMBER_A } })),
    route('POST', /^\/internal\/sign-in\/otp$/, () => ({ status: 202, body: { challengeId: 'c1', expiresAt: '2027-01-01T00:00:00.000Z', resendAfterSeconds: 30 } })),
    route('POST', /^\/internal\/sign-in\/otp\/verify$/, () => ({ status: 200, body: { ...session, registered: false } })),
    route('POST', /^\/internal\/sessions\/refresh$/, () => ({ status: 200, body: session })),
    route('POST', /^\/internal\/sessions\/revoke$/, () => ({ status: 200, body: { revoked: true } })),
    route('POST', /^\/internal\/store-logins\/redeem$/, () => ({ status: 200, body: { memberId: MEMBER_A, tier: 'silver', displayName: 'Z**' } })),
    route('GET', /^\/orders$/, (call) => ({ status: 200, body: { memberId: call.query.memberId, items: [], nextBefore: null } })),
  ];
}

/** The one payment signature the stub order service accepts (the real one checks an HMAC). */
export const VALID_PAYMENT_SIGNATURE = 'a'.repeat(64);

/** Id of the quote the stub pricing has stored (for any channel that asks). */
export const STORED_QUOTE_ID = '01936d2a-0000-7000-8000-0000000000c1';
/** Id of a stored quote whose 3.00 off comes from the coupon code STORED_QUOTE_COUPON (a wallet coupon's code). */
export const STORED_COUPON_QUOTE_ID = '01936d2a-0000-7000-8000-0000000000c2';
export const STORED_QUOTE_COUPON = 'MEMBER-DAY-3';

/** The stub's default behaviour: a healthy catalog export, pricing, inventory and order service. */
export function healthyUpstreams(): StubHandler[] {
  return [
    ...memberUpstream(),
    route('GET', /^\/internal\/products\/export$/, () => ({ status: 200, body: { items: PRODUCTS, nextAfter: null, highWaterMark: 10 } })),
    route('GET', /^\/internal\/prices\/([^/]+)$/, (call, m) => {
      const sku = decodeURIComponent(m[1]);
      if (!SKUS.includes(sku)) return { status: 404, body: { code: 'PRICE_NOT_FOUND', message: `no price for ${sku}` } };
      const price = priceOf(call.query.channel, sku);
      return {
        status: 200,
        body: { sku, channel: call.query.channel, currency: 'CNY', listPrice: LIST_PRICE + SKUS.indexOf(sku) * SKU_STEP, listPriceSource: 'channel-price', unitPrice: price, effectivePrice: price, pricedAt: new Date().toISOString() },
      };
    }),
    route('POST', /^\/internal\/quotes$/, (call) => {
      const body = call.body as { channel: string; lines: Array<{ sku: string; quantity: number }> };
      const lines = body.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: priceOf(body.channel, l.sku), lineSubtotal: priceOf(body.channel, l.sku) * l.quantity }));
      const total = lines.reduce((sum, l) => sum + l.lineSubtotal, 0);
      return { status: 200, body: { currency: 'CNY', channel: body.channel, lines, subtotal: total, discountTotal: 0, total } };
    }),
    // The one stored quote: one TEA-250 at the asking channel's price, 5.00 off by a promotion.
    // The stored quotes: one TEA-250 at the asking channel's price, 5.00 off by a promotion, or 3.00 off by a coupon.
    route('GET', /^\/internal\/quotes\/([^/]+)$/, (call, m) => {
      const quoteId = decodeURIComponent(m[1]);
      if (quoteId !== STORED_QUOTE_ID && quoteId !== STORED_COUPON_QUOTE_ID) return { status: 404, body: { code: 'QUOTE_NOT_FOUND', message: 'no such quote' } };
      const unitPrice = priceOf(call.query.channel, 'TEA-250');
      const discount =
        quoteId === STORED_QUOTE_ID
          ? { ruleId: 'spring-tea-5', kind: 'percent-off', amount: 500, explanation: '5.00 off' }
          : { ruleId: 'member-day', kind: 'cash', amount: 300, couponCode: STORED_QUOTE_COUPON, explanation: '3.00 off' };
      const lines = [{ sku: 'TEA-250', quantity: 1, unitPrice, lineSubtotal: unitPrice, discounts: [discount], discountTotal: discount.amount, finalLineTotal: unitPrice - discount.amount }];
      const expiresAt = new Date(Date.now() + 600_000).toISOString();
      return { status: 200, body: { quoteId, channel: call.query.channel, currency: 'CNY', expiresAt, lines, subtotal: unitPrice, discountTotal: discount.amount, total: unitPrice - discount.amount } };
    }),
    route('GET', /^\/internal\/availability\/([^/]+)$/, (call, m) => {
      const sku = decodeURIComponent(m[1]);
      if (call.query.profile === 'store') {
        if (!call.query.location) return { status: 400, body: { code: 'VALIDATION_FAILED', message: 'location is required' } };
        return { status: 200, body: { sku, channel: call.query.channel, atp: 7, hint: { code: 'IN_STOCK_HERE', quantity: 7, text: 'In stock here' } } };
      }
      return { status: 200, body: { sku, channel: call.query.channel, atp: 3, hint: { code: 'ONLY_N_LEFT', quantity: 3, text: 'Only 3 left' } } };
    }),
    route('POST', /^\/orders$/, (call) => ({ status: 201, body: { id: '01936d2a-0000-7000-8000-0000000000e1', status: 'pending', ...(call.body as object) } })),
    route('GET', /^\/orders\/([^/]+)$/, (_call, m) => {
      const order = ORDERS[decodeURIComponent(m[1])];
      return order ? { status: 200, body: order } : { status: 404, body: { code: 'ORDER_NOT_FOUND', message: 'no such order' } };
    }),
    route('POST', /^\/orders\/([^/]+)\/(cancel|returns|complete|picking|ready-for-pickup|ship)$/, (_call, m) => ({ status: m[2] === 'returns' ? 201 : 200, body: { id: m[1], done: m[2] } })),
    route('POST', /^\/orders\/([^/]+)\/returns\/([^/]+)\/disposition$/, (call, m) => ({
      status: 200,
      body: { id: m[2], orderId: m[1], status: RETURN_STATUS_AFTER[(call.body as { disposition: string }).disposition] ?? 'unknown' },
    })),
    // Back-office relays: the stub accepts every write.
    // The payment provider's callback: the stub order service accepts only the signature VALID_PAYMENT_SIGNATURE.
    route('POST', /^\/payments\/callback$/, (call) =>
      call.headers['x-payment-signature'] === VALID_PAYMENT_SIGNATURE
        ? { status: 200, body: { outcome: 'captured', orderId: (call.body as { orderId: string }).orderId } }
        : { status: 401, body: { code: 'PAYMENT_SIGNATURE_INVALID', message: 'the payment callback signature does not verify' } },
    ),
    (call) =>
      /^\/internal\/(products|stock|base-prices|channel-prices|rules|coupon-templates|categories|brands|display-profiles|stores|locations|owners|allocations|thresholds)(\/|$)/.test(call.path)
        ? { status: call.method === 'POST' ? 201 : 200, body: { relayed: `${call.method} ${call.path}` } }
        : undefined,
    // The O2O connector's staff API: every call answered (deletes with 204).
    (call) =>
      /^\/internal\/(platforms|reconciliations)\//.test(call.path)
        ? call.method === 'DELETE'
          ? { status: 204, body: undefined }
          : { status: call.method === 'POST' && call.path.endsWith('/reconciliations') ? 201 : 200, body: { relayed: `${call.method} ${call.path}` } }
        : undefined,
  ];
}

/** A running gateway with its database, stub upstreams and helpers. */
export interface GatewayUnderTest {
  service: TestService;
  url: string;
  stub: UpstreamStub;
  db: TestDatabase;
  env: Record<string, string>;
  /** A member token for `memberId` on `channel`, signed with the gateway's secret. */
  memberToken(memberId: string, channel?: string, ttlSeconds?: number): string;
  /** A store login code for `memberId`, signed with the gateway's secret. */
  storeLoginCode(memberId: string, ttlSeconds?: number): string;
  /** A staff token for `roles`, signed with the gateway's secret. */
  staffToken(roles: StaffRole[], ttlSeconds?: number): string;
  close(): Promise<void>;
}

/** Creates the product-changed topic of a prefix and waits until it serves offsets. */
async function ensureProductTopic(label: string, topicPrefix: string): Promise<void> {
  const kafka = createKafka({ clientId: `${label}-setup`, brokers: testInfra.kafkaBrokers });
  const admin = new TopicAdmin(kafka, new TopicNames(topicPrefix));
  // Topic creation can time out on a busy broker; it only creates what is missing, so retry it.
  await waitFor(async () => (await admin.ensureTopics([PRODUCT_CHANGED], { partitions: 1 }), true), { timeoutMs: 30_000, intervalMs: 250, what: 'the product-changed topic' });
  await admin.close();
  // A just-created topic may not serve metadata for a moment; the catalog cache reads its offsets at start.
  const probe = kafka.admin();
  await probe.connect();
  try {
    const topic = new TopicNames(topicPrefix).physical(PRODUCT_CHANGED.topic);
    await waitFor(async () => (await probe.fetchTopicOffsets(topic)).length > 0, { timeoutMs: 15_000, intervalMs: 100, what: `offsets of ${topic}` });
  } finally {
    await probe.disconnect();
  }
}

/** Starts the stub upstreams and the production AppModule against a fresh database, Redis prefix and topic prefix. */
export async function startGateway(
  label: string,
  extraEnv: Record<string, string> = {},
  options: { waitForCatalog?: boolean; prepare?: (stub: UpstreamStub) => void; topicPrefix?: string } = {},
): Promise<GatewayUnderTest> {
  const stub = new UpstreamStub(healthyUpstreams());
  options.prepare?.(stub);
  await stub.start();
  const db = await createTestDatabase(label);
  const topicPrefix = options.topicPrefix ?? uniqueTopicPrefix(label);
  if (!options.topicPrefix) await ensureProductTopic(label, topicPrefix);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId(label)}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'fatal',
    CATALOG_URL: stub.url,
    INVENTORY_URL: stub.url,
    ORDER_URL: stub.url,
    MEMBER_URL: stub.url,
    PRICING_URL: stub.url,
    O2O_CONNECTOR_URL: stub.url,
    UPSTREAM_TIMEOUT_MS: '400',
    ORDER_PLACE_TIMEOUT_MS: '800',
    RATE_LIMIT_PER_MINUTE: '100000',
    DEV_API_KEYS: `app=${KEYS.app},pos-sh01@${STORE}=${KEYS.pos},tmall=${KEYS.tmall}`,
    ...extraEnv,
  };
  let service: TestService;
  try {
    service = await startServiceForTest(AppModule, env, GATEWAY_APP_OPTIONS);
  } catch (error) {
    await stub.stop();
    await db.drop();
    throw error;
  }
  if (options.waitForCatalog ?? true) {
    // The catalog copy loads in the background; product routes answer 503 until it has.
    await waitFor(async () => (await call(`${service.url}/products?limit=1`, { headers: { 'x-api-key': KEYS.app } })).status === 200, {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'the gateway catalog copy to load',
    });
  }
  const tokens = service.app.get(StaffTokenService);
  const memberTokens = service.app.get(MemberTokenService);
  return {
    service,
    url: service.url,
    stub,
    db,
    env,
    memberToken: (memberId, channel = 'app', ttlSeconds) => memberTokens.signAccess(memberId, channel, ttlSeconds).accessToken,
    storeLoginCode: (memberId, ttlSeconds) => memberTokens.signStoreLogin(memberId, ttlSeconds).code,
    staffToken: (roles, ttlSeconds) => tokens.sign(`staff-${roles.join('+') || 'none'}`, roles, ttlSeconds),
    close: async () => {
      await service.close();
      await stub.stop();
      await db.drop();
    },
  };
}

/** An HTTP answer, parsed. */
export interface Answer {
  status: number;
  headers: Headers;
  body: { code?: string; message?: string; details?: Array<{ field: string; reason: string }> } & Record<string, unknown>;
  text: string;
}

/** One HTTP call to the gateway; `rawBody` is sent as-is (malformed JSON). */
export async function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<Answer> {
  // A service of ours (not the gateway, not a stub) gets the service credential, as the gateway sends it, unless the caller set one.
  const headers: Record<string, string> = { ...(options.headers?.authorization ? {} : await serviceAuthHeadersForUrl(url)), ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, { method: options.method ?? 'GET', headers, body, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = text.length > 0 ? (JSON.parse(text) as Answer['body']) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
