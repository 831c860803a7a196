// `npm run demo:seed`: loads the demo retailer into the running suite through the services'
// internal APIs (and the gateway's back office for channel keys). Idempotent: everything is found
// by its natural key (location code, owner name, category and brand name, SKU, profile code, rule
// id) and written only when missing or different; stock arrives in one receipt under a fixed
// Idempotency-Key. A second run changes nothing.
//
//   node -r @swc-node/register tools/demo/seed.ts [--keys-only]
//
// --keys-only (used by `npm run up` when the suite already has data) only makes sure the demo
// channel keys authenticate, creating new ones when they do not.
import {
  ALLOCATIONS,
  BRANDS,
  CATEGORIES,
  CHANNEL_PROFILE,
  CURRENCY,
  DEMO_KEYS,
  DISPLAY_PROFILES,
  FLASH_SALE,
  HERO_SKU,
  LOCATIONS,
  OWNERS,
  PRODUCTS,
  SPEND_THRESHOLD,
  STORE_SPECIAL,
  STORE_THRESHOLDS,
  mediaFor,
  MEMBER_DAY_COUPON,
  MEMBER_TIER_PRICE,
  type DemoProduct,
} from './demo-data';
import { requestHash } from '@omni/platform';
import { call, demoDir, readDemoKeys, staffToken, suiteUrls, writeDemoState, type DemoKey, type DemoState, type SuiteUrls } from './suite';
import { serviceAuthHeaders } from '@omni/platform/testing';

type Json = Record<string, unknown>;

/** What a run did: created, changed, or found in place. */
export class Tally {
  created = 0;
  changed = 0;
  unchanged = 0;

  summary(): string {
    return `${this.created} created, ${this.changed} changed, ${this.unchanged} already in place`;
  }
}

/** Deep equality of JSON values, ignoring object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Json)
              .filter(([, x]) => x !== undefined && x !== null)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

interface SeedContext {
  urls: SuiteUrls;
  tally: Tally;
  log: (line: string) => void;
}

async function ensureLocations(ctx: SeedContext): Promise<DemoState['locations']> {
  const { body: existing } = await call<Array<{ id: string; code: string }>>('GET', `${ctx.urls.inventory}/internal/locations`, { expect: [200] });
  const ids: Record<string, string> = {};
  for (const location of LOCATIONS) {
    const found = existing.find((l) => l.code === location.code);
    if (found) {
      ids[location.role] = found.id;
      ctx.tally.unchanged++;
      continue;
    }
    const { role: _role, ...body } = location;
    const { body: created } = await call<{ id: string }>('POST', `${ctx.urls.inventory}/internal/locations`, { body, expect: [201] });
    ids[location.role] = created.id;
    ctx.tally.created++;
  }
  return ids as DemoState['locations'];
}

async function ensureOwners(ctx: SeedContext): Promise<DemoState['owners']> {
  const { body: existing } = await call<Array<{ id: string; name: string; type: string }>>('GET', `${ctx.urls.inventory}/internal/owners`, { expect: [200] });
  const ids: Record<string, string> = {};
  for (const [role, owner] of Object.entries(OWNERS)) {
    const found = existing.find((o) => o.name === owner.name && o.type === owner.type);
    if (found) {
      ids[role] = found.id;
      ctx.tally.unchanged++;
    } else {
      ids[role] = (await call<{ id: string }>('POST', `${ctx.urls.inventory}/internal/owners`, { body: owner, expect: [201] })).body.id;
      ctx.tally.created++;
    }
  }
  return ids as DemoState['owners'];
}

/** Finds or creates one named thing (category, brand) by its name. */
async function ensureNamed(ctx: SeedContext, path: string, names: readonly string[], extra: Json = {}): Promise<Record<string, string>> {
  const { body: existing } = await call<Array<{ id: string; name: string; parentId?: string | null }>>('GET', `${ctx.urls.catalog}/internal/${path}`, { expect: [200] });
  const ids: Record<string, string> = {};
  for (const name of names) {
    const found = existing.find((e) => e.name === name && !e.parentId);
    if (found) {
      ids[name] = found.id;
      ctx.tally.unchanged++;
    } else {
      // A name may hold characters no Idempotency-Key may (spaces, '&'); its hash never does.
      const headers = { 'idempotency-key': `demo-seed:${path}:${requestHash(name).slice(0, 32)}` };
      ids[name] = (await call<{ id: string }>('POST', `${ctx.urls.catalog}/internal/${path}`, { body: { name, ...extra }, headers, expect: [200, 201] })).body.id;
      ctx.tally.created++;
    }
  }
  return ids;
}

