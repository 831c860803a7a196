import { EVENT_CONTRACTS } from '@omni/contracts';
import { createKafka, TopicAdmin, TopicNames } from '@omni/messaging';
import { startServiceForTest, type TestService } from '@omni/platform';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { createHmac } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppModule } from '../src/app.module';
import type { StaffRole } from '../src/auth/principal';
import { StaffTokenService } from '../src/auth/staff-token.service';
import { call } from './support/gateway-harness';
import { ServiceProcess } from './support/service-process';

jest.setTimeout(600_000);

const SKU = `E2E-TEA-${Date.now().toString(36).toUpperCase()}`;
/** The secret the order service shares with the payment provider; the test plays the provider. */
const PAYMENT_SECRET = 'e2e-payment-secret-0123456789';

/**
 * The same SKU through the gateway to an online channel and to a store channel, with the real
 * catalog, pricing and inventory services (own processes, own databases) and the real gateway.
 */
describe('channels end to end: catalog, pricing, inventory and the gateway', () => {
  const dbs: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  let gateway: TestService;
  const urls: Record<string, string> = {};
  let staff: (roles: StaffRole[]) => Record<string, string>;
  const topicPrefix = uniqueTopicPrefix('gw-e2e');
  const keys: { app?: string; pos?: string } = {};
  let storeId: string;

  async function startService(app: string, extra: Record<string, string> = {}): Promise<string> {
    const db = await createTestDatabase(`gw_e2e_${app}`);
    dbs.push(db);
    const service = new ServiceProcess(app, {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId(`e2e-${app}`)}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      ...extra,
    });
    services.push(service);
    return service.url();
  }

  beforeAll(async () => {
    // Every topic up front, one partition each, retried: a busy broker can time out creating many at once.
    const admin = new TopicAdmin(createKafka({ clientId: 'gw-e2e-setup', brokers: testInfra.kafkaBrokers }), new TopicNames(topicPrefix));
    await waitFor(async () => (await admin.ensureTopics(EVENT_CONTRACTS, { partitions: 1 }), true), { timeoutMs: 90_000, intervalMs: 500, what: 'the e2e topics' });
    await admin.close();
    // One at a time: they share the topic prefix, and the first to start creates the topics.
    urls.catalog = await startService('catalog');
    urls.pricing = await startService('pricing', { PRICING_CHANNELS: 'app,pos' });
    urls.inventory = await startService('inventory', { INVENTORY_CHANNELS: 'app,pos' });
    urls.order = await startService('order', { ORDER_INVENTORY_URL: urls.inventory, ORDER_PAYMENT_SECRET: PAYMENT_SECRET });
    const db = await createTestDatabase('gw_e2e_gateway');
    dbs.push(db);
    gateway = await startServiceForTest(AppModule, {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('e2e-gateway')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'fatal',
      CATALOG_URL: urls.catalog,
      PRICING_URL: urls.pricing,
      INVENTORY_URL: urls.inventory,
      ORDER_URL: urls.order,
      UPSTREAM_TIMEOUT_MS: '5000',
    });
    const tokens = gateway.app.get(StaffTokenService);
    staff = (roles) => ({ authorization: `Bearer ${tokens.sign('e2e-staff', roles)}` });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(services.map((s) => s.stop()));
    for (const db of dbs) await db.drop();
  });

  it('shows the online channel its exclusive price and "only N left", and the store channel the store price and "in stock here"', async () => {
    // Stock: locations and an owner in inventory, goods received through the gateway's back office.
    const inventoryManager = staff(['inventory-manager']);
    const location = async (body: Record<string, unknown>) => (await call(`${gateway.url}/admin/inventory/locations`, { method: 'POST', headers: inventoryManager, body })).body.id as string;
    const store = (storeId = await location({ code: `S${Date.now() % 100000}`, name: 'People Square', type: 'store', lat: 31.23, lng: 121.47, shipsInDays: 1 }));
    const warehouse = await location({ code: `W${Date.now() % 100000}`, name: 'DC East', type: 'warehouse', lat: 31.0, lng: 121.0, shipsInDays: 2 });
    expect((await call(`${gateway.url}/admin/inventory/owners`, { method: 'POST', headers: staff(['catalog-manager']), body: { name: 'Retailer', type: 'retailer' } })).status).toBe(403);
    const owner = (await call(`${gateway.url}/admin/inventory/owners`, { method: 'POST', headers: inventoryManager, body: { name: 'Retailer', type: 'retailer' } })).body.id as string;
    const receipt = await call(`${gateway.url}/admin/stock/receipts`, {
      method: 'POST',
      headers: { ...staff(['stock-operator']), 'idempotency-key': uuidv7() },
      body: { lines: [{ sku: SKU, locationId: store, ownerId: owner, quantity: 4 }, { sku: SKU, locationId: warehouse, ownerId: owner, quantity: 20 }] },
    });
    expect(receipt.status).toBe(201);
    // The app channel gets a dedicated share of 3 units.
    expect((await call(`${gateway.url}/admin/inventory/allocations/${SKU}/app`, { method: 'PUT', headers: inventoryManager, body: { mode: 'dedicated', quota: 3 } })).status).toBe(200);

    // Prices through the gateway's back office: a base price, an app-exclusive price, a store-channel price.
    const pricing = staff(['pricing-manager']);
    expect((await call(`${gateway.url}/admin/prices/base/${SKU}`, { method: 'PUT', headers: pricing, body: { amount: 12900 } })).status).toBe(200);
    expect((await call(`${gateway.url}/admin/prices/channels/app/${SKU}`, { method: 'PUT', headers: pricing, body: { amount: 9900 } })).status).toBe(200);
    expect((await call(`${gateway.url}/admin/prices/channels/pos/${SKU}`, { method: 'PUT', headers: pricing, body: { amount: 11900 } })).status).toBe(200);

    // Catalog: display profiles, then the product and its two listings through the gateway.
    const catalogManager = staff(['catalog-manager']);
    expect((await call(`${gateway.url}/admin/catalog/display-profiles/online-low`, { method: 'PUT', headers: catalogManager, body: { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] } })).status).toBe(200);
    expect((await call(`${gateway.url}/admin/catalog/display-profiles/in-store`, { method: 'PUT', headers: catalogManager, body: { stockHint: { kind: 'store' }, badges: ['store-pickup'] } })).status).toBe(200);
    // The store is registered for shelf labels (its channel's prices); it carries the SKU once the product exists.
    expect((await call(`${gateway.url}/admin/catalog/stores/${store}`, { method: 'PUT', headers: catalogManager, body: { channel: 'pos', name: 'People Square' } })).status).toBe(200);
    const editor = staff(['catalog-editor']);
    const created = await call(`${gateway.url}/admin/catalog/products`, {
      method: 'POST',
      headers: editor,
      body: { title: 'Longjing green tea', tags: ['green'], skus: [{ sku: SKU, attributes: { weight: '250g' } }] },
    });
    expect(created.status).toBe(201);
    const productId = created.body.id as string;
    expect(await call(`${gateway.url}/admin/catalog/stores/${store}/assortment`, { method: 'PUT', headers: catalogManager, body: { skus: [SKU] } })).toMatchObject({ status: 200, body: { skus: [SKU] } });
    expect((await call(`${gateway.url}/admin/catalog/products/${productId}/listings/app`, { method: 'PUT', headers: editor, body: { visible: true, title: 'Longjing (app exclusive)', displayProfile: 'online-low' } })).status).toBe(200);
    expect((await call(`${gateway.url}/admin/catalog/products/${productId}/listings/pos`, { method: 'PUT', headers: editor, body: { visible: true, displayProfile: 'in-store' } })).status).toBe(200);

    // Channel keys: the app, and a POS key bound to the store.
    const admin = staff(['admin']);
    const appKey = (keys.app = (await call(`${gateway.url}/admin/api-keys`, { method: 'POST', headers: admin, body: { name: 'app', channel: 'app' } })).body.key as string);
    const posKey = (keys.pos = (await call(`${gateway.url}/admin/api-keys`, { method: 'POST', headers: admin, body: { name: 'POS People Square', channel: 'pos', locationId: store } })).body.key as string);

    // The edits reach the gateway's catalog copy as product-changed deltas.
    const online = await waitFor(async () => {
      const answer = await call(`${gateway.url}/products/${productId}`, { headers: { 'x-api-key': appKey } });
      return answer.status === 200 && answer.body.title === 'Longjing (app exclusive)' ? answer : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100, what: 'the product on the app channel' });
    expect(online.body).toMatchObject({
      channel: 'app',
      badges: ['channel-price'],
      skus: [{ sku: SKU, price: { unit: { amount: 9900, currency: expect.any(String) } }, stock: { code: 'ONLY_N_LEFT', quantity: 3, text: 'Only 3 left' } }],
      warnings: [],
    });

    const inStore = await waitFor(async () => {
      const answer = await call(`${gateway.url}/products/${productId}`, { headers: { 'x-api-key': posKey } });
      return answer.status === 200 ? answer : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100, what: 'the product on the store channel' });
    expect(inStore.body).toMatchObject({
      channel: 'pos',
      title: 'Longjing green tea',
      badges: ['store-pickup'],
      skus: [{ sku: SKU, price: { unit: { amount: 11900 } }, stock: { code: 'IN_STOCK_HERE', text: 'In stock here' } }],
      warnings: [],
    });

    // Neither channel ever receives the other's price, on any product endpoint.
    for (const [key, own, other] of [[appKey, 9900, 11900], [posKey, 11900, 9900]] as const) {
      for (const path of [`/products/${productId}`, '/products', '/products?tag=green', `/products?q=${SKU}`]) {
        const answer = await call(`${gateway.url}${path}`, { headers: { 'x-api-key': key } });
        expect(answer.status).toBe(200);
        expect(answer.text).toContain(`"amount":${own}`);
        expect(answer.text).not.toContain(`"amount":${other}`);
      }
    }

    // The cart quote is priced by pricing for the key's channel.
    const quote = await call(`${gateway.url}/cart/quote`, { method: 'POST', headers: { 'x-api-key': posKey }, body: { lines: [{ sku: SKU, quantity: 2 }] } });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ channel: 'pos', total: 23800 });

    // The store's shelf labels through the gateway with its key: the store price; another store's labels are not its to read.
    const labels = await waitFor(async () => {
      const answer = await call(`${gateway.url}/stores/${store}/labels`, { headers: { 'x-api-key': posKey } });
      return answer.status === 200 && answer.text.includes('11900') ? answer : undefined;
    }, { timeoutMs: 15_000, intervalMs: 200, what: "the store's shelf label with the store price" });
    expect(labels.text).toContain(SKU);
    expect(labels.text).not.toContain('"amount":9900');
    expect(await call(`${gateway.url}/stores/${warehouse}/labels`, { headers: { 'x-api-key': posKey } })).toMatchObject({ status: 403, body: { code: 'OTHER_STORE' } });
    expect(await call(`${gateway.url}/stores/${store}/labels/changes?since=0`, { headers: { 'x-api-key': appKey } })).toMatchObject({ status: 403, body: { code: 'STORE_KEY_REQUIRED' } });
  });

  it('places an order through the real order service at the channel price, once per Idempotency-Key, reserved, and cancellable only by its channel', async () => {
    const app = { 'x-api-key': keys.app! };
    const body = { buyer: { anonymous: true }, lines: [{ sku: SKU, quantity: 1 }], fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Shanghai', country: 'CN', lat: 31.1, lng: 121.2 } } };
    const first = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-order-0001' }, body });
    expect([201, 202]).toContain(first.status);
    expect(first.body).toMatchObject({ channel: 'app', lines: [{ sku: SKU, quantity: 1 }] });
    expect(JSON.stringify(first.body.lines)).toContain('9900');
    const orderId = first.body.id as string;
    const again = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-order-0001' }, body });
    expect(again.body.id).toBe(orderId);
    expect((await call(`${gateway.url}/orders/${orderId}`, { headers: app })).body).toMatchObject({ id: orderId, channel: 'app' });
    expect((await call(`${gateway.url}/orders/${orderId}`, { headers: { 'x-api-key': keys.pos! } })).body.code).toBe('ORDER_OF_OTHER_CHANNEL');
    const decided = await waitFor(async () => {
      const answer = await call(`${gateway.url}/orders/${orderId}`, { headers: app });
      return answer.body.status !== 'pending' && answer.body.saga !== 'trying' ? answer : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'the reservation decision' });
    // The app channel's share (3 units) covers one unit: the stock is reserved until payment.
    expect(decided.body.status).toBe('reserved');
    expect((await call(`${gateway.url}/orders/${orderId}/cancel`, { method: 'POST', headers: { 'x-api-key': keys.pos! } })).status).toBe(403);
    const cancelled = await call(`${gateway.url}/orders/${orderId}/cancel`, { method: 'POST', headers: app });
    expect(cancelled).toMatchObject({ status: 200, body: { id: orderId, status: 'cancelled' } });
  });

  it("orders from the buyer's quote at the quote's total: the promotion it showed is charged, and pricing locks the quote", async () => {
    const app = { 'x-api-key': keys.app! };
    const pricingManager = staff(['pricing-manager']);
    // One unit per order: the app channel's share (3 units) covers both orders, so only the quote lock can refuse the second.
    const rule = { id: `e2e-quote-${Date.now().toString(36)}`, name: 'E2E 10 % off', kind: 'percent-off', priority: 100, group: 'promo', currency: 'CNY', target: { skus: [SKU] }, percentOffBps: 1000 };
    expect((await call(`${gateway.url}/admin/price-rules`, { method: 'POST', headers: pricingManager, body: rule })).status).toBe(201);
    const placedOrders: string[] = [];
    try {
      const quote = await call(`${gateway.url}/cart/quote`, { method: 'POST', headers: app, body: { lines: [{ sku: SKU, quantity: 1 }] } });
      expect(quote.status).toBe(200);
      const { quoteId, total, discountTotal } = quote.body as { quoteId: string; total: number; discountTotal: number };
      expect(discountTotal).toBeGreaterThan(0);
      const body = { buyer: { anonymous: true }, lines: [{ sku: SKU, quantity: 1 }], fulfilment: { type: 'ship', address: { line1: '3 Hill Rd', city: 'Shanghai', country: 'CN', lat: 31.1, lng: 121.3 } } };
      const mismatch = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-quote-0000' }, body: { ...body, lines: [{ sku: SKU, quantity: 2 }], quoteId } });
      expect(mismatch).toMatchObject({ status: 409, body: { code: 'QUOTE_LINES_MISMATCH' } });
      const placed = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-quote-0001' }, body: { ...body, quoteId } });
      expect([201, 202]).toContain(placed.status);
      const orderId = placed.body.id as string;
      placedOrders.push(orderId);
      const decided = await waitFor(async () => {
        const answer = await call(`${gateway.url}/orders/${orderId}`, { headers: app });
        return answer.body.status !== 'created' && answer.body.saga !== 'trying' ? answer : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200, what: 'the decision on the quoted order' });
      expect(decided.body).toMatchObject({ status: 'reserved', quoteId, total, discountTotal, promotions: [{ ruleId: rule.id, discount: discountTotal }] });
      // The same quote cannot be locked by a second order while the first holds it.
      const second = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-quote-0002' }, body: { ...body, quoteId } });
      placedOrders.push(second.body.id as string);
      const secondDecided = await waitFor(async () => {
        const answer = await call(`${gateway.url}/orders/${second.body.id as string}`, { headers: app });
        return answer.body.status !== 'created' && answer.body.saga !== 'trying' ? answer : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200, what: 'the decision on the second order' });
      expect(secondDecided.body.status).toBe('rejected');
      expect(secondDecided.body.rejection).toEqual([expect.objectContaining({ code: 'QUOTE_ALREADY_LOCKED' })]);
      expect((await call(`${gateway.url}/orders/${orderId}/cancel`, { method: 'POST', headers: app })).body.status).toBe('cancelled');
    } finally {
      // A failed step above must not leave units held for the tests after this one.
      for (const id of placedOrders) await call(`${gateway.url}/orders/${id}/cancel`, { method: 'POST', headers: app });
      await call(`${gateway.url}/admin/price-rules/${rule.id}/disable`, { method: 'POST', headers: pricingManager });
    }
  });

  it('receives a return of a shipped online order at a store with its key, once per slip, and lets a stock operator settle it once', async () => {
    const app = { 'x-api-key': keys.app! };
    const pos = { 'x-api-key': keys.pos! };
    const body = { buyer: { anonymous: true }, lines: [{ sku: SKU, quantity: 2 }], fulfilment: { type: 'ship', address: { line1: '9 River Rd', city: 'Shanghai', country: 'CN', lat: 31.2, lng: 121.4 } } };
    // The orders cancelled above give their units back asynchronously (the saga's Cancel branch).
    await waitFor(async () => {
      const atp = (await call(`${urls.inventory}/internal/atp/${SKU}`)).body as { channels: Array<{ channel: string; available: number }> };
      return (atp.channels.find((c) => c.channel === 'app')?.available ?? 0) >= 2;
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'two units free for the app channel' });
    const placed = await call(`${gateway.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'e2e-order-return-0001' }, body });
    expect([201, 202]).toContain(placed.status);
    const orderId = placed.body.id as string;
    const reserved = await waitFor(async () => {
      const answer = await call(`${gateway.url}/orders/${orderId}`, { headers: app });
      return answer.body.status !== 'created' && answer.body.saga !== 'trying' ? answer : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'the reservation decision' });
    expect(reserved.body).toMatchObject({ status: 'reserved' });

    // The payment provider's signed callback (to the order service), then the warehouse picks and ships through the gateway.
    const payment = { orderId, paymentRef: `pay-${orderId}`, amount: { amount: reserved.body.payable as number, currency: reserved.body.currency as string }, paidAt: new Date().toISOString() };
    const canonical = `orderId=${orderId}&paymentRef=${payment.paymentRef}&amount=${payment.amount.amount}&currency=${payment.amount.currency}&paidAt=${payment.paidAt}`;
    const signature = createHmac('sha256', PAYMENT_SECRET).update(canonical).digest('hex');
    // Through the gateway: a forged signature is refused by the order service and the order stays unpaid; the provider's is captured.
    const forged = createHmac('sha256', 'not-the-provider-secret').update(canonical).digest('hex');
    expect(await call(`${gateway.url}/payments/callback`, { method: 'POST', headers: { 'x-payment-signature': forged }, body: payment })).toMatchObject({ status: 401, body: { code: 'PAYMENT_SIGNATURE_INVALID' } });
    expect(await call(`${gateway.url}/payments/callback`, { method: 'POST', body: payment })).toMatchObject({ status: 401 });
    expect((await call(`${gateway.url}/orders/${orderId}`, { headers: app })).body.status).toBe('reserved');
    expect(await call(`${gateway.url}/payments/callback`, { method: 'POST', headers: { 'x-payment-signature': signature }, body: payment })).toMatchObject({ status: 200, body: { outcome: 'captured' } });
    expect((await call(`${gateway.url}/orders/${orderId}`, { headers: app })).body.status).toBe('paid');
    const operator = staff(['stock-operator']);
    const admin = `${gateway.url}/admin/orders/${orderId}`;
    expect((await call(`${admin}/picking`, { method: 'POST', headers: staff(['catalog-editor']) })).status).toBe(403);
    expect(await call(`${admin}/ship`, { method: 'POST', headers: operator, body: { carrier: 'SF', trackingNumber: 'SF1234567' } })).toMatchObject({ status: 409, body: { code: 'ORDER_ILLEGAL_TRANSITION' } });
    expect(await call(`${admin}/picking`, { method: 'POST', headers: operator })).toMatchObject({ status: 200, body: { status: 'picking' } });
    expect(await call(`${admin}/ready-for-pickup`, { method: 'POST', headers: operator })).toMatchObject({ status: 409 });
    expect(await call(`${admin}/ship`, { method: 'POST', headers: operator, body: { carrier: 'SF', trackingNumber: '' } })).toMatchObject({ status: 400, body: { details: [{ field: 'trackingNumber' }] } });
    expect(await call(`${admin}/ship`, { method: 'POST', headers: operator, body: { carrier: 'SF', trackingNumber: 'SF1234567' } })).toMatchObject({ status: 200, body: { status: 'shipped' } });

    // The buyer brings one unit to the store: only a store key receives it, once per return slip.
    const slip = { lineNo: 0, quantity: 1 };
    expect((await call(`${gateway.url}/orders/${orderId}/returns`, { method: 'POST', headers: { ...app, 'idempotency-key': 'slip-0001' }, body: slip })).body.code).toBe('STORE_KEY_REQUIRED');
    expect(await call(`${gateway.url}/orders/${orderId}/returns`, { method: 'POST', headers: pos, body: slip })).toMatchObject({ status: 400, body: { details: [{ field: 'Idempotency-Key' }] } });
    const received = await call(`${gateway.url}/orders/${orderId}/returns`, { method: 'POST', headers: { ...pos, 'idempotency-key': 'slip-0001' }, body: slip });
    expect(received).toMatchObject({ status: 201, body: { orderId, lineNo: 0, quantity: 1, locationId: storeId, status: 'received', refundAmount: 9900 } });
    const returnId = received.body.id as string;
    expect((await call(`${gateway.url}/orders/${orderId}/returns`, { method: 'POST', headers: { ...pos, 'idempotency-key': 'slip-0001' }, body: slip })).body.id).toBe(returnId);
    const tooMany = await call(`${gateway.url}/orders/${orderId}/returns`, { method: 'POST', headers: { ...pos, 'idempotency-key': 'slip-0002' }, body: { lineNo: 0, quantity: 2 } });
    expect(tooMany).toMatchObject({ status: 409, body: { code: 'RETURN_EXCEEDS_PURCHASE' } });

    // A stock operator settles it; the return cannot be settled twice, nor by a channel key or another role.
    const disposition = `${gateway.url}/admin/orders/${orderId}/returns/${returnId}/disposition`;
    expect((await call(disposition, { method: 'POST', headers: pos, body: { disposition: 'restocked' } })).status).toBe(403);
    expect((await call(disposition, { method: 'POST', headers: staff(['pricing-manager']), body: { disposition: 'restocked' } })).status).toBe(403);
    expect(await call(disposition, { method: 'POST', headers: staff(['stock-operator']), body: { disposition: 'restocked' } })).toMatchObject({ status: 200, body: { id: returnId, status: 'restocked' } });
    expect(await call(disposition, { method: 'POST', headers: staff(['stock-operator']), body: { disposition: 'written_off' } })).toMatchObject({ status: 409, body: { code: 'RETURN_ILLEGAL_TRANSITION' } });
    expect((await call(`${gateway.url}/admin/orders/${orderId}/returns/${uuidv7()}/disposition`, { method: 'POST', headers: staff(['admin']), body: { disposition: 'outlet' } })).status).toBe(404);

    // The carrier delivered the rest: the order completes, once.
    expect(await call(`${admin}/delivered`, { method: 'POST', headers: operator })).toMatchObject({ status: 200, body: { status: 'completed' } });
    expect(await call(`${admin}/delivered`, { method: 'POST', headers: operator })).toMatchObject({ status: 409, body: { code: 'ORDER_ILLEGAL_TRANSITION' } });
  });
});
