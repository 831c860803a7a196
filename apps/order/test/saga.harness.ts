import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, ServiceProcess, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { signPayment } from '../src/payment/payment-signature';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';

/** A service run as production runs it (moved to @omni/testing, where every suite can use it). */
export { ServiceProcess };

/** Two services (more with pricing and member) on their own databases, one topic prefix and one Redis prefix, for one suite. */
export class SagaWorld {
  inventoryDb!: TestDatabase;
  orderDb!: TestDatabase;
  inventoryPool!: Pool;
  orderPool!: Pool;
  /** Pricing's database, once initPricing() ran. */
  pricingDb?: TestDatabase;
  pricingPool?: Pool;
  /** Member's database, once initMember() ran. */
  memberDb?: TestDatabase;
  memberPool?: Pool;
  readonly topicPrefix: string;
  readonly redisPrefix: string;
  readonly paymentSecret = 'test-payment-secret-0123456789';
  private readonly processes: ServiceProcess[] = [];
  locationId = '';
  ownerId = '';
  /** Extra node flags for the services started from now on (e.g. --cpu-prof in a benchmark). */
  nodeArgs: string[] = [];
  /** When set, each process's whole output is also written to `<logDir>/<name>.log`. */
  logDir?: string;
  /**
   * The ports of up to two order replicas, fixed before anything starts: participants ask the
   * coordinator about branches they hold past their deadline (TCC_COORDINATOR_URL), and they start first.
   */
  orderPorts: number[] = [];
  /** The broker every service of this world uses (a suite that kills its broker brings its own). */
  kafkaBrokers: string[] = testInfra.kafkaBrokers;

  constructor(readonly label: string) {
    this.topicPrefix = uniqueTopicPrefix(label);
    this.redisPrefix = `${uniqueId(label)}:`;
  }

  /** Creates both databases. */
  async init(): Promise<void> {
    [this.inventoryDb, this.orderDb] = await Promise.all([createTestDatabase(`${this.label}_inv`), createTestDatabase(`${this.label}_ord`)]);
    this.inventoryPool = this.inventoryDb.pool(3);
    this.orderPool = this.orderDb.pool(3);
    this.orderPorts = [await freePort(), await freePort()];
  }

  private logOptions(name: string): { logFile?: string } {
    return this.logDir ? { logFile: join(this.logDir, `${name}.log`) } : {};
  }

  /** Where participants reach the coordinator: every order replica's address. */
  get coordinatorUrl(): string {
    return this.orderPorts.map((port) => `http://127.0.0.1:${port}`).join(',');
  }

  /** Creates pricing's database (for suites that run pricing as the quote-lock participant). */
  async initPricing(): Promise<void> {
    this.pricingDb = await createTestDatabase(`${this.label}_prc`);
    this.pricingPool = this.pricingDb.pool(3);
  }

  /** Creates member's database (for suites that run member as the wallet participant). */
  async initMember(): Promise<void> {
    this.memberDb = await createTestDatabase(`${this.label}_mbr`);
    this.memberPool = this.memberDb.pool(3);
  }

  private common(): Record<string, string> {
    return { REDIS_URL: testInfra.redisUrl, KAFKA_BROKERS: this.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: this.topicPrefix };
  }

  /** Starts inventory from apps/inventory/src/main.ts. */
  startInventory(env: Record<string, string> = {}, name = 'inventory'): Promise<ServiceProcess> {
    const p = new ServiceProcess(name, 'apps/inventory/src/main.ts', {
      ...this.common(),
      DATABASE_URL: this.inventoryDb.url,
      REDIS_KEY_PREFIX: `${this.redisPrefix}inv:`,
      TCC_COORDINATOR_URL: this.coordinatorUrl,
      ATP_RECONCILE_INTERVAL_MS: '0',
      ...env,
    }, this.nodeArgs, this.logOptions(name));
    this.processes.push(p);
    return p.ready();
  }

