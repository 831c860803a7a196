// `npm run demo`: a guided tour of the running suite with the demo data (`npm run up` loads it).
// Each step says what it does, does it through the gateway as a channel would (and, where no
// channel is involved, as the payment provider or as store staff with a staff token would),
// checks the result, and the program exits non-zero when any step's result is not what it claims.
//
// Env: OMNI_PORT_BASE / GATEWAY_URL (where the suite is), OMNI_DEMO_DIR (the seed's files),
// DEMO_FLASH_BUYERS (default 300), DEMO_FLASH_CONCURRENCY (orders in flight, default 16).
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@omni/testing';
import { FLASH_SALE, FLASH_SALE_UNITS, FLASH_SKU, HERO_SKU, MEMBER_DAY_COUPON, MEMBER_TIER_PRICE, PICKUP_SKU, STORE_SPECIAL, UNPAID_SKU, PRODUCTS } from './demo-data';
import { ClaimFailed, Narrator, bold, claim, dim } from './narrator';
import { call, paymentCallback, readDemoState, ROOT, sleep, staffToken, suiteUrls, type Answer, type DemoState } from './suite';

type Json = Record<string, unknown>;

interface SkuView {
  sku: string;
  price: { unit: { amount: number; currency: string } } | null;
  stock: { code: string; text: string; quantity?: number } | null;
}

interface ProductView {
  channel: string;
  title: string;
  skus: SkuView[];
  badges: string[];
}

interface OrderView {
  id: string;
  channel: string;
  status: string;
  total: number;
  payable: number;
  currency: string;
  paymentDeadline: string;
  createdAt: string;
  cancelReason: string | null;
  pickupCode: string | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
}

interface LevelView {
  locationId: string;
  ownerId: string;
  onHand: number;
  reserved: number;
}

const urls = suiteUrls();
const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const narrator = new Narrator();
const money = (amount: number) => `¥${(amount / 100).toFixed(2)}`;
const basePrice = (sku: string) => PRODUCTS.flatMap((p) => p.skus).find((s) => s.sku === sku)!.price;
const shipTo = { type: 'ship', address: { line1: '88 Huaihai Middle Rd', city: 'Shanghai', country: 'CN', lat: 31.22, lng: 121.46 } };

function keyOf(state: DemoState, envName: string): string {
  const key = state.keys.find((k) => k.envName === envName)?.key;
  if (!key) throw new ClaimFailed(`the demo key ${envName} is missing: run npm run demo:seed`);
  return key;
}

async function productView(key: string, productId: string): Promise<Answer<ProductView>> {
  return call<ProductView>('GET', `${urls.gateway}/products/${productId}`, { headers: { 'x-api-key': key } });
}

function skuOf(view: ProductView, sku: string): SkuView {
  const found = view.skus.find((s) => s.sku === sku);
  if (!found) throw new ClaimFailed(`${view.channel} does not show ${sku}`);
  return found;
}

async function levels(sku: string, locationId?: string): Promise<LevelView[]> {
  const query = `sku=${encodeURIComponent(sku)}${locationId ? `&locationId=${locationId}` : ''}`;
  return (await call<LevelView[]>('GET', `${urls.inventory}/internal/stock/levels?${query}`, { expect: [200] })).body;
}

const sum = (rows: LevelView[], field: 'onHand' | 'reserved') => rows.reduce((n, r) => n + r[field], 0);

/**
 * Places an order through the gateway as a well-behaved client does: a 503 (the order service did
 * not answer in time) is retried with the same Idempotency-Key, so the order is placed at most
 * once; a 202 (decision still pending) is followed until decided.
 */
async function placeOrder(key: string, body: Json, idempotencyKey: string): Promise<{ status: number; order?: OrderView; error?: Json; retries: number }> {
  return placeOrderAs({ 'x-api-key': key }, body, idempotencyKey);
}

/** placeOrder with the caller's credentials (a channel key, and a member token for a member's order). */
async function placeOrderAs(
  credentials: Record<string, string>,
  body: Json,
  idempotencyKey: string,
): Promise<{ status: number; order?: OrderView; error?: Json; retries: number }> {
  const key = credentials['x-api-key'];
  let answer: Answer<Json> | undefined;
  let retries = 0;
  for (;;) {
    answer = await call<Json>('POST', `${urls.gateway}/orders`, { body, headers: { ...credentials, 'idempotency-key': idempotencyKey } });
    if (answer.status !== 503 || retries >= 8) break;
    retries++;
    await sleep(250 * retries);
  }
  if (answer.status !== 201 && answer.status !== 202) return { status: answer.status, error: answer.body, retries };
  let order = answer.body as unknown as OrderView;
  if (order.status === 'created') {
    order = await waitFor(
      async () => {
        const current = await call<OrderView>('GET', `${urls.gateway}/orders/${order.id}`, { headers: { 'x-api-key': key } });
        return current.status === 200 && current.body.status !== 'created' ? current.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `the decision on order ${order.id}` },
    );
  }
  return { status: answer.status, order, retries };
}

/** The payment provider's signed callback for the order's payable amount. */
async function pay(order: OrderView): Promise<Json> {
  const { body, signature } = paymentCallback(order.id, { amount: order.payable, currency: order.currency }, `demo-pay-${order.id}`);
  return (await call<Json>('POST', `${urls.order}/payments/callback`, { body, headers: { 'x-payment-signature': signature }, expect: [200] })).body;
}

async function orderOf(key: string, id: string): Promise<OrderView> {
  return (await call<OrderView>('GET', `${urls.gateway}/orders/${id}`, { headers: { 'x-api-key': key }, expect: [200] })).body;
}

