import { PRICE_CHANGED, STOCK_CHANGED, type EventContract, type PriceChangedEvent, type StockChangedEvent } from '@omni/contracts';
import { CE, createKafka, INBOX_TABLE, type MessagingLogger } from '@omni/messaging';
import { DataSource } from 'typeorm';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import type { Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { LabelChangesPage, LabelExportPage, ShelfLabelView } from '../src/shelf-labels/shelf-label.service';
import { api, startCatalog, type CatalogUnderTest } from './catalog-test-kit';

jest.setTimeout(120_000);

const quiet: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('shelf-label feed (real Postgres and Kafka)', () => {
  let catalog: CatalogUnderTest;
  let producer: Producer;
  let url: string;
  const east = uuidv7();
  const west = uuidv7();
  const sku = (name: string): string => `${name}-${suffix}`;
  const suffix = uniqueId('').slice(-8);
  const priceVersions = new Map<string, number>();
  const stockVersions = new Map<string, number>();
  let productId: string;
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => api<T>(url, method, path, body);

  async function publish<T extends object>(contract: EventContract<T>, payload: T, id = uuidv7()): Promise<string> {
    await producer.send({
      topic: `${catalog.topicPrefix}${contract.topic}`,
      messages: [{
        key: contract.key(payload),
        value: JSON.stringify(payload),
        headers: { [CE.id]: id, [CE.type]: contract.type, [CE.specversion]: '1.0', [CE.source]: `/omni-retail/${contract.source}`, [CE.time]: new Date().toISOString() },
      }],
    });
    return id;
  }

  const price = (code: string, amount: number, channel: string | null = null, effectiveFrom = new Date().toISOString()): Promise<string> => {
    const version = (priceVersions.get(code) ?? 0) + 1;
    priceVersions.set(code, version);
    const event: PriceChangedEvent = { schemaVersion: 1, occurredAt: new Date().toISOString(), sku: code, channel, price: { amount, currency: 'CNY' }, effectiveFrom, version };
    return publish(PRICE_CHANGED, event);
  };

  const stock = (code: string, locationId: string, available: number, version?: number, cause: StockChangedEvent['cause'] = 'adjustment'): Promise<string> => {
    const v = version ?? (stockVersions.get(code) ?? 0) + 1;
    stockVersions.set(code, Math.max(v, stockVersions.get(code) ?? 0));
    const event: StockChangedEvent = {
      schemaVersion: 1, occurredAt: new Date().toISOString(), sku: code, locationId, version: v, onHand: available, reserved: 0, available, atp: [], cause,
    };
    return publish(STOCK_CHANGED, event);
  };

  const exportOf = async (store: string): Promise<LabelExportPage> => (await call<LabelExportPage>('GET', `/internal/stores/${store}/labels`)).body;
  const changesOf = async (store: string, since: number): Promise<LabelChangesPage> =>
    (await call<LabelChangesPage>('GET', `/internal/stores/${store}/labels/changes?since=${since}`)).body;
  /** Resolves once the shelf-label handlers' inbox (group `catalog`; the channel feeds have their own) recorded every given event id (i.e. its effect committed). */
  const consumed = (...ids: string[]): Promise<boolean> =>
    waitFor(async () => {
      const rows: { n: number }[] = await catalog.service.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${INBOX_TABLE} WHERE consumer_group = 'catalog' AND event_id = ANY($1)`, [ids]);
      return rows[0].n === ids.length;
    }, { timeoutMs: 15_000, intervalMs: 50, what: `events ${ids.join(', ')} consumed` });
  const label = async (store: string, code: string): Promise<ShelfLabelView | undefined> => (await exportOf(store)).labels.find((l) => l.sku === code);

  beforeAll(async () => {
    catalog = await startCatalog('labels', { PRICE_ACTIVATION_INTERVAL_MS: '200' });
    url = catalog.url;
    producer = createKafka({ clientId: 'labels-test', brokers: testInfra.kafkaBrokers, logger: quiet }).producer({ idempotent: true });
    await producer.connect();
    const created = await call<{ id: string }>('POST', '/internal/products', {
      title: 'Oolong',
      skus: ['A', 'B', 'C', 'D'].map((name) => ({ sku: sku(name), attributes: { size: name } })),
    });
    productId = created.body.id;
    expect((await call('PUT', `/internal/stores/${east}`, { channel: 'store-east', name: 'East', lowStockThreshold: 3 })).status).toBe(200);
    expect((await call('PUT', `/internal/stores/${west}`, { channel: 'store-west', name: 'West' })).status).toBe(200);
    expect((await call('PUT', `/internal/stores/${east}/assortment`, { skus: [sku('A'), sku('B'), sku('C')] })).body).toMatchObject({ skus: [sku('A'), sku('B'), sku('C')] });
    await call('PUT', `/internal/stores/${west}/assortment`, { skus: [sku('A'), sku('D')] });
    for (const [name, amount] of [['A', 1000], ['B', 2000], ['C', 3000], ['D', 4000]] as const) await price(sku(name), amount);
    await stock(sku('A'), east, 2);
    await stock(sku('B'), east, 10);
    await waitFor(async () => {
      const labels = (await exportOf(east)).labels;
      return labels.length === 3 && labels.every((l) => l.price !== null) && labels.find((l) => l.sku === sku('B'))?.stockHint.code === 'IN_STOCK_HERE' && labels;
    }, { timeoutMs: 20_000, intervalMs: 100, what: 'east labels priced and stocked' });
    await waitFor(async () => (await exportOf(west)).labels.every((l) => l.price !== null), { timeoutMs: 20_000, intervalMs: 100, what: 'west labels priced' });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await catalog?.close();
  });

  it('exports a store assortment with current price, stock hint and a version to continue from', async () => {
    const page = await exportOf(east);
    expect(page).toMatchObject({ locationId: east, channel: 'store-east', nextAfter: null });
    expect(page.labels.map((l) => [l.sku, l.title, l.price, l.stockHint])).toEqual([
      [sku('A'), 'Oolong A', { amount: 1000, currency: 'CNY' }, { code: 'ONLY_N_LEFT', quantity: 2 }],
      [sku('B'), 'Oolong B', { amount: 2000, currency: 'CNY' }, { code: 'IN_STOCK_HERE' }],
      [sku('C'), 'Oolong C', { amount: 3000, currency: 'CNY' }, { code: 'UNKNOWN' }],
    ]);
    expect(page.version).toBe(Math.max(...page.labels.map((l) => l.version)));
    const paged = (await call<LabelExportPage>('GET', `/internal/stores/${east}/labels?limit=2`)).body;
    expect(paged.labels).toHaveLength(2);
    expect(paged.nextAfter).toBe(sku('B'));
  });

  it('after a price change, the incremental feed holds exactly the labels that changed', async () => {
    const eastSince = (await exportOf(east)).version;
    const westSince = (await exportOf(west)).version;
    // East's channel gets its own price for A; B is republished at the same amount (no visible change).
    const events = [await price(sku('A'), 900, 'store-east'), await price(sku('B'), 2000)];
    // D's base price changes: only west carries D.
    events.push(await price(sku('D'), 3900));
    await consumed(...events);
    const eastFeed = await changesOf(east, eastSince);
    expect(eastFeed.labels.map((l) => [l.sku, l.price])).toEqual([[sku('A'), { amount: 900, currency: 'CNY' }]]);
    expect(eastFeed.nextSince).toBe(eastFeed.highWaterMark);
    const westFeed = await changesOf(west, westSince);
    expect(westFeed.labels.map((l) => [l.sku, l.price])).toEqual([[sku('D'), { amount: 3900, currency: 'CNY' }]]);
    // West keeps the base price of A: a channel override of another store's channel does not leak.
    expect((await label(west, sku('A')))?.price).toEqual({ amount: 1000, currency: 'CNY' });
    // Nothing further since the new version.
    expect((await changesOf(east, eastFeed.nextSince)).labels).toEqual([]);
  });

  it('applies stock changes once: a redelivered or older event changes nothing', async () => {
    const since = (await exportOf(east)).version;
    const current = stockVersions.get(sku('B'))!;
    const id = await stock(sku('B'), east, 1);
    await waitFor(async () => (await label(east, sku('B')))?.stockHint.code === 'ONLY_N_LEFT', { timeoutMs: 10_000, intervalMs: 100, what: 'B low' });
    // The same event again (same id), and an older version saying 50.
    const redelivered: StockChangedEvent = {
      schemaVersion: 1, occurredAt: new Date().toISOString(), sku: sku('B'), locationId: east, version: current + 1, onHand: 1, reserved: 0, available: 1, atp: [], cause: 'adjustment',
    };
    await publish(STOCK_CHANGED, redelivered, id);
    const older = await stock(sku('B'), east, 50, current);
    await stock(sku('C'), east, 0);
    await consumed(older);
    await waitFor(async () => (await label(east, sku('C')))?.stockHint.code === 'SOLD_OUT', { timeoutMs: 10_000, intervalMs: 100, what: 'C sold out' });
    // The redelivery sits on the same partition before the older event, so it has been handled (as a duplicate) by now.
    const inbox: { n: number }[] = await catalog.service.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${INBOX_TABLE} WHERE consumer_group = 'catalog' AND event_id = $1`, [id]);
    expect(inbox[0].n).toBe(1);
    const feed = await changesOf(east, since);
    expect(feed.labels.map((l) => [l.sku, l.stockHint])).toEqual([
      [sku('B'), { code: 'ONLY_N_LEFT', quantity: 1 }],
      [sku('C'), { code: 'SOLD_OUT' }],
    ]);
  });

  it('passes a shipped reservation by before any transaction: a deduction leaves no inbox row and changes no label', async () => {
    const since = (await exportOf(east)).version;
    const current = stockVersions.get(sku('A'))!;
    // A deduction moves on hand and reserved together, so its available is the one already held.
    const shipped = await stock(sku('A'), east, 2, current + 1, 'deduction');
    // The next change sits behind it on the SKU's partition: once it is applied, the deduction was handled.
    await consumed(await stock(sku('A'), east, 1));
    const inbox: { n: number }[] = await catalog.service.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${INBOX_TABLE} WHERE event_id = $1`, [shipped]);
    expect(inbox[0].n).toBe(0);
    expect((await changesOf(east, since)).labels.map((l) => [l.sku, l.stockHint])).toEqual([[sku('A'), { code: 'ONLY_N_LEFT', quantity: 1 }]]);
  });

  it('switches to a price announced ahead of time when its instant passes', async () => {
    const since = (await exportOf(east)).version;
    const effectiveAt = Date.now() + 5_000;
    await consumed(await price(sku('C'), 2500, null, new Date(effectiveAt).toISOString()));
    // Received well before its instant (a loaded machine could eat the lead; then this says so).
    const readAt = Date.now();
    expect(readAt).toBeLessThan(effectiveAt - 500);
    expect((await label(east, sku('C')))?.price).toEqual({ amount: 3000, currency: 'CNY' });
    await waitFor(async () => (await label(east, sku('C')))?.price?.amount === 2500, { timeoutMs: 10_000, intervalMs: 100, what: 'announced price in effect' });
    expect((await changesOf(east, since)).labels.map((l) => l.sku)).toEqual([sku('C')]);
  });

  it('feeds product edits and assortment removals as label changes, removals as tombstones', async () => {
    const eastSince = (await exportOf(east)).version;
    const westSince = (await exportOf(west)).version;
    await call('PUT', `/internal/products/${productId}/listings/store-west`, { visible: true, title: 'West oolong' });
    await call('POST', `/internal/stores/${east}/assortment/changes`, { remove: [sku('B')] });
    const westFeed = await changesOf(west, westSince);
    expect(westFeed.labels.map((l) => [l.sku, l.title])).toEqual([[sku('A'), 'West oolong A'], [sku('D'), 'West oolong D']]);
    const eastFeed = await changesOf(east, eastSince);
    expect(eastFeed.labels.map((l) => [l.sku, l.removed])).toEqual([[sku('B'), true]]);
    expect((await exportOf(east)).labels.map((l) => l.sku)).toEqual([sku('A'), sku('C')]);
  });

  it('withdraws the labels of a deleted product and of a removed SKU', async () => {
    const other = await call<{ id: string }>('POST', '/internal/products', { title: 'Jasmine', skus: [{ sku: sku('E'), attributes: {} }, { sku: sku('F'), attributes: {} }] });
    await call('POST', `/internal/stores/${east}/assortment/changes`, { add: [sku('E'), sku('F')] });
    const since = (await exportOf(east)).version;
    expect((await call('DELETE', `/internal/products/${other.body.id}/skus/${sku('F')}`)).status).toBe(200);
    expect((await call('DELETE', `/internal/products/${other.body.id}`)).status).toBe(204);
    const feed = await changesOf(east, since);
    expect(feed.labels.map((l) => [l.sku, l.removed])).toEqual([[sku('F'), true], [sku('E'), true]]);
    expect((await call<{ skus: string[] }>('GET', `/internal/stores/${east}/assortment`)).body.skus).toEqual([sku('A'), sku('C')]);
  });

  it('dead-letters a price no column can hold at once and keeps going; keeps only prices that can still show', async () => {
    const bad: PriceChangedEvent = {
      schemaVersion: 1, occurredAt: new Date().toISOString(), sku: sku('A'), channel: null, price: { amount: 1e20, currency: 'CNY' }, effectiveFrom: new Date().toISOString(), version: 999,
    };
    await publish(PRICE_CHANGED, bad);
    const good = await price(sku('A'), 1111);
    // Retrying the bad one would hold the partition for seconds; dead-lettered at once, the next arrives quickly.
    await waitFor(async () => (await label(west, sku('A')))?.price?.amount === 1111, { timeoutMs: 3_000, intervalMs: 50, what: 'price after the bad one' });
    await consumed(good);
    const rows: { channel: string; version: string }[] = await catalog.service.app
      .get(DataSource)
      .query(`SELECT channel, version FROM sku_prices WHERE sku = $1 ORDER BY channel, version`, [sku('A')]);
    // The base price keeps only its newest effective version; east's override stays beside it.
    expect(rows.map((r) => [r.channel, Number(r.version)])).toEqual([['', priceVersions.get(sku('A'))], ['store-east', 2]]);
  });

  it('a store following the incremental feed while prices, stock and products change ends equal to the full export', async () => {
    const follower = new Map<string, ShelfLabelView>();
    let since = 0;
    let following = true;
    const follow = async (): Promise<void> => {
      const page = await changesOf(east, since);
      for (const l of page.labels) {
        if (l.removed) follower.delete(l.sku);
        else follower.set(l.sku, l);
      }
      since = page.nextSince;
    };
    const loop = (async () => {
      while (following) {
        await follow();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const ids: string[] = [];
    const edits: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const code = sku(['A', 'C'][i % 2]);
      ids.push(await (i % 3 === 0 ? stock(code, east, i % 5) : price(code, 1000 + i, i % 4 === 0 ? 'store-east' : null)));
      if (i % 10 === 0) edits.push(call('PATCH', `/internal/products/${productId}`, { title: `Oolong ${i}` }));
    }
    await Promise.all(edits);
    await consumed(...ids);
    following = false;
    await loop;
    await follow();
    const exported = await exportOf(east);
    expect([...follower.values()].sort((a, b) => a.sku.localeCompare(b.sku))).toEqual(exported.labels);
    expect(since).toBe(exported.version);
  });
});