  /** Starts order replica `replica` (0 or 1) from apps/order/src/main.ts (ORDER_FAULT_AT makes it kill itself at a point). */
  startOrder(env: Record<string, string> = {}, replica = 0): Promise<ServiceProcess> {
    const p = new ServiceProcess(replica === 0 ? 'order' : `order-${replica + 1}`, 'apps/order/src/main.ts', {
      ...this.common(),
      PORT: String(this.orderPorts[replica]),
      DATABASE_URL: this.orderDb.url,
      REDIS_KEY_PREFIX: `${this.redisPrefix}ord:`,
      ORDER_PAYMENT_SECRET: this.paymentSecret,
      ORDER_TCC_RECOVERY_INTERVAL_MS: '200',
      ORDER_TCC_LEASE_MS: '2000',
      ORDER_TCC_RETRY_INITIAL_MS: '300',
      ORDER_TCC_RETRY_MAX_MS: '2000',
      ORDER_TCC_TRY_RESEND_MS: '2000',
      ...env,
    }, this.nodeArgs, this.logOptions(replica === 0 ? 'order' : `order-${replica + 1}`));
    this.processes.push(p);
    return p.ready();
  }

  /** Starts pricing from apps/pricing/src/main.ts (after initPricing); its own lock sweeper is off unless asked. */
  startPricing(env: Record<string, string> = {}): Promise<ServiceProcess> {
    if (!this.pricingDb) throw new Error('initPricing() first');
    const p = new ServiceProcess('pricing', 'apps/pricing/src/main.ts', {
      ...this.common(),
      DATABASE_URL: this.pricingDb.url,
      REDIS_KEY_PREFIX: `${this.redisPrefix}prc:`,
      PRICE_SCHEDULER_INTERVAL_MS: '0',
      TCC_COORDINATOR_URL: this.coordinatorUrl,
      ...env,
    }, this.nodeArgs, this.logOptions('pricing'));
    this.processes.push(p);
    return p.ready();
  }

  /** Starts member from apps/member/src/main.ts (after initMember); it asks the coordinator about branches it holds past their deadline. */
  startMember(env: Record<string, string> = {}): Promise<ServiceProcess> {
    if (!this.memberDb) throw new Error('initMember() first');
    const p = new ServiceProcess('member', 'apps/member/src/main.ts', {
      ...this.common(),
      DATABASE_URL: this.memberDb.url,
      REDIS_KEY_PREFIX: `${this.redisPrefix}mbr:`,
      TCC_COORDINATOR_URL: this.coordinatorUrl,
      ...env,
    }, this.nodeArgs, this.logOptions('member'));
    this.processes.push(p);
    return p.ready();
  }

