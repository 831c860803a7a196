// The buyer path through the gateway, as buyers take it, on the whole suite started like `npm run up`
// (demo data, local settings): checkout (quote, order, pay) and a flash sale (thousands of buyers,
// a few hundred units). Each prints its figures and what every process spent per saga or answer.
// Run through `npm run bench -- "checkout"` / `npm run bench -- "flash sale"`, or directly:
//   node -r @swc-node/register tools/bench/buyer-path.bench.ts checkout|flash
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { FLASH_SKU } from '../demo/demo-data';
import { call, paymentCallback, staffToken, type Answer } from '../demo/suite';
import { measureCosts, startBenchSuite, type BenchSuite, type CostTable } from './bench-suite';
import { printBenchResult } from '@omni/testing';

/** Where the bench's orders ship to (the demo's Shanghai address). */
const SHIP_TO = { type: 'ship', address: { line1: '88 Huaihai Middle Rd', city: 'Shanghai', country: 'CN', lat: 31.22, lng: 121.46 } };
/** The checkout scenario's SKU: sold on every demo channel, no allocation rule. */
const CHECKOUT_SKU = 'TEA-EG-20';

interface OrderView {
  id: string;
  status: string;
  payable: number;
  currency: string;
  paymentDeadline: string;
}

/** What the buyers got, by kind. */
interface Tally {
  /** Status → how many answers (every answer, retries included). */
  statuses: Record<string, number>;
  /** Answers 429 or 503 without a Retry-After header. */
  withoutRetryAfter: number;
  /** Buyers told "reserved" at or after the payment deadline in the same answer. */
  reservedPastDeadline: number;
  /** Requests sent for orders, first and repeated. */
  orderRequests: number;
  /** Buyers that had to ask again (202, 429 or 503) before they knew. */
  buyersWhoRetried: number;
  /** Status → how many payment callbacks (retries included). */
  paymentStatuses: Record<string, number>;
  /** `<status> <code>` → how many answers, for every 5xx (which upstream gave up, and how). */
  serverErrorCodes: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The buyers' connections to the gateway, kept open between requests (as an app's HTTP client keeps them). */
const buyerAgent = new Agent({ keepAlive: true });

interface JsonAnswer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/**
 * One JSON POST over the buyers' connections: status, the Retry-After header and the parsed body.
 * A kept-alive connection the server closed while idle can reset the request just sent on it (the
 * server's keep-alive timeout racing the reuse); that request was never read, so it is sent again,
 * as an app's HTTP client does. Every request the bench sends is safe to
 * repeat (an Idempotency-Key, a signed callback, a quote).
 */
async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<JsonAnswer> {
  // Each reset consumes one stale connection; several may have been closed together.
  for (let resets = 0; ; resets++) {
    try {
      return await postJsonOnce(url, headers, body);
    } catch (error) {
      if (!(error as { reusedSocketReset?: boolean }).reusedSocketReset || resets >= 20) throw error;
    }
  }
}