// ── Step 1 ───────────────────────────────────────────────────────────────────────────────────────
async function sameSkuThreeChannels(state: DemoState): Promise<void> {
  const productId = state.products[HERO_SKU];
  const viewers = [
    ['app', 'APP_KEY'],
    ['tmall', 'TMALL_KEY'],
    ['pos @ Xujiahui', 'STORE_B_KEY'],
    ['wechat', 'WECHAT_KEY'],
  ] as const;
  const views = new Map<string, ProductView>();
  for (const [name, envName] of viewers) {
    const view = await waitFor(
      async () => {
        const answer = await productView(keyOf(state, envName), productId);
        return answer.status === 200 && answer.body.skus.some((s) => s.sku === HERO_SKU && s.price && s.stock) ? answer.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `${HERO_SKU} on ${name} (the gateway's catalog copy may still be loading)` },
    );
    views.set(name, view);
  }
  narrator.say(dim(`GET /products/${productId} with each channel's key:`));
  narrator.say(bold(`${'channel'.padEnd(16)} ${'title'.padEnd(40)} ${'price'.padEnd(9)} stock hint`));
  for (const [name, view] of views) {
    const sku = skuOf(view, HERO_SKU);
    narrator.say(`${name.padEnd(16)} ${view.title.padEnd(40)} ${money(sku.price!.unit.amount).padEnd(9)} ${sku.stock!.text}  [${view.badges.join(', ')}]`);
  }
  const app = skuOf(views.get('app')!, HERO_SKU);
  const tmall = skuOf(views.get('tmall')!, HERO_SKU);
  const store = skuOf(views.get('pos @ Xujiahui')!, HERO_SKU);
  const tmallPrice = PRODUCTS.flatMap((p) => p.skus).find((s) => s.sku === HERO_SKU)!.tmallPrice!;
  claim(app.price!.unit.amount === basePrice(HERO_SKU), `the app should pay the base price ${money(basePrice(HERO_SKU))}, got ${money(app.price!.unit.amount)}`);
  claim(tmall.price!.unit.amount === tmallPrice, `tmall should pay its exclusive ${money(tmallPrice)}, got ${money(tmall.price!.unit.amount)}`);
  claim(store.price!.unit.amount === STORE_SPECIAL.amount, `Xujiahui's tills should show the store special ${money(STORE_SPECIAL.amount)}, got ${money(store.price!.unit.amount)}`);
  narrator.ok(`three prices for one SKU: base ${money(basePrice(HERO_SKU))} (app), marketplace-exclusive ${money(tmallPrice)} (tmall), store special ${money(STORE_SPECIAL.amount)} (Xujiahui)`);

  const { body: allocations } = await call<Array<{ channel: string; mode: string; available: number; safetyStock: number; quota: number }>>(
    'GET',
    `${urls.inventory}/internal/allocations/${HERO_SKU}`,
    { expect: [200] },
  );
  const tmallRule = allocations.find((a) => a.channel === 'tmall');
  const appRule = allocations.find((a) => a.channel === 'app');
  claim(tmallRule?.mode === 'dedicated', 'tmall should have a dedicated quota of the hero SKU');
  claim(appRule?.mode === 'shared', 'the app should sell from the shared pool');
  claim(
    tmall.stock!.code === (tmallRule.available > 30 ? 'IN_STOCK' : tmallRule.available > 0 ? 'ONLY_N_LEFT' : 'SOLD_OUT') && (tmall.stock!.quantity ?? tmallRule.available) === tmallRule.available,
    `tmall's hint should come from its quota of ${tmallRule.available}, got "${tmall.stock!.text}"`,
  );
  claim(app.stock!.code === (appRule.available > 5 ? 'IN_STOCK' : appRule.available > 0 ? 'ONLY_N_LEFT' : 'SOLD_OUT'), `the app's hint should follow its ATP ${appRule.available}, got "${app.stock!.text}"`);
  claim(store.stock!.code === 'IN_STOCK_HERE', `Xujiahui's tills should say the tea is on its shelf, got "${store.stock!.text}"`);
  narrator.ok(`tmall sells from its own quota (${tmallRule.available} left: "${tmall.stock!.text}"); the app from the shared pool minus ${appRule.safetyStock} safety stock (ATP ${appRule.available}: "${app.stock!.text}"); the store counts its own shelf ("${store.stock!.text}")`);
}

// ── Step 2 ───────────────────────────────────────────────────────────────────────────────────────
async function ensureFlashSaleOpen(): Promise<void> {
  const { body: rule } = await call<{ definition: Json; enabled: boolean }>('GET', `${urls.pricing}/internal/rules/${FLASH_SALE.ruleId}`, { expect: [200] });
  const now = Date.now();
  const from = Date.parse(String(rule.definition.effectiveFrom));
  const to = Date.parse(String(rule.definition.effectiveTo));
  if (rule.enabled && from <= now && now < to) return;
  const reopened = { ...rule.definition, effectiveFrom: new Date(now - 60_000).toISOString(), effectiveTo: new Date(now + 86_400_000).toISOString() };
  await call('PUT', `${urls.pricing}/internal/rules/${FLASH_SALE.ruleId}`, { body: reopened, expect: [200] });
  if (!rule.enabled) await call('POST', `${urls.pricing}/internal/rules/${FLASH_SALE.ruleId}/enable`, { expect: [200] });
  narrator.say('the flash sale window had closed: reopened it for a day');
}

