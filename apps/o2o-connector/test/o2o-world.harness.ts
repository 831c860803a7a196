// The O2O connector with what it talks to, each as production runs it (its own process): inventory
// and order on their own databases, the platform simulator (tools/platform-simulator, a separate
// process driven through its /_sim control routes) and the connector. Real Postgres, Redis, Kafka.
import { createTestDatabase, ServiceProcess, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { serviceAuthHeaders, serviceAuthHeadersForUrl } from '@omni/platform/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON answer. */
export interface Json {
  status: number;
  body: Record<string, unknown>;
}

/** Sends JSON and parses the answer. */
export async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(url, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(await serviceAuthHeadersForUrl(url)), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** A simulated platform order as the simulator's state shows it. */
export interface SimOrderState {
  orderId: string;
  store: string;
  state: string;
  reason?: string;
  statusHistory: string[];
  total: number;
}

/** An HTTP relay to `target` that adds the gateway's service credential for the connector, body and headers otherwise as received. */
async function webhookRelay(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...headers, ...serviceAuthHeaders('o2o-connector', { issuer: 'gateway' }) }, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** One suite's world: databases, topic and Redis prefixes, and the processes it started. */
export class O2oWorld {
  private relay?: { url: string; close(): Promise<void> };
  inventoryDb!: TestDatabase;
  orderDb!: TestDatabase;
  connectorDb!: TestDatabase;
  inventoryPool!: Pool;
  orderPool!: Pool;
  connectorPool!: Pool;
  inventory!: ServiceProcess;
  order!: ServiceProcess;
  simulator!: ServiceProcess;
  connector!: ServiceProcess;
  readonly topicPrefix: string;
  readonly redisPrefix: string;
  readonly paymentSecret = 'o2o-test-payment-secret-0123456789';
  readonly appKey = 'omni-o2o-test';
  readonly secret = 'simulated-platform-secret';
  locationId = '';
  ownerId = '';
  private readonly processes: ServiceProcess[] = [];

  constructor(readonly label: string, readonly channel = 'eleme') {
    this.topicPrefix = uniqueTopicPrefix(label);
    this.redisPrefix = `${uniqueId(label)}:`;
  }

  /** Creates the databases and starts every process, one at a time (two compiling at once can starve this machine). */
  async start(connectorEnv: Record<string, string> = {}, simulatorEnv: Record<string, string> = {}, withOrders = true): Promise<void> {
    [this.inventoryDb, this.orderDb, this.connectorDb] = await Promise.all([
      createTestDatabase(`${this.label}_inv`),
      createTestDatabase(`${this.label}_ord`),
      createTestDatabase(`${this.label}_o2o`),
    ]);
    this.inventoryPool = this.inventoryDb.pool(2);
    this.orderPool = this.orderDb.pool(2);
    this.connectorPool = this.connectorDb.pool(2);
    const common = { REDIS_URL: testInfra.redisUrl, KAFKA_BROKERS: testInfra.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: this.topicPrefix };
    if (withOrders) {
      this.inventory = await this.spawn('inventory', 'apps/inventory/src/main.ts', {
        ...common,
        DATABASE_URL: this.inventoryDb.url,
        REDIS_KEY_PREFIX: `${this.redisPrefix}inv:`,
        INVENTORY_CHANNELS: `app,${this.channel}`,
        ATP_RECONCILE_INTERVAL_MS: '0',
      });
      this.order = await this.spawn('order', 'apps/order/src/main.ts', {
        ...common,
        DATABASE_URL: this.orderDb.url,
        REDIS_KEY_PREFIX: `${this.redisPrefix}ord:`,
        ORDER_PAYMENT_SECRET: this.paymentSecret,
        ORDER_INVENTORY_URL: this.inventory.url,
      });
    }
    this.simulator = await this.spawn('platform-simulator', 'tools/platform-simulator/main.ts', {
      SIM_SHAPE: 'delivery',
      SIM_APP_KEY: this.appKey,
      SIM_SECRET: this.secret,
      SIM_RATE_PER_SECOND: '100',
      SIM_COMMISSION_BPS: '800',
      ...simulatorEnv,
    });
    this.connector = await this.spawn('o2o-connector', 'apps/o2o-connector/src/main.ts', {
      ...common,
      DATABASE_URL: this.connectorDb.url,
      REDIS_KEY_PREFIX: `${this.redisPrefix}o2o:`,
      O2O_DELIVERY_BASE_URL: this.simulator.url,
      O2O_DELIVERY_APP_KEY: this.appKey,
      O2O_DELIVERY_SECRET: this.secret,
      O2O_DELIVERY_CHANNEL: this.channel,
      O2O_DELIVERY_RATE_PER_SECOND: '50',
      O2O_DELIVERY_COMMISSION_BPS: '800',
      O2O_ORDER_URL: this.order?.url ?? 'http://127.0.0.1:9',
      O2O_ORDER_PAYMENT_SECRET: this.paymentSecret,
      O2O_RECONCILIATION_HOUR_UTC: '-1',
      ...connectorEnv,
    });
    // Platforms reach the connector through the gateway's webhook relay, which adds its service
    // credential and passes the body and signature headers on unchanged; this relay plays that part.
    this.relay = await webhookRelay(this.connector.url);
    expect((await call('POST', `${this.simulator.url}/_sim/webhook-url`, { url: `${this.relay.url}/webhooks/${this.channel}` })).status).toBe(200);
  }

  private async spawn(name: string, main: string, env: Record<string, string>): Promise<ServiceProcess> {
    const process = new ServiceProcess(name, main, env);
    this.processes.push(process);
    return process.ready();
  }

  /** Waits until the named consumer groups are Stable with members. */
  async consumersJoined(groups: string[], timeoutMs = 120_000): Promise<void> {
    const admin = new Kafka({ clientId: uniqueId('probe'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups: found } = await admin.describeGroups(groups.map((group) => `${this.topicPrefix}${group}`));
          return found.every((g) => g.state === 'Stable' && g.members.length > 0);
        },
        { timeoutMs, intervalMs: 500, what: `consumer groups ${groups.join(', ')} to be stable` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** One store holding `units` of each SKU (retailer-owned), through inventory's internal API. */
  async seed(skus: Record<string, number>): Promise<void> {
    if (!this.locationId) {
      const location = await call('POST', `${this.inventory.url}/internal/locations`, { code: uniqueId('o2o').slice(0, 30), name: 'O2O store', type: 'store', lat: 31.23, lng: 121.47 });
      this.locationId = String(location.body.id);
      const owner = await call('POST', `${this.inventory.url}/internal/owners`, { name: 'Retailer', type: 'retailer' });
      this.ownerId = String(owner.body.id);
    }
    const lines = Object.entries(skus).map(([sku, quantity]) => ({ sku, quantity, locationId: this.locationId, ownerId: this.ownerId }));
    const receipt = await call('POST', `${this.inventory.url}/internal/stock/receipts`, { lines }, { 'idempotency-key': uuidv7() });
    if (receipt.status >= 300) throw new Error(`receipt failed: ${receipt.status} ${JSON.stringify(receipt.body)}`);
  }

  /** Maps our SKUs (ours → theirs) and our store to the platform's store id. */
  async map(skus: Record<string, string>, platformStore: string): Promise<void> {
    const base = `${this.connector.url}/internal/platforms/${this.channel}`;
    const mappedSkus = await call('PUT', `${base}/sku-mappings`, { mappings: Object.entries(skus).map(([sku, platformSku]) => ({ sku, platformSku })) });
    expect(mappedSkus.status).toBe(200);
    expect((await call('PUT', `${base}/store-mappings`, { mappings: [{ locationId: this.locationId, platformStore }] })).status).toBe(200);
  }

  /** on_hand and reserved of a SKU over all locations, from inventory's tables. */
  async stock(sku: string): Promise<{ onHand: number; reserved: number }> {
    const { rows } = await this.inventoryPool.query('SELECT COALESCE(sum(on_hand), 0)::int AS on_hand, COALESCE(sum(reserved), 0)::int AS reserved FROM stock_levels WHERE sku = $1', [sku]);
    return { onHand: rows[0].on_hand, reserved: rows[0].reserved };
  }

  /** Our orders of the platform's channel, from the order service's tables. */
  async ourOrders(): Promise<Array<{ id: string; status: string; total: number }>> {
    const { rows } = await this.orderPool.query(`SELECT id, status, total::int AS total FROM orders WHERE channel = $1 ORDER BY created_at`, [this.channel]);
    return rows;
  }

  /** A buyer orders on the platform; answers the simulated order and the connector's answer to its webhook. */
  async placeOrder(store: string, items: Array<{ item: string; qty: number; price: number }>): Promise<{ order: SimOrderState; webhookStatus: number }> {
    const placed = await call('POST', `${this.simulator.url}/_sim/orders`, { store, items });
    expect(placed.status).toBe(201);
    return placed.body as unknown as { order: SimOrderState; webhookStatus: number };
  }

  /** The platform's view of one of its orders. */
  async platformOrder(orderId: string): Promise<SimOrderState> {
    const state = await call('GET', `${this.simulator.url}/_sim/state`);
    return (state.body.orders as SimOrderState[]).find((order) => order.orderId === orderId)!;
  }

  /** Stops every process and drops the databases. */
  async close(): Promise<void> {
    await this.relay?.close();
    for (const process of this.processes.reverse()) await process.kill().catch(() => undefined);
    for (const db of [this.inventoryDb, this.orderDb, this.connectorDb]) await db?.drop().catch(() => undefined);
  }
}