function postJsonOnce(url: string, headers: Record<string, string>, body: unknown): Promise<JsonAnswer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: buyerAgent, timeout: 60_000, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${url} took over 60 s`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET') Object.assign(error, { reusedSocketReset: true });
      reject(error);
    });
    req.end(payload);
  });
}

/** One API key per demo channel (and store) with a limit high enough for the bench. */
async function benchKeys(suite: BenchSuite): Promise<string[]> {
  const admin = { authorization: `Bearer ${staffToken(['admin'], 'bench')}` };
  const keys: string[] = [];
  for (const k of suite.demo.keys) {
    const body = { name: `bench: ${k.label}`, channel: k.channel, ...(k.locationId ? { locationId: k.locationId } : {}), rateLimitPerMinute: 1_000_000 };
    keys.push((await call<{ key: string }>('POST', `${suite.urls.gateway}/admin/api-keys`, { body, headers: admin, expect: [201] })).body.key);
  }
  return keys;
}

/** Receives `units` of `sku` at each of `locations` (the warehouse by default). */
async function receive(suite: BenchSuite, sku: string, units: number, locations = [suite.demo.locations.warehouse]): Promise<void> {
  await call('POST', `${suite.urls.inventory}/internal/stock/receipts`, {
    body: { lines: locations.map((locationId) => ({ sku, locationId, ownerId: suite.demo.owners.retailer, quantity: units })) },
    headers: { 'idempotency-key': `bench-${uuidv7()}` },
    expect: [201],
  });
}

/**
 * Places one order as a well-behaved client does: 202 → ask again with the same key (the gateway
 * waits for the decision); 429/503 → wait Retry-After and ask again with the same key. Resolves to
 * the decided answer and the decision latency from the first ask.
 */
async function placeOrder(gateway: string, apiKey: string, body: object, tally: Tally): Promise<{ answer: Answer<Record<string, unknown>>; ms: number }> {
  const key = uuidv7();
  const started = performance.now();
  const until = Date.now() + 120_000;
  let retried = false;
  for (;;) {
    const res = await postJson(`${gateway}/orders`, { 'x-api-key': apiKey, 'idempotency-key': key }, body);
    const answer = { status: res.status, body: res.body };
    const answeredAt = Date.now();
    tally.orderRequests++;
    tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
    const retryAfter = res.retryAfter;
    if ((res.status === 429 || res.status === 503) && retryAfter === null) tally.withoutRetryAfter++;
    if (res.status >= 500) {
      const what = `${res.status} ${String((res.body as { code?: unknown } | null)?.code ?? 'no code')}`;
      tally.serverErrorCodes[what] = (tally.serverErrorCodes[what] ?? 0) + 1;
    }
    const order = answer.body as unknown as OrderView;
    if (res.status === 201 && order.status === 'reserved' && Date.parse(order.paymentDeadline) <= answeredAt) tally.reservedPastDeadline++;
    const again = res.status === 202 || res.status === 429 || res.status === 503;
    if (!again) {
      if (retried) tally.buyersWhoRetried++;
      return { answer, ms: performance.now() - started };
    }
    retried = true;
    if (Date.now() > until) throw new Error(`order with key ${key} undecided after 120 s (last ${res.status})`);
    if (res.status !== 202) await sleep(Math.min(5, Number(retryAfter ?? 1)) * 1000 * (0.5 + Math.random()));
  }
}

/** Pays a reserved order through the gateway's payment callback, signed like the provider does; a 429 or 503 is retried after Retry-After, as a provider does. */
async function pay(gateway: string, order: OrderView, tally?: Tally): Promise<string> {
  const { body, signature } = paymentCallback(order.id, { amount: order.payable, currency: order.currency }, `bench-pay-${order.id}`);
  for (const until = Date.now() + 120_000; ; ) {
    const res = await postJson(`${gateway}/payments/callback`, { 'x-payment-signature': signature }, body);
    if (tally) tally.paymentStatuses[res.status] = (tally.paymentStatuses[res.status] ?? 0) + 1;
    if (res.status === 200) return String(res.body.outcome);
    if ((res.status !== 429 && res.status !== 503) || Date.now() > until) throw new Error(`the payment callback answered ${res.status}: ${JSON.stringify(res.body)}`);
    await sleep(Math.min(5, Number(res.retryAfter ?? 1)) * 1000 * (0.5 + Math.random()));
  }
}

async function runBuyers(count: number, concurrency: number, buyer: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await buyer(i);
    }),
  );
}

const emptyTally = (): Tally => ({ statuses: {}, withoutRetryAfter: 0, reservedPastDeadline: 0, orderRequests: 0, buyersWhoRetried: 0, paymentStatuses: {}, serverErrorCodes: {} });

/** Settings of the checkout scenario. */
export interface CheckoutBenchOptions {
  buyers?: number;
  concurrency?: number;
  warmup?: number;
  /** Extra environment of the suite's processes. */
  env?: Record<string, string>;
}

/** What the checkout scenario measured. */
export interface CheckoutBenchResult {
  buyers: number;
  concurrency: number;
  /** Sagas (quote, order, pay) per second of wall time, from the first quote to the last payment. */
  sagasPerSecond: number;
  /** First POST /orders → the buyer knows the decision, ms. */
  decisionP50Ms: number;
  decisionP99Ms: number;
  /** Quote → order → pay, the whole buyer's path, ms. */
  checkoutP50Ms: number;
  checkoutP99Ms: number;
  tally: Tally;
  /** Per paid order. */
  costPerSaga: CostTable;
  seconds: number;
  cpus: number;
  loadAverage: number;
  target: string;
}

/**
 * Checkout through the gateway: `buyers` buyers spread over the 5 demo channel keys each quote a
 * one-line cart, place the order with the quote (Idempotency-Key) and pay through the signed payment
 * callback, `concurrency` at a time.
 */
export async function runCheckoutBench(opts: CheckoutBenchOptions = {}): Promise<CheckoutBenchResult> {
  const buyers = opts.buyers ?? 1000;
  const concurrency = opts.concurrency ?? 32;
  const warmup = opts.warmup ?? 100;
  const suite = await startBenchSuite('checkout', opts.env);
  try {
    const keys = await benchKeys(suite);
    // At every location: routing sends a shipping order to the nearest one that has the units.
    await receive(suite, CHECKOUT_SKU, buyers + warmup, Object.values(suite.demo.locations));
    const gateway = suite.urls.gateway;
    const checkout = async (i: number, tally: Tally, decisions: number[], paths: number[]): Promise<void> => {
      const apiKey = keys[i % keys.length];
      const started = performance.now();
      const lines = [{ sku: CHECKOUT_SKU, quantity: 1 }];
      const quote = await postJson(`${gateway}/cart/quote`, { 'x-api-key': apiKey }, { lines });
      if (quote.status !== 200) throw new Error(`the quote answered ${quote.status}: ${JSON.stringify(quote.body)}`);
      const { answer, ms } = await placeOrder(gateway, apiKey, { buyer: { anonymous: true }, lines, fulfilment: SHIP_TO, quoteId: quote.body.quoteId }, tally);
      decisions.push(ms);
      const order = answer.body as unknown as OrderView;
      if (answer.status !== 201 || order.status !== 'reserved') throw new Error(`checkout order answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const outcome = await pay(gateway, order, tally);
      if (outcome !== 'captured') throw new Error(`payment of ${order.id} was ${outcome}`);
      paths.push(performance.now() - started);
    };
    await runBuyers(warmup, concurrency, (i) => checkout(i, emptyTally(), [], []));
    const tally = emptyTally();
    const decisions: number[] = [];
    const paths: number[] = [];
    const costs = await measureCosts(suite);
    const started = performance.now();
    await runBuyers(buyers, concurrency, (i) => checkout(i, tally, decisions, paths));
    const seconds = (performance.now() - started) / 1000;
    const costPerSaga = await costs(buyers);
    decisions.sort((a, b) => a - b);
    paths.sort((a, b) => a - b);
    return {
      buyers,
      concurrency,
      sagasPerSecond: Math.round((buyers / seconds) * 10) / 10,
      decisionP50Ms: Math.round(percentile(decisions, 50)),
      decisionP99Ms: Math.round(percentile(decisions, 99)),
      checkoutP50Ms: Math.round(percentile(paths, 50)),
      checkoutP99Ms: Math.round(percentile(paths, 99)),
      tally,
      costPerSaga,
      seconds: Math.round(seconds * 10) / 10,
      cpus: cpus().length,
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
      target: '>= 120 sagas/s, decision p99 <= 400 ms',
    };
  } finally {
    await suite.stop();
  }
}