async function ensureDisplayProfiles(ctx: SeedContext): Promise<void> {
  for (const [code, profile] of Object.entries(DISPLAY_PROFILES)) {
    const current = await call<Json>('GET', `${ctx.urls.catalog}/internal/display-profiles/${code}`, { expect: [200, 404] });
    if (current.status === 200 && sameJson({ stockHint: current.body.stockHint, badges: current.body.badges }, profile)) {
      ctx.tally.unchanged++;
      continue;
    }
    await call('PUT', `${ctx.urls.catalog}/internal/display-profiles/${code}`, { body: profile, expect: [200] });
    if (current.status === 404) ctx.tally.created++;
    else ctx.tally.changed++;
  }
}

/** A product as the seed compares it: id, SKUs and channel listings. */
interface CatalogProduct {
  id: string;
  skus: Array<{ sku: string }>;
  listings: Array<Json & { channel: string }>;
}

/** Every product of the catalog (from the full export), by each of its SKUs. */
async function productsBySku(urls: SuiteUrls): Promise<Map<string, CatalogProduct>> {
  const bySku = new Map<string, CatalogProduct>();
  let after: string | null = null;
  do {
    const page: { body: { items: Array<{ productId: string; product: { skus: Array<{ sku: string }>; channels: CatalogProduct['listings'] } }>; nextAfter: string | null } } = await call(
      'GET',
      `${urls.catalog}/internal/products/export?limit=500${after ? `&after=${after}` : ''}`,
      { expect: [200] },
    );
    for (const item of page.body.items) {
      const product: CatalogProduct = { id: item.productId, skus: item.product.skus, listings: item.product.channels };
      for (const sku of product.skus) bySku.set(sku.sku, product);
    }
    after = page.body.nextAfter;
  } while (after);
  return bySku;
}

/** The listing a demo product has on a channel. */
function listingOf(product: DemoProduct, channel: keyof typeof CHANNEL_PROFILE): Json {
  const listing: Json = { visible: true, displayProfile: CHANNEL_PROFILE[channel] };
  if (channel === 'tmall' && product.tmallTitle) {
    listing.title = product.tmallTitle;
    listing.media = [{ kind: 'video', url: `https://img.example.com/mellow/${product.skus[0].sku.toLowerCase()}/tmall-feature.mp4`, position: 0 }, ...mediaFor(product.skus[0].sku).map((m) => ({ ...m, position: m.position + 1 }))];
  }
  return listing;
}

async function ensureProducts(ctx: SeedContext, categories: Record<string, string>, brands: Record<string, string>): Promise<Record<string, string>> {
  const existing = await productsBySku(ctx.urls);
  const ids: Record<string, string> = {};
  for (const product of PRODUCTS) {
    const firstSku = product.skus[0].sku;
    let found = existing.get(firstSku);
    if (!found) {
      const body = {
        title: product.title,
        description: product.description,
        brandId: brands[product.brand],
        categoryIds: [categories[product.category]],
        tags: product.tags,
        media: mediaFor(firstSku),
        skus: product.skus.map((s) => ({ sku: s.sku, attributes: s.attributes })),
      };
      const { body: created } = await call<CatalogProduct>('POST', `${ctx.urls.catalog}/internal/products`, { body, headers: { 'idempotency-key': `demo-seed:product:${firstSku}` }, expect: [200, 201] });
      found = { id: created.id, skus: created.skus, listings: created.listings };
      ctx.tally.created++;
    } else {
      ctx.tally.unchanged++;
    }
    const productId = found.id;
    for (const s of product.skus) ids[s.sku] = productId;
    const listings = found.listings ?? [];
    for (const channel of Object.keys(CHANNEL_PROFILE) as Array<keyof typeof CHANNEL_PROFILE>) {
      const wanted = listingOf(product, channel);
      const current = listings.find((l) => l.channel === channel);
      if (current && sameJson({ ...current, channel: undefined, display: undefined }, wanted)) {
        ctx.tally.unchanged++;
        continue;
      }
      await call('PUT', `${ctx.urls.catalog}/internal/products/${productId}/listings/${channel}`, { body: wanted, expect: [200] });
      if (current) ctx.tally.changed++;
      else ctx.tally.created++;
    }
  }
  return ids;
}