  /** Waits until both services' consumer groups (broker-wide names carry the topic prefix) are Stable with members (first messages are not stuck behind a join). */
  async consumersJoined(groups: string[] = [`${this.topicPrefix}order`, `${this.topicPrefix}inventory`], timeoutMs = 120_000): Promise<void> {
    const admin = new Kafka({ clientId: uniqueId('probe'), brokers: this.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups: found } = await admin.describeGroups(groups);
          return found.every((g) => g.state === 'Stable' && g.members.length > 0);
        },
        { timeoutMs, intervalMs: 500, what: `consumer groups ${groups.join(', ')} to be stable` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** One store with `units` of each SKU (retailer-owned), through inventory's internal API. */
  async seed(inventory: ServiceProcess, skus: Record<string, number>): Promise<void> {
    if (!this.locationId) {
      const loc = await post(inventory.url, '/internal/locations', { code: uniqueId('loc').slice(0, 30), name: 'Flagship store', type: 'store', lat: 31.23, lng: 121.47 });
      this.locationId = String(loc.body.id);
      const owner = await post(inventory.url, '/internal/owners', { name: 'Retailer', type: 'retailer' });
      this.ownerId = String(owner.body.id);
    }
    const lines = Object.entries(skus).map(([sku, quantity]) => ({ sku, quantity, locationId: this.locationId, ownerId: this.ownerId }));
    const res = await post(inventory.url, '/internal/stock/receipts', { lines }, { 'idempotency-key': uuidv7() });
    if (res.status >= 300) throw new Error(`receipt failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** on_hand and reserved of a SKU over all locations, read from inventory's tables. */
  async stock(sku: string): Promise<{ onHand: number; reserved: number }> {
    const { rows } = await this.inventoryPool.query('SELECT COALESCE(sum(on_hand), 0)::int AS on_hand, COALESCE(sum(reserved), 0)::int AS reserved FROM stock_levels WHERE sku = $1', [sku]);
    return { onHand: rows[0].on_hand, reserved: rows[0].reserved };
  }

  /** Deductions recorded in inventory's ledger for a SKU (each confirmed unit once). */
  async deducted(sku: string): Promise<number> {
    const { rows } = await this.inventoryPool.query(`SELECT COALESCE(-sum(on_hand_delta), 0)::int AS n FROM stock_movements WHERE sku = $1 AND type = 'deduction'`, [sku]);
    return rows[0].n;
  }

  /** Global transaction counts per status in the order database. */
  async sagas(): Promise<Record<string, number>> {
    const { rows } = await this.orderPool.query('SELECT status, count(*)::int AS n FROM tcc_global GROUP BY status');
    return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
  }

  /** Order counts per status. */
  async orders(): Promise<Record<string, number>> {
    const { rows } = await this.orderPool.query('SELECT status, count(*)::int AS n FROM orders GROUP BY status');
    return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
  }

  /** Signs and posts a payment callback for an order's payable amount, captured at `paidAt` (now by default). */
  async pay(
    orderUrl: string,
    order: { id: string; payable: number; currency: string },
    paymentRef = `pay-${uuidv7()}`,
    secret = this.paymentSecret,
    paidAt = new Date().toISOString(),
  ): Promise<JsonResponse> {
    const fields = { orderId: order.id, paymentRef, amount: order.payable, currency: order.currency, paidAt };
    // A provider repeats a callback the service could not take yet (503): same reference, same signature.
    return retryingBusy(() =>
      post(orderUrl, '/payments/callback', { orderId: order.id, paymentRef, amount: { amount: order.payable, currency: order.currency }, paidAt }, { 'x-payment-signature': signPayment(secret, fields) }),
    );
  }

  /**
   * Polls `probe` every 200 ms until it holds; after `timeoutMs`, fails naming `what`, with the
   * output tail of every process this world started.
   */
  async waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${this.processes.map((p) => `${p.name}:\n${p.tail()}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Outbox rows of a service (its pool) not sent to Kafka yet. */
  async unsent(pool: Pool): Promise<number> {
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM messaging_outbox WHERE sent_at IS NULL');
    return rows[0].n;
  }

  /** Kills every process and drops the databases. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
    await this.inventoryPool?.end();
    await this.orderPool?.end();
    await this.pricingPool?.end();
    await this.memberPool?.end();
    await Promise.all([this.inventoryDb?.drop(), this.orderDb?.drop(), this.pricingDb?.drop(), this.memberDb?.drop()]);
  }
}

/** A free loopback port (for processes started with LOG_LEVEL=warn, which do not log theirs). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** A JSON answer. */
export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Runs `send` again while the service answers 503 (every database connection busy under a burst),
 * after its Retry-After, as a well-behaved client does; requests carry their Idempotency-Key or
 * payment reference, so a repeat has no second effect. Gives up after `maxMs` with the last answer.
 */
export async function retryingBusy(send: () => Promise<JsonResponse & { retryAfterS?: number }>, maxMs = 60_000): Promise<JsonResponse> {
  const until = Date.now() + maxMs;
  for (;;) {
    const answer = await send();
    if (answer.status !== 503 || Date.now() > until) return { status: answer.status, body: answer.body };
    const waitMs = (answer.retryAfterS ?? 1) * 1000 * (0.5 + Math.random());
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** POST /orders under `idempotencyKey`, repeated while the service is busy (see {@link retryingBusy}). */
export function placeOrder(orderUrl: string, body: unknown, idempotencyKey: string): Promise<JsonResponse> {
  return retryingBusy(() => post(orderUrl, '/orders', body, { 'idempotency-key': idempotencyKey }));
}

/** POSTs JSON and parses the answer. */
export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse & { retryAfterS?: number }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await serviceAuthHeadersForUrl(base)), ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  const retryAfter = Number(res.headers.get('retry-after'));
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ...(retryAfter > 0 ? { retryAfterS: retryAfter } : {}) };
}

/** GETs JSON, again while the service is busy (see {@link retryingBusy}). */
export function get(base: string, path: string): Promise<JsonResponse> {
  return retryingBusy(async () => {
    const res = await fetch(`${base}${path}`, { headers: await serviceAuthHeadersForUrl(base) });
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, ...(retryAfter > 0 ? { retryAfterS: retryAfter } : {}) };
  });
}

/** An order body for `sku` × `quantity` picked up at `locationId`. */
export function orderBody(channel: string, sku: string, quantity: number, locationId: string, unitPrice = 1000): Record<string, unknown> {
  return {
    channel,
    buyer: { anonymous: true },
    lines: [{ sku, quantity, unitPrice: { amount: unitPrice, currency: 'CNY' } }],
    fulfilment: { type: 'pickup', locationId },
  };
}