/** Puts exactly FLASH_SALE_UNITS free units of the flash SKU in the warehouse. */
async function stockFlashSale(state: DemoState): Promise<void> {
  let rows = await levels(FLASH_SKU);
  if (sum(rows, 'reserved') > 0) {
    narrator.say(`waiting for ${sum(rows, 'reserved')} unit(s) held by unpaid orders of an earlier run to be released…`);
    rows = await waitFor(async () => {
      const current = await levels(FLASH_SKU);
      return sum(current, 'reserved') === 0 ? current : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'earlier flash-sale reservations to be released' });
  }
  const free = sum(rows, 'onHand');
  const target = FLASH_SALE_UNITS;
  if (free < target) {
    await call('POST', `${urls.inventory}/internal/stock/receipts`, {
      body: { lines: [{ sku: FLASH_SKU, locationId: state.locations.warehouse, ownerId: state.owners.retailer, quantity: target - free }] },
      headers: { 'idempotency-key': `demo-flash-restock:${runId}` },
      expect: [201],
    });
  } else if (free > target) {
    let excess = free - target;
    const lines = rows.filter((r) => r.onHand > 0).map((r) => {
      const delta = Math.min(r.onHand, excess);
      excess -= delta;
      return { sku: FLASH_SKU, locationId: r.locationId, ownerId: r.ownerId, delta: -delta, reasonCode: 'correction' };
    }).filter((l) => l.delta < 0);
    await call('POST', `${urls.inventory}/internal/stock/adjustments`, { body: { lines, note: 'demo: flash sale round' }, headers: { 'idempotency-key': `demo-flash-trim:${runId}` }, expect: [201] });
  }
}

async function flashSale(state: DemoState): Promise<void> {
  const productId = state.products[FLASH_SKU];
  const buyers = Number(process.env.DEMO_FLASH_BUYERS || 300);
  const concurrency = Number(process.env.DEMO_FLASH_CONCURRENCY || 16);
  const channels = [
    ['app', 'APP_KEY'],
    ['tmall', 'TMALL_KEY'],
    ['wechat', 'WECHAT_KEY'],
    ['pos @ People\'s Square', 'STORE_A_KEY'],
    ['pos @ Xujiahui', 'STORE_B_KEY'],
  ].map(([name, envName]) => ({ name, key: keyOf(state, envName) }));

  await ensureFlashSaleOpen();
  await stockFlashSale(state);
  const units = FLASH_SALE_UNITS;
  await waitFor(
    async () => {
      const answers = await Promise.all(channels.map((c) => productView(c.key, productId)));
      return answers.every((a) => a.status === 200 && skuOf(a.body, FLASH_SKU).price?.unit.amount === FLASH_SALE.salePrice && skuOf(a.body, FLASH_SKU).stock?.code !== 'SOLD_OUT');
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'every channel to show the flash sale price with stock' },
  );
  narrator.ok(`${units} units of the limited-edition Yixing teapot at the flash price ${money(FLASH_SALE.salePrice)} (list ${money(basePrice(FLASH_SKU))}), on sale on every channel`);
  narrator.say(`${buyers} buyers race for them, ${Math.round(buyers / channels.length)} from each of ${channels.length} channel keys, ${concurrency} orders in flight at a time`);

  // Watch every channel's view of the SKU while the buyers race.
  const race: { endedAt?: number } = {};
  let allSoldOutAt: number | undefined;
  const watcher = (async () => {
    for (;;) {
      if (race.endedAt !== undefined && ((allSoldOutAt !== undefined && Date.now() - allSoldOutAt > 500) || Date.now() - race.endedAt > 10_000)) return;
      // Stock hints are read live from inventory: a round's answers reflect the stock at some moment
      // after it asked. The lag is counted from the asking, not from when the answers got back: on a
      // loaded machine a round of five product views can itself take seconds, which is the watcher's
      // latency, not a stale view.
      const askedAt = Date.now();
      const answers = await Promise.all(channels.map((c) => productView(c.key, productId).catch(() => undefined)));
      const all = answers.every((a) => a?.status === 200 && a.body.skus.find((s) => s.sku === FLASH_SKU)?.stock?.code === 'SOLD_OUT');
      if (all) allSoldOutAt ??= askedAt;
      else allSoldOutAt = undefined;
      await sleep(100);
    }
  })();

  const outcomes = { won: [] as Array<{ order: OrderView; channel: string; at: number }>, soldOut: 0, retried: 0, unpaid: [] as string[], other: [] as string[] };
  let next = 0;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, buyers) }, async () => {
      while (next < buyers) {
        const i = next++;
        const channel = channels[i % channels.length];
        try {
          const result = await placeOrder(channel.key, { buyer: { anonymous: true }, lines: [{ sku: FLASH_SKU, quantity: 1 }], fulfilment: shipTo }, `flash-${runId}-${i}`);
          if (result.retries > 0) outcomes.retried++;
          if (result.order?.status === 'reserved') {
            const at = Date.now();
            outcomes.won.push({ order: result.order, channel: channel.name, at });
            // A winner pays at once, like a buyer in a flash sale: the unit is sold, not just held.
            const payment = await pay(result.order);
            if (payment.outcome !== 'captured') outcomes.unpaid.push(`${result.order.id}: ${JSON.stringify(payment)}`);
          } else if (result.order?.status === 'rejected' || result.status === 409) {
            outcomes.soldOut++;
          } else {
            outcomes.other.push(`${result.status} ${JSON.stringify(result.order?.status ?? result.error).slice(0, 200)}`);
          }
        } catch (error) {
          outcomes.other.push(error instanceof Error ? error.message : String(error));
        }
        narrator.progress('orders answered', ++done, buyers);
      }
    }),
  );
  race.endedAt = Date.now();
  const raceMs = race.endedAt - started;
  await watcher;
  const byChannel = channels.map((c) => `${c.name} ${outcomes.won.filter((w) => w.channel === c.name).length}`).join(', ');
  narrator.say(`${buyers} orders answered in ${(raceMs / 1000).toFixed(1)} s: ${outcomes.won.length} won and paid (${byChannel}), ${outcomes.soldOut} turned away as sold out, ${outcomes.other.length} other`);
  if (outcomes.retried > 0) narrator.say(`${outcomes.retried} buyer(s) got a 503 (order service busy) and retried with the same Idempotency-Key: each order was placed once`);
  claim(outcomes.other.length === 0, `every buyer should get a clear answer; ${outcomes.other.length} did not, e.g. ${outcomes.other.slice(0, 3).join(' | ')}`);
  claim(outcomes.unpaid.length === 0, `every winner's payment should be captured: ${outcomes.unpaid.slice(0, 3).join(' | ')}`);
  claim(outcomes.won.length === units, `exactly ${units} orders should win ${units} units, ${outcomes.won.length} did`);
  const after = await waitFor(async () => {
    const rows = await levels(FLASH_SKU);
    return sum(rows, 'reserved') === 0 && sum(rows, 'onHand') === 0 ? rows : undefined;
  }, { timeoutMs: 30_000, intervalMs: 250, what: 'the sold units to leave the stock' });
  narrator.ok(`sold = stock: ${outcomes.won.length} orders paid for ${units} units; inventory now holds ${sum(after, 'onHand')} on hand, ${sum(after, 'reserved')} reserved — nothing oversold`);

  const lastWin = Math.max(...outcomes.won.map((w) => w.at));
  claim(allSoldOutAt !== undefined, 'every channel should show the teapot as sold out after the race');
  const lagMs = Math.max(0, allSoldOutAt - lastWin);
  claim(lagMs <= 1000, `every channel should show "Sold out" within a second of the last unit going, took ${lagMs} ms`);
  narrator.ok(`every channel's view (${channels.map((c) => c.name).join(', ')}) showed "Sold out" ${lagMs === 0 ? 'by the time the last winner got its answer' : `${lagMs} ms after the last unit went`}`);
}