/** Settings of the flash-sale scenario. */
export interface FlashSaleBenchOptions {
  buyers?: number;
  concurrency?: number;
  units?: number;
}

/** What the flash-sale scenario measured. */
export interface FlashSaleBenchResult {
  buyers: number;
  concurrency: number;
  units: number;
  /** Buyers told "sold out" (201 rejected or 409) per second of the race. */
  soldOutPerSecond: number;
  /** Buyers told "reserved" per second of the race. */
  reservationsPerSecond: number;
  /** Every buyer's answer per second of the race. */
  answersPerSecond: number;
  reserved: number;
  soldOut: number;
  /**
   * Buyers whose reservation lapsed before they heard of it: 409 PAYMENT_WINDOW_CLOSED, or a first
   * answer already `cancelled` (the unit went back on sale). An answer, never a "reserved".
   */
  windowClosed: number;
  /** Seconds from the first ask to the last "reserved" answer: how long the units lasted. */
  soldOutAfterSeconds: number;
  /** Sold-out answers per second once the last unit was reserved (the gateway's sold-out path). */
  soldOutPerSecondAfterSellOut: number;
  /** First ask → the buyer knows, ms. */
  decisionP50Ms: number;
  decisionP99Ms: number;
  paid: number;
  /** Units that left the stock (inventory's levels once no unit is held): must equal `paid`. */
  deducted: number;
  /** Orders paid beyond the units put up: must be 0. */
  oversold: number;
  tally: Tally;
  /** Per buyer's answer (sold out or reserved). */
  costPerAnswer: CostTable;
  seconds: number;
  cpus: number;
  loadAverage: number;
  target: string;
}