async function ensureStores(ctx: SeedContext, locations: DemoState['locations']): Promise<void> {
  for (const role of ['storeA', 'storeB'] as const) {
    const location = LOCATIONS.find((l) => l.role === role)!;
    const id = locations[role];
    const wanted = { channel: 'pos', name: location.name, lowStockThreshold: 3 };
    const current = await call<Json>('GET', `${ctx.urls.catalog}/internal/stores/${id}`, { expect: [200, 404] });
    if (current.status === 200 && current.body.channel === wanted.channel && current.body.name === wanted.name && current.body.lowStockThreshold === wanted.lowStockThreshold) {
      ctx.tally.unchanged++;
    } else {
      await call('PUT', `${ctx.urls.catalog}/internal/stores/${id}`, { body: wanted, expect: [200] });
      if (current.status === 404) ctx.tally.created++;
      else ctx.tally.changed++;
    }
    const carried = PRODUCTS.flatMap((p) => p.skus).filter((s) => s.stock[role] > 0).map((s) => s.sku).sort();
    const assortment = await call<{ skus: string[] }>('GET', `${ctx.urls.catalog}/internal/stores/${id}/assortment`, { expect: [200] });
    if (sameJson([...assortment.body.skus].sort(), carried)) {
      ctx.tally.unchanged++;
    } else {
      await call('PUT', `${ctx.urls.catalog}/internal/stores/${id}/assortment`, { body: { skus: carried }, expect: [200] });
      if (assortment.body.skus.length === 0) ctx.tally.created++;
      else ctx.tally.changed++;
    }
  }
}