// ── Step 3 ───────────────────────────────────────────────────────────────────────────────────────
async function storePickup(state: DemoState): Promise<OrderView> {
  const storeA = state.locations.storeA;
  const onHandBefore = sum(await levels(PICKUP_SKU, storeA), 'onHand');
  const app = keyOf(state, 'APP_KEY');
  const placed = await placeOrder(app, { buyer: { anonymous: true }, lines: [{ sku: PICKUP_SKU, quantity: 1 }], fulfilment: { type: 'pickup', locationId: storeA } }, `pickup-${runId}`);
  claim(placed.order?.status === 'reserved', `the pickup order should be reserved at People's Square, got ${placed.status} ${JSON.stringify(placed.order?.status ?? placed.error)}`);
  const order = placed.order;
  narrator.ok(`a buyer in the app orders 1 × ${PICKUP_SKU} for pickup at People's Square: order ${order.id.slice(0, 8)}… reserved, ${money(order.total)} to pay`);

  const payment = await pay(order);
  claim(payment.outcome === 'captured', `the payment should be captured, got ${JSON.stringify(payment)}`);
  claim((await orderOf(app, order.id)).status === 'paid', 'the order should be paid');
  narrator.ok('the payment provider calls back (HMAC-signed): payment captured, order paid');

  const clerk = { authorization: `Bearer ${staffToken(['stock-operator'], 'demo-store-clerk')}` };
  await call('POST', `${urls.gateway}/admin/orders/${order.id}/picking`, { headers: clerk, expect: [200] });
  const ready = (await call<OrderView>('POST', `${urls.gateway}/admin/orders/${order.id}/ready-for-pickup`, { headers: clerk, expect: [200] })).body;
  claim(ready.status === 'ready_for_pickup' && /^\d{6}$/.test(ready.pickupCode ?? ''), `the order should be ready with a 6-digit code, got ${ready.status} ${ready.pickupCode}`);
  narrator.ok(`a store clerk (staff token, stock-operator) picks it and marks it ready: pickup code ${ready.pickupCode} goes to the buyer (order-ready-for-pickup)`);

  const code = ready.pickupCode!;
  const otherStore = await call<Json>('POST', `${urls.gateway}/orders/${order.id}/pickup`, { body: { code }, headers: { 'x-api-key': keyOf(state, 'STORE_B_KEY') } });
  claim(otherStore.status === 403, `the Xujiahui till should not hand over People's Square's order, got ${otherStore.status}`);
  const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const wrong = await call<Json>('POST', `${urls.gateway}/orders/${order.id}/pickup`, { body: { code: wrongCode }, headers: { 'x-api-key': keyOf(state, 'STORE_A_KEY') } });
  claim(wrong.status === 409, `a wrong code should be refused with 409, got ${wrong.status}`);
  narrator.ok(`refused: the Xujiahui till (403 ${String(otherStore.body.code)}) and a wrong code at People's Square (409 ${String(wrong.body.code)})`);
  const picked = await call<OrderView>('POST', `${urls.gateway}/orders/${order.id}/pickup`, { body: { code }, headers: { 'x-api-key': keyOf(state, 'STORE_A_KEY') }, expect: [200] });
  claim(picked.body.status === 'completed', `the order should be completed, got ${picked.body.status}`);
  const onHandAfter = await waitFor(async () => {
    const now = sum(await levels(PICKUP_SKU, storeA), 'onHand');
    return now === onHandBefore - 1 ? now : undefined;
  }, { timeoutMs: 20_000, intervalMs: 250, what: `People's Square's on-hand of ${PICKUP_SKU} to drop by one` });
  narrator.ok(`the buyer shows code ${code} at the People's Square till: order completed; the store's on-hand went ${onHandBefore} → ${onHandAfter}`);
  return picked.body;
}