/**
 * A flash sale through the gateway: `units` units of the demo's flash-sale SKU, `buyers` buyers over
 * the 5 demo channel keys ordering one each, `concurrency` at a time; a buyer told "reserved" pays at
 * once.
 */
export async function runFlashSaleBench(opts: FlashSaleBenchOptions = {}): Promise<FlashSaleBenchResult> {
  const buyers = opts.buyers ?? 5000;
  const concurrency = opts.concurrency ?? 200;
  const units = opts.units ?? 300;
  const suite = await startBenchSuite('flash');
  try {
    const keys = await benchKeys(suite);
    const levels = async () =>
      (await call<Array<{ onHand: number; reserved: number }>>('GET', `${suite.urls.inventory}/internal/stock/levels?sku=${FLASH_SKU}`, { expect: [200] })).body;
    const onHand = (await levels()).reduce((n, l) => n + l.onHand, 0);
    if (onHand > units) throw new Error(`the flash SKU already holds ${onHand} units`);
    await receive(suite, FLASH_SKU, units - onHand);
    const gateway = suite.urls.gateway;
    const tally = emptyTally();
    const latencies: number[] = [];
    let reserved = 0;
    let soldOut = 0;
    let windowClosed = 0;
    let paid = 0;
    let lastReservedAt = 0;
    const soldOutAt: number[] = [];
    const other: string[] = [];
    const costs = await measureCosts(suite);
    const started = performance.now();
    await runBuyers(buyers, concurrency, async (i) => {
      const { answer, ms } = await placeOrder(gateway, keys[i % keys.length], { buyer: { anonymous: true }, lines: [{ sku: FLASH_SKU, quantity: 1 }], fulfilment: SHIP_TO }, tally);
      latencies.push(ms);
      const order = answer.body as unknown as OrderView;
      if (answer.status === 201 && order.status === 'reserved') {
        reserved++;
        lastReservedAt = performance.now();
        if ((await pay(gateway, order, tally)) === 'captured') paid++;
      } else if ((answer.status === 201 && order.status === 'rejected') || (answer.status === 409 && ['OUT_OF_STOCK', 'SOLD_OUT'].includes(String(answer.body.code)))) {
        soldOut++;
        soldOutAt.push(performance.now());
      } else if ((answer.status === 201 && order.status === 'cancelled') || (answer.status === 409 && answer.body.code === 'PAYMENT_WINDOW_CLOSED')) {
        windowClosed++;
      } else if (other.length < 5) {
        other.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      }
    });
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    const answered = reserved + soldOut + windowClosed;
    const soldOutAfter = soldOutAt.filter((at) => at > lastReservedAt).length;
    const costPerAnswer = await costs(buyers);
    if (answered < buyers) throw new Error(`${buyers - answered} buyers got neither reserved, sold out nor a closed payment window, e.g. ${other.join(' | ')}`);
    // Once every hold is confirmed or released, the units that left the stock are the paid ones.
    let after = await levels();
    for (const until = Date.now() + 60_000; after.some((l) => l.reserved > 0) && Date.now() < until; after = await levels()) await sleep(250);
    const deducted = units - after.reduce((n, l) => n + l.onHand, 0);
    latencies.sort((a, b) => a - b);
    return {
      buyers,
      concurrency,
      units,
      soldOutPerSecond: Math.round(soldOut / seconds),
      reservationsPerSecond: Math.round((reserved / seconds) * 10) / 10,
      answersPerSecond: Math.round(buyers / seconds),
      reserved,
      soldOut,
      windowClosed,
      soldOutAfterSeconds: Math.round(((lastReservedAt - started) / 1000) * 10) / 10,
      soldOutPerSecondAfterSellOut: ended > lastReservedAt ? Math.round(soldOutAfter / ((ended - lastReservedAt) / 1000)) : 0,
      decisionP50Ms: Math.round(percentile(latencies, 50)),
      decisionP99Ms: Math.round(percentile(latencies, 99)),
      paid,
      deducted,
      oversold: Math.max(0, paid - units),
      tally,
      costPerAnswer,
      seconds: Math.round(seconds * 10) / 10,
      cpus: cpus().length,
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
      target: '>= 1,500 sold-out answers/s, 0 oversold, 0 5xx, p99 <= 500 ms',
    };
  } finally {
    await suite.stop();
  }
}

if (require.main === module) {
  const which = process.argv[2] ?? 'checkout';
  printBenchResult(which === 'flash' ? runFlashSaleBench() : runCheckoutBench());
}