/** All opening stock in one receipt under a fixed key: a repeat is answered from the log, with no second effect. */
async function receiveStock(ctx: SeedContext, locations: DemoState['locations'], owners: DemoState['owners']): Promise<void> {
  const lines = PRODUCTS.flatMap((p) => p.skus).flatMap((s) =>
    (['warehouse', 'storeA', 'storeB'] as const)
      .filter((role) => s.stock[role] > 0)
      .map((role) => ({
        sku: s.sku,
        locationId: locations[role],
        ownerId: role === 'warehouse' && s.stock.consigned ? owners.consignor : owners.retailer,
        quantity: s.stock[role],
      })),
  );
  const res = await fetch(`${ctx.urls.inventory}/internal/stock/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'demo-seed:opening-stock:v1', ...serviceAuthHeaders('inventory', { issuer: 'demo' }) },
    body: JSON.stringify({ lines }),
  });
  if (res.status !== 201) throw new Error(`the opening stock receipt answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  if (res.headers.get('idempotent-replayed') === 'true') ctx.tally.unchanged++;
  else ctx.tally.created++;
}

async function ensureAllocations(ctx: SeedContext): Promise<void> {
  for (const allocation of ALLOCATIONS) {
    const { body: rules } = await call<Array<{ channel: string }>>('GET', `${ctx.urls.inventory}/internal/allocations/${allocation.sku}`, { expect: [200] });
    // Set once: a dedicated quota shrinks as the channel sells, so it is never reset by a later run.
    if (rules.some((r) => r.channel === allocation.channel)) {
      ctx.tally.unchanged++;
      continue;
    }
    await call('PUT', `${ctx.urls.inventory}/internal/allocations/${allocation.sku}/${allocation.channel}`, { body: allocation.rule, expect: [200] });
    ctx.tally.created++;
  }
}

async function ensureThresholds(ctx: SeedContext, locations: DemoState['locations']): Promise<void> {
  for (const { sku, threshold } of STORE_THRESHOLDS) {
    for (const store of [locations.storeA, locations.storeB]) {
      const current = await call<Json>('GET', `${ctx.urls.inventory}/internal/thresholds/${sku}/${store}`, { expect: [200, 404] });
      if (current.status === 200 && current.body.threshold === threshold) {
        ctx.tally.unchanged++;
        continue;
      }
      await call('PUT', `${ctx.urls.inventory}/internal/thresholds/${sku}/${store}`, { body: { threshold }, expect: [200] });
      if (current.status === 404) ctx.tally.created++;
      else ctx.tally.changed++;
    }
  }
}

async function ensurePrices(ctx: SeedContext, categories: Record<string, string>): Promise<void> {
  for (const product of PRODUCTS) {
    for (const s of product.skus) {
      const wanted = { amount: s.price, categoryIds: [categories[product.category]] };
      const base = await call<Json>('GET', `${ctx.urls.pricing}/internal/base-prices/${s.sku}`, { expect: [200, 404] });
      if (base.status === 200 && base.body.amount === wanted.amount && sameJson(base.body.categoryIds, wanted.categoryIds)) {
        ctx.tally.unchanged++;
      } else {
        await call('PUT', `${ctx.urls.pricing}/internal/base-prices/${s.sku}`, { body: wanted, expect: [200] });
        if (base.status === 404) ctx.tally.created++;
        else ctx.tally.changed++;
      }
      if (s.tmallPrice === undefined) continue;
      const listed = await call<Json>('GET', `${ctx.urls.pricing}/internal/channel-prices/tmall/${s.sku}`, { expect: [200, 404] });
      if (listed.status === 200 && listed.body.amount === s.tmallPrice && !listed.body.effectiveFrom && !listed.body.effectiveTo) {
        ctx.tally.unchanged++;
        continue;
      }
      await call('PUT', `${ctx.urls.pricing}/internal/channel-prices/tmall/${s.sku}`, { body: { amount: s.tmallPrice }, expect: [200] });
      if (listed.status === 404) ctx.tally.created++;
      else ctx.tally.changed++;
    }
  }
}

/** The demo's price rules; the flash sale's window starts when it is first created. */
export function demoRules(storeB: string, now = new Date()): Json[] {
  const base = { version: 1, currency: CURRENCY, priority: 0 };
  return [
    {
      ...base,
      id: STORE_SPECIAL.ruleId,
      name: 'Xujiahui store special: Longjing 250g',
      kind: 'special-price',
      group: 'store-special',
      priority: 10,
      channels: ['pos'],
      storeIds: [storeB],
      prices: [{ sku: STORE_SPECIAL.sku, amount: STORE_SPECIAL.amount }],
    },
    {
      ...base,
      id: SPEND_THRESHOLD.ruleId,
      name: 'Spend 300, get 30 off',
      kind: 'spend-threshold',
      group: 'order-promotion',
      thresholds: [{ minSubtotal: SPEND_THRESHOLD.minSubtotal, discount: SPEND_THRESHOLD.discount }],
    },
    {
      ...base,
      id: FLASH_SALE.ruleId,
      name: 'Flash sale: limited-edition Yixing teapot',
      kind: 'flash-sale',
      group: 'flash-sale',
      priority: 100,
      sku: FLASH_SALE.sku,
      salePrice: FLASH_SALE.salePrice,
      quantityCap: 1_000,
      perMemberLimit: 1,
      effectiveFrom: new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString(),
      effectiveTo: new Date(Math.floor(now.getTime() / 60_000) * 60_000 + FLASH_SALE.days * 86_400_000).toISOString(),
    },
    {
      ...base,
      id: MEMBER_TIER_PRICE.ruleId,
      name: 'Silver and gold members 5 % off',
      kind: 'member-tier-discount',
      group: 'member',
      priority: 5,
      tiers: MEMBER_TIER_PRICE.tiers,
      percentOffBps: MEMBER_TIER_PRICE.percentOffBps,
    },
  ];
}

/** The member-day coupon template; its window starts the day it is first created. */
export function demoCouponTemplate(now = new Date()): Json {
  const day = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
  return {
    id: MEMBER_DAY_COUPON.templateId,
    version: 1,
    code: MEMBER_DAY_COUPON.code,
    name: 'Member day: 10 off',
    kind: 'cash',
    currency: CURRENCY,
    validFrom: new Date(day).toISOString(),
    validTo: new Date(day + MEMBER_DAY_COUPON.days * 86_400_000).toISOString(),
    stacksWithGroups: ['member', 'order-promotion', 'store-special'],
    amount: MEMBER_DAY_COUPON.amount,
  };
}

async function ensureCouponTemplate(ctx: SeedContext): Promise<void> {
  const template = demoCouponTemplate();
  const current = await call<Json>('GET', `${ctx.urls.pricing}/internal/coupon-templates/${String(template.id)}`, { expect: [200, 404] });
  if (current.status === 200) {
    ctx.tally.unchanged++;
    return;
  }
  await call('POST', `${ctx.urls.pricing}/internal/coupon-templates`, { body: template, headers: { 'idempotency-key': `demo-seed:coupon:${String(template.id)}` }, expect: [200, 201] });
  ctx.tally.created++;
}

async function ensureRules(ctx: SeedContext, locations: DemoState['locations']): Promise<void> {
  for (const rule of demoRules(locations.storeB)) {
    const current = await call<Json>('GET', `${ctx.urls.pricing}/internal/rules/${rule.id}`, { expect: [200, 404] });
    if (current.status === 200) {
      ctx.tally.unchanged++;
      continue;
    }
    await call('POST', `${ctx.urls.pricing}/internal/rules`, { body: rule, headers: { 'idempotency-key': `demo-seed:rule:${rule.id}` }, expect: [200, 201] });
    ctx.tally.created++;
  }
}

/** True when `key` still authenticates at the gateway as the channel (and store) it was made for. */
async function keyWorks(urls: SuiteUrls, key: DemoKey): Promise<boolean> {
  const answer = await call('GET', `${urls.gateway}/products?limit=1`, { headers: { 'x-api-key': key.key } });
  return answer.status === 200;
}

async function ensureKeys(ctx: SeedContext, locations: DemoState['locations']): Promise<DemoKey[]> {
  const kept = readDemoKeys();
  const admin = { authorization: `Bearer ${staffToken(['admin'], 'demo-seed')}` };
  const keys: DemoKey[] = [];
  for (const wanted of DEMO_KEYS) {
    const locationId = wanted.store ? locations[wanted.store] : null;
    const previous = kept.find((k) => k.envName === wanted.envName && k.channel === wanted.channel && k.locationId === locationId);
    if (previous && (await keyWorks(ctx.urls, previous))) {
      keys.push(previous);
      ctx.tally.unchanged++;
      continue;
    }
    const body = { name: `demo: ${wanted.label}`, channel: wanted.channel, ...(locationId ? { locationId } : {}) };
    const { body: created } = await call<{ key: string }>('POST', `${ctx.urls.gateway}/admin/api-keys`, { body, headers: admin, expect: [201] });
    keys.push({ label: wanted.label, channel: wanted.channel, locationId, envName: wanted.envName, key: created.key });
    ctx.tally.created++;
  }
  return keys;
}

async function checkSuite(urls: SuiteUrls): Promise<void> {
  // The services; the delivery platform simulator is no service of ours (the demo's O2O step reads it).
  const { deliveryPlatform: _simulator, ...services } = urls;
  for (const [name, url] of Object.entries(services)) {
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) continue;
      throw new Error(`answered ${res.status}`);
    } catch (error) {
      throw new Error(`${name} at ${url} is not ready (${error instanceof Error ? error.message : String(error)}): start the suite with \`npm run up\` first`);
    }
  }
}