// ── Step 4 ───────────────────────────────────────────────────────────────────────────────────────
async function unpaidOrder(state: DemoState): Promise<void> {
  const wechat = keyOf(state, 'WECHAT_KEY');
  const reservedBefore = sum(await levels(UNPAID_SKU), 'reserved');
  const placed = await placeOrder(wechat, { buyer: { anonymous: true }, lines: [{ sku: UNPAID_SKU, quantity: 2 }], fulfilment: shipTo }, `unpaid-${runId}`);
  claim(placed.order?.status === 'reserved', `the group-buy order should be reserved, got ${placed.status} ${JSON.stringify(placed.order?.status ?? placed.error)}`);
  const order = placed.order;
  const reservedNow = sum(await levels(UNPAID_SKU), 'reserved');
  claim(reservedNow >= reservedBefore + 2, `2 units should be held for the order, reserved went ${reservedBefore} → ${reservedNow}`);
  const windowMs = Date.parse(order.paymentDeadline) - Date.parse(order.createdAt);
  narrator.ok(`a wechat group-buy order holds 2 × ${UNPAID_SKU} (reserved ${reservedBefore} → ${reservedNow}); payment due by ${order.paymentDeadline}`);
  narrator.say(`nobody pays. This local suite gives buyers ${Math.round(windowMs / 1000)} s to pay (ORDER_PAYMENT_WINDOW_MS; 15 minutes by default)…`);

  const deadline = Date.parse(order.paymentDeadline);
  const start = Date.now();
  const total = Math.max(1, Math.ceil((deadline - start) / 1000));
  const released = await waitFor(
    async () => {
      narrator.progress('waiting for the deadline', Math.min(total, Math.floor((Date.now() - start) / 1000)), total);
      const current = await orderOf(wechat, order.id);
      return current.status === 'cancelled' ? current : undefined;
    },
    { timeoutMs: Math.max(0, deadline - Date.now()) + 60_000, intervalMs: 500, what: `order ${order.id} to be cancelled at its payment deadline` },
  );
  narrator.progress('waiting for the deadline', total, total);
  claim(released.cancelReason === 'payment-timeout', `the order should be cancelled for payment-timeout, got ${released.cancelReason}`);
  const lateBy = Date.now() - deadline;
  const reservedAfter = await waitFor(async () => {
    const now = sum(await levels(UNPAID_SKU), 'reserved');
    return now <= reservedNow - 2 ? now : undefined;
  }, { timeoutMs: 20_000, intervalMs: 250, what: 'the held units to be released' });
  narrator.ok(
    `after the deadline the order was cancelled (payment-timeout, seen ${(Math.max(0, lateBy) / 1000).toFixed(1)} s after it: the saga holds a short grace, ORDER_PAYMENT_GRACE_MS, for a payment captured in time whose callback is late) and its 2 units went back to every channel (reserved ${reservedNow} → ${reservedAfter})`,
  );
}

// ── Step 5 ───────────────────────────────────────────────────────────────────────────────────────
async function storeReturn(state: DemoState, picked: OrderView | undefined): Promise<void> {
  claim(picked, 'needs the completed pickup order of step 3');
  const storeA = state.locations.storeA;
  const onHandBefore = sum(await levels(PICKUP_SKU, storeA), 'onHand');
  const received = await call<Json>('POST', `${urls.gateway}/orders/${picked.id}/returns`, {
    body: { lineNo: 0, quantity: 1 },
    headers: { 'x-api-key': keyOf(state, 'STORE_A_KEY'), 'idempotency-key': `return-${runId}` },
  });
  claim(received.status === 201, `People's Square should take the return, got ${received.status} ${JSON.stringify(received.body).slice(0, 300)}`);
  const unitPrice = picked.lines[0].unitPrice;
  claim(received.body.refundAmount === unitPrice, `the refund should be the unit price ${money(unitPrice)}, got ${String(received.body.refundAmount)}`);
  narrator.ok(`the buyer brings 1 × ${PICKUP_SKU} back to People's Square: return ${String(received.body.id).slice(0, 8)}… received, refund ${money(unitPrice)} (order-refund-required)`);

  const staff = { authorization: `Bearer ${staffToken(['stock-operator'], 'demo-store-clerk')}` };
  const disposed = await call<Json>('POST', `${urls.gateway}/admin/orders/${picked.id}/returns/${String(received.body.id)}/disposition`, { body: { disposition: 'restocked' }, headers: staff });
  claim(disposed.status === 200 && disposed.body.status === 'restocked', `a stock operator should restock the return, got ${disposed.status} ${JSON.stringify(disposed.body).slice(0, 300)}`);
  narrator.ok('a stock operator checks it and restocks it (POST /admin/orders/:id/returns/:returnId/disposition)');
  const onHandAfter = await waitFor(async () => {
    const now = sum(await levels(PICKUP_SKU, storeA), 'onHand');
    return now === onHandBefore + 1 ? now : undefined;
  }, { timeoutMs: 30_000, intervalMs: 250, what: `People's Square's on-hand of ${PICKUP_SKU} to grow by the returned unit` });
  narrator.ok(`inventory booked the unit back on People's Square's shelf: on-hand ${onHandBefore} → ${onHandAfter}`);
}