/** Loads the demo data (or, with keysOnly, only the channel keys) and writes the demo state files. */
export async function seedDemo(options: { keysOnly?: boolean; log?: (line: string) => void } = {}): Promise<{ state?: DemoState; tally: Tally }> {
  const urls = suiteUrls();
  const ctx: SeedContext = { urls, tally: new Tally(), log: options.log ?? ((line) => console.log(line)) };
  await checkSuite(urls);
  let locations: DemoState['locations'];
  let owners: DemoState['owners'];
  let products: Record<string, string>;
  if (options.keysOnly) {
    const { body: existing } = await call<Array<{ id: string; code: string }>>('GET', `${urls.inventory}/internal/locations`, { expect: [200] });
    const byRole = Object.fromEntries(LOCATIONS.map((l) => [l.role, existing.find((e) => e.code === l.code)?.id]));
    if (!byRole.warehouse || !byRole.storeA || !byRole.storeB) {
      ctx.log('  this suite has data but not the demo data: no demo keys (npm run demo:seed loads it)');
      return { tally: ctx.tally };
    }
    locations = byRole as DemoState['locations'];
    const { body: ownerList } = await call<Array<{ id: string; name: string }>>('GET', `${urls.inventory}/internal/owners`, { expect: [200] });
    owners = {
      retailer: ownerList.find((o) => o.name === OWNERS.retailer.name)?.id ?? '',
      consignor: ownerList.find((o) => o.name === OWNERS.consignor.name)?.id ?? '',
    };
    products = Object.fromEntries([...(await productsBySku(urls))].map(([sku, p]) => [sku, p.id]));
  } else {
    const step = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      const before = { ...ctx.tally };
      const started = Date.now();
      const result = await work();
      const created = ctx.tally.created - before.created;
      const changed = ctx.tally.changed - before.changed;
      ctx.log(`  ✓ ${what.padEnd(58)} ${created} new, ${changed} changed  (${Date.now() - started} ms)`);
      return result;
    };
    locations = await step('locations: central warehouse and two stores', () => ensureLocations(ctx));
    owners = await step('stock owners: the retailer and a consignor', () => ensureOwners(ctx));
    const categories = await step(`categories: ${CATEGORIES.join(', ')}`, () => ensureNamed(ctx, 'categories', CATEGORIES, { parentId: null }));
    const brands = await step('brands', () => ensureNamed(ctx, 'brands', BRANDS));
    await step('display profiles per channel', () => ensureDisplayProfiles(ctx));
    const skuCount = PRODUCTS.reduce((n, p) => n + p.skus.length, 0);
    products = await step(`${PRODUCTS.length} products, ${skuCount} SKUs, listed on app/tmall/wechat/pos`, () => ensureProducts(ctx, categories, brands));
    await step('stores and their assortments', () => ensureStores(ctx, locations));
    await step('opening stock (one receipt, consigned tea included)', () => receiveStock(ctx, locations, owners));
    await step('allocations: tmall quota, app safety stock', () => ensureAllocations(ctx));
    await step('low-stock thresholds at the stores', () => ensureThresholds(ctx, locations));
    await step('base prices and the marketplace price list', () => ensurePrices(ctx, categories));
    await step('rules: store special, spend 300 get 30, flash sale, silver and gold 5 % off', () => ensureRules(ctx, locations));
    await step('the member-day coupon template', () => ensureCouponTemplate(ctx));
  }
  const keys = await ensureKeys(ctx, locations);
  const state: DemoState = { gatewayUrl: urls.gateway, locations, owners, products, keys };
  writeDemoState(state, { TEA: products[HERO_SKU] ?? '', STORE_A: locations.storeA, STORE_B: locations.storeB });
  return { state, tally: ctx.tally };
}

if (require.main === module) {
  const keysOnly = process.argv.includes('--keys-only');
  const started = Date.now();
  if (!keysOnly) console.log(`› demo data for Mellow Market → ${suiteUrls().gateway}`);
  seedDemo({ keysOnly }).then(
    ({ state, tally }) => {
      if (!keysOnly) console.log(`› demo data: ${tally.summary()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (state) console.log(`› demo ids and channel keys in ${demoDir()}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`✗ demo data: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