// ── Step 6 ───────────────────────────────────────────────────────────────────────────────────────
interface QuoteView {
  quoteId: string;
  total: number;
  appliedRules: Array<{ ruleId: string; amount: number; couponCode?: string }>;
}

/** The newest sign-in code member sent to `phone` (masked there, so matched by its last digits), from the dev code sink. */
function codeSentTo(phone: string): string | undefined {
  const sink = process.env.MEMBER_OTP_SINK_FILE ?? join(ROOT, 'tmp', 'member-otp-codes.jsonl');
  if (!existsSync(sink)) return undefined;
  const sent = readFileSync(sink, 'utf8').trim().split('\n').slice(-200).map((l) => JSON.parse(l) as { to: string; code: string });
  return sent.reverse().find((l) => l.to.endsWith(phone.slice(-4)))?.code;
}

async function memberJourney(state: DemoState): Promise<void> {
  const app = keyOf(state, 'APP_KEY');
  const phone = `+86139${String(Date.now() % 100_000_000).padStart(8, '0')}`;
  await call('POST', `${urls.gateway}/auth/otp`, { body: { phone }, headers: { 'x-api-key': app }, expect: [202] });
  const code = await waitFor(async () => codeSentTo(phone), { timeoutMs: 10_000, intervalMs: 100, what: 'the sign-in code in the dev code sink' });
  const session = (await call<Json>('POST', `${urls.gateway}/auth/otp/verify`, { body: { phone, code }, headers: { 'x-api-key': app }, expect: [200] })).body;
  const memberId = String(session.memberId);
  const me = { 'x-api-key': app, authorization: `Bearer ${String(session.accessToken)}` };
  narrator.ok(`a buyer signs in to the app with a one-time code sent to their phone: member ${memberId.slice(0, 8)}… registered, a 15-minute member token and a refresh token`);

  // Their store purchases of the last months (as order-paid would have recorded them) make them silver.
  await call('POST', `${urls.member}/internal/members/${memberId}/points/earn`, { body: { orderId: randomUUID(), channel: 'pos', paidAmount: 120_000 }, expect: [200, 201] });
  const tier = await waitFor(async () => {
    const t = (await call<Json>('GET', `${urls.gateway}/me/tier`, { headers: me, expect: [200] })).body;
    return t.tier === 'silver' ? t : undefined;
  }, { timeoutMs: 10_000, intervalMs: 200, what: 'the member to be silver' });
  const pointsBefore = (await call<Json>('GET', `${urls.gateway}/me/points`, { headers: me, expect: [200] })).body;
  narrator.ok(`${money(120_000)} of earlier store purchases: tier ${String(tier.tier)} at once (tier-changed), ${String(pointsBefore.balance)} points`);

  // Member day: a coupon into the wallet, usable once.
  const template = MEMBER_DAY_COUPON;
  const validFrom = new Date(Date.now() - 60_000).toISOString();
  const validTo = new Date(Date.now() + 86_400_000).toISOString();
  await call('POST', `${urls.member}/internal/members/${memberId}/coupons`, {
    body: { templateId: template.templateId, code: template.code, validFrom, validTo, occasionKey: `demo-member-day:${runId}:${memberId}` },
    expect: [200, 201],
  });
  narrator.ok(`member day: a ${money(template.amount)} coupon (${template.code}) lands in the member's wallet`);

  // A quote at the member's tier: pricing learns the tier from tier-changed, never from the caller.
  const cart = { lines: [{ sku: HERO_SKU, quantity: 2 }], couponCodes: [template.code] };
  const guest = (await call<QuoteView>('POST', `${urls.gateway}/cart/quote`, { body: cart, headers: { 'x-api-key': app }, expect: [200] })).body;
  const quote = await waitFor(async () => {
    const q = (await call<QuoteView>('POST', `${urls.gateway}/cart/quote`, { body: cart, headers: me, expect: [200] })).body;
    return q.appliedRules.some((r) => r.ruleId === MEMBER_TIER_PRICE.ruleId) ? q : undefined;
  }, { timeoutMs: 15_000, intervalMs: 250, what: "a quote at the member's silver price" });
  const tierOff = quote.appliedRules.filter((r) => r.ruleId === MEMBER_TIER_PRICE.ruleId).reduce((n, r) => n + r.amount, 0);
  claim(quote.total < guest.total, `the member's quote should be below a guest's, got ${quote.total} vs ${guest.total}`);
  narrator.ok(`the same cart quotes ${money(guest.total)} for a guest and ${money(quote.total)} for the silver member (${money(tierOff)} tier price, coupon applied)`);

  // The order: the quote's coupon from the wallet, and points.
  const spendPoints = Math.min(500, Number(pointsBefore.balance));
  const placed = await placeOrderAs(me, { buyer: { anonymous: false }, lines: cart.lines, fulfilment: shipTo, quoteId: quote.quoteId, spend: { points: spendPoints } }, `member-${runId}`);
  claim(placed.order?.status === 'reserved', `the member's order should be reserved, got ${placed.status} ${JSON.stringify(placed.order?.status ?? placed.error)}`);
  const order = placed.order;
  claim(order.payable === quote.total - spendPoints, `payable should be the quote's ${money(quote.total)} minus ${spendPoints} points, got ${money(order.payable)}`);
  const wallet = (await call<Array<{ code: string; status: string }>>('GET', `${urls.gateway}/me/coupons`, { headers: me, expect: [200] })).body;
  claim(wallet.some((c) => c.code === template.code && c.status === 'frozen'), 'the wallet coupon should be frozen for the order');
  narrator.ok(`order ${order.id.slice(0, 8)}… reserved: ${money(quote.total)} − ${spendPoints} points = ${money(order.payable)} to pay; member froze the coupon and the points`);

  await pay(order);
  // The saga's Confirm redeems the frozen coupon and spends the frozen points; order-paid earns points for the order.
  await waitFor(async () => {
    const coupons = (await call<Array<{ code: string; status: string }>>('GET', `${urls.gateway}/me/coupons`, { headers: me, expect: [200] })).body;
    return coupons.some((c) => c.code === template.code && c.status === 'redeemed') ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 250, what: 'the coupon to be redeemed once the order is paid' });
  type PointsAnswer = { balance: number; frozen: number; history: Array<{ kind: string; delta: number; ref: string }> };
  const after = await waitFor(async () => {
    const p = (await call<PointsAnswer>('GET', `${urls.gateway}/me/points`, { headers: me, expect: [200] })).body;
    const earned = p.history.filter((h) => h.ref === order.id && h.delta > 0).reduce((n, h) => n + h.delta, 0);
    const spent = -p.history.filter((h) => h.ref === order.id && h.delta < 0).reduce((n, h) => n + h.delta, 0);
    // The balance and the history are two reads: wait until both show the order's spend and earn.
    const settled = earned > 0 && spent === spendPoints && p.frozen === 0 && p.balance === Number(pointsBefore.balance) - spendPoints + earned;
    return settled ? { ...p, earned } : undefined;
  }, { timeoutMs: 20_000, intervalMs: 250, what: `the balance to be ${String(pointsBefore.balance)} − ${spendPoints} spent + the points earned on the paid order` });
  narrator.ok(
    `paid: the coupon is redeemed (usable once), ${spendPoints} points spent and ${after.earned} earned on ${money(order.payable)} at silver's multiplier: balance ${String(pointsBefore.balance)} → ${after.balance}`,
  );

  // At a store till: the app shows a QR code, the till scans it once.
  const qr = (await call<Json>('POST', `${urls.gateway}/me/store-login-code`, { headers: me, expect: [200] })).body;
  const till = { 'x-api-key': keyOf(state, 'STORE_A_KEY') };
  const atTill = (await call<Json>('POST', `${urls.gateway}/store/member-login`, { body: { code: qr.code }, headers: till, expect: [200] })).body;
  claim(atTill.memberId === memberId && atTill.tier === 'silver', `the till should get the silver member, got ${JSON.stringify(atTill)}`);
  const replay = await call<Json>('POST', `${urls.gateway}/store/member-login`, { body: { code: qr.code }, headers: till });
  claim(replay.status === 409, `a scanned code should not work twice, got ${replay.status}`);
  narrator.ok(`at People's Square the till scans the app's QR code: member ${memberId.slice(0, 8)}… (${String(atTill.tier)}, ${String(atTill.displayName ?? 'no name')}) for the sale; scanned again it is refused (409 ${String(replay.body.code)})`);
}

// ── Step 7 ───────────────────────────────────────────────────────────────────────────────────────
/** The delivery platform's ids for People's Square and the drip coffee (the platform's own, mapped by staff). */
const ELEME = { store: 'ELEME-PEOPLES-SQUARE', item: `ELEME-${PICKUP_SKU}` };

async function deliveryPlatform(state: DemoState): Promise<void> {
  const storeA = state.locations.storeA;
  const staff = { authorization: `Bearer ${staffToken(['stock-operator'], 'demo-o2o')}` };
  const o2o = `${urls.gateway}/admin/o2o/platforms/eleme`;
  await call('PUT', `${o2o}/store-mappings`, { body: { mappings: [{ locationId: storeA, platformStore: ELEME.store }] }, headers: staff, expect: [200] });
  await call('PUT', `${o2o}/sku-mappings`, { body: { mappings: [{ sku: PICKUP_SKU, platformSku: ELEME.item }] }, headers: staff, expect: [200] });
  await call('POST', `${o2o}/resync`, { headers: staff, expect: [200, 202] });
  const platformStock = async () =>
    (await call<{ stock: Record<string, { quantity: number }> }>('GET', `${urls.deliveryPlatform}/_sim/state`, { expect: [200] })).body.stock[`${ELEME.store}|${ELEME.item}`]?.quantity;
  const ourAtp = async () => {
    const view = (await call<{ locations: Array<{ locationId: string; channels: Array<{ channel: string; available: number }> }> }>('GET', `${urls.inventory}/internal/atp/${PICKUP_SKU}`, { expect: [200] })).body;
    return view.locations.find((l) => l.locationId === storeA)?.channels.find((c) => c.channel === 'eleme')?.available;
  };
  const before = await waitFor(async () => {
    const [theirs, ours] = [await platformStock(), await ourAtp()];
    return theirs !== undefined && theirs === ours ? theirs : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200, what: "the delivery platform to show our ATP of People's Square" });
  narrator.ok(`staff map People's Square and ${PICKUP_SKU} to the delivery platform's ids (stock-operator, /admin/o2o): the platform shows ${before} for the store, our ATP for eleme there`);

  const app = keyOf(state, 'APP_KEY');
  const onHandBeforeSale = sum(await levels(PICKUP_SKU, storeA), 'onHand');
  const placed = await placeOrder(app, { buyer: { anonymous: true }, lines: [{ sku: PICKUP_SKU, quantity: 1 }], fulfilment: { type: 'pickup', locationId: storeA } }, `o2o-sale-${runId}`);
  claim(placed.order?.status === 'reserved', `the app sale should be reserved, got ${placed.status} ${JSON.stringify(placed.order?.status ?? placed.error)}`);
  const soldAt = Date.now();
  const after = await waitFor(async () => {
    const theirs = await platformStock();
    return theirs !== undefined && theirs < before ? theirs : undefined;
  }, { timeoutMs: 15_000, intervalMs: 25, what: "the delivery platform's stock to follow the app's sale" });
  const lagMs = Date.now() - soldAt;
  claim(after === before - 1, `the platform should show ${before - 1} after one unit sold, got ${after}`);
  // The push waits for its coalescing window and the platform's rate limit (shared with price pushes just after mapping): seconds, not a second, here.
  claim(lagMs <= 15_000, `the platform should follow the sale within 15 s, took ${lagMs} ms`);
  await pay(placed.order);
  narrator.ok(`a buyer in the app reserves 1 × ${PICKUP_SKU} at People's Square: the delivery platform shows ${before} → ${after} ${lagMs} ms later (stock-changed → coalesced push)`);

  // Once the paid app sale is deducted, the platform order's unit is the only one moving at the store.
  const base = await waitFor(async () => {
    const rows = await levels(PICKUP_SKU, storeA);
    return sum(rows, 'onHand') === onHandBeforeSale - 1 ? { onHand: sum(rows, 'onHand'), reserved: sum(rows, 'reserved') } : undefined;
  }, { timeoutMs: 20_000, intervalMs: 100, what: "the app sale's unit to be deducted at People's Square" });
  const ordered = (await call<Json>('POST', `${urls.deliveryPlatform}/_sim/orders`, { body: { store: ELEME.store, items: [{ item: ELEME.item, qty: 1, price: basePrice(PICKUP_SKU) }] }, expect: [201] })).body;
  const platformOrder = ordered.order as { orderId: string; state: string; reason?: string };
  claim(ordered.webhookStatus === 200, `the connector should take the platform's signed webhook, got ${String(ordered.webhookStatus)}`);
  const accepted = await waitFor(async () => {
    const orders = (await call<{ orders: Array<{ orderId: string; state: string; reason?: string }> }>('GET', `${urls.deliveryPlatform}/_sim/state`, { expect: [200] })).body.orders;
    const current = orders.find((o) => o.orderId === platformOrder.orderId);
    return current && current.state !== 'pending_accept' ? current : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100, what: `the connector's answer to platform order ${platformOrder.orderId}` });
  claim(accepted.state === 'accepted', `the platform order should be accepted, got ${accepted.state} ${accepted.reason ?? ''}`);
  // The platform's unit is held at People's Square (reserved, or already deducted once the platform's payment is recorded).
  const held = await waitFor(async () => {
    const rows = await levels(PICKUP_SKU, storeA);
    const moved = sum(rows, 'reserved') - base.reserved + (base.onHand - sum(rows, 'onHand'));
    return moved === 1 ? { reserved: sum(rows, 'reserved'), onHand: sum(rows, 'onHand') } : undefined;
  }, { timeoutMs: 20_000, intervalMs: 100, what: "the platform order's unit to be held at People's Square" });
  narrator.ok(
    `a buyer on the delivery platform orders 1 × ${ELEME.item}: signed webhook verified, mapped to ${PICKUP_SKU} at People's Square, our order placed on the eleme channel, the platform told "accepted", and our stock holds its unit (People's Square: ${held.reserved} reserved, ${held.onHand} on hand)`,
  );
}

async function main(): Promise<number> {
  const state = readDemoState();
  if (!state) {
    console.error('No demo data found: start the suite with `npm run up` (it loads the demo data), or run `npm run demo:seed`.');
    return 2;
  }
  narrator.line(bold(`omni-retail demo — Mellow Market, gateway ${urls.gateway}`));
  narrator.line(dim('Channels: app (own app), tmall (marketplace), wechat (social group-buy), pos at two stores.'));
  await narrator.step('One SKU, three channels', `${HERO_SKU} through the gateway with each channel's API key: each sees its own price and its own stock hint.`, () =>
    sameSkuThreeChannels(state),
  );
  await narrator.step('Flash sale: hundreds of buyers, a few units', `Buyers from every channel order the flash-sale teapot at once; stock decides who wins.`, () => flashSale(state));
  let picked: OrderView | undefined;
  await narrator.step('Store pickup', 'Ordered in the app, paid, picked and collected at People\'s Square with a pickup code.', async () => {
    picked = await storePickup(state);
  });
  await narrator.step('An order nobody pays', 'A group-buy order holds stock until its payment deadline, then lets it go.', () => unpaidOrder(state));
  await narrator.step('A return at the store, restocked there', 'The pickup order of step 3 comes back to People\'s Square and goes back on its shelf.', () => storeReturn(state, picked));
  await narrator.step('A delivery platform kept in step', "A sale in the app lowers the delivery platform's stock for that store; a platform order comes in, is accepted and reserves our stock.", () =>
    deliveryPlatform(state),
  );
  await narrator.step('A member across channels', 'A buyer signs in, quotes at their tier, pays with points and a member-day coupon, earns points, and is recognised at a store till by a QR code.', () => memberJourney(state));
  return narrator.summary() ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
