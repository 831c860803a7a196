import { PRODUCT_CHANGED, validatePayload, type ProductChangedEvent } from '@omni/contracts';
import { createKafka, headersToStrings } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import type { Consumer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { api, startCatalog, type CatalogUnderTest } from './catalog-test-kit';

jest.setTimeout(90_000);

/** product-changed events as read from Kafka, in arrival order. */
interface Seen {
  id: string;
  event: ProductChangedEvent;
}

describe('catalog internal API (real Postgres and Kafka)', () => {
  let catalog: CatalogUnderTest;
  let consumer: Consumer;
  const seen: Seen[] = [];
  let url: string;
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    api<T>(url, method, path, body, headers);

  const eventsOf = (productId: string): ProductChangedEvent[] => seen.filter((s) => s.event.productId === productId).map((s) => s.event);

  beforeAll(async () => {
    catalog = await startCatalog('api', { LOG_LEVEL: process.env.CATALOG_TEST_LOG ?? 'fatal' });
    url = catalog.url;
    const kafka = createKafka({ clientId: 'catalog-api-test', brokers: testInfra.kafkaBrokers });
    consumer = kafka.consumer({ groupId: uniqueId('catalog-api-reader-'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: `${catalog.topicPrefix}${PRODUCT_CHANGED.topic}`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = headersToStrings(message.headers as Record<string, unknown>);
        const checked = validatePayload(PRODUCT_CHANGED, JSON.parse(message.value!.toString('utf8')));
        if (!checked.ok) throw new Error(`invalid product-changed: ${checked.errors.join('; ')}`);
        seen.push({ id: headers.ce_id, event: checked.value });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await catalog?.close();
  });

  it('creates, reads, edits and deletes a product, publishing exactly one product-changed per write with growing versions', async () => {
    const brand = await call('POST', '/internal/brands', { name: `Brand ${uniqueId()}` });
    expect(brand.status).toBe(201);
    const food = await call('POST', '/internal/categories', { name: 'Food' });
    const tea = await call('POST', '/internal/categories', { name: 'Tea', parentId: food.body.id });
    expect(tea.status).toBe(201);
    const profile = await call('PUT', '/internal/display-profiles/online-default', { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] });
    expect(profile.status).toBe(200);

    const created = await call<Record<string, unknown> & { id: string; version: number }>('POST', '/internal/products', {
      title: 'Oolong tea',
      brandId: brand.body.id,
      categoryIds: [tea.body.id],
      tags: ['tea', 'gift'],
      media: [
        { kind: 'video', url: 'https://cdn.example.com/oolong.mp4', position: 1 },
        { kind: 'image', url: 'https://cdn.example.com/oolong.jpg', position: 0 },
      ],
      skus: [{ sku: 'OOLONG-250', attributes: { weight: '250g' } }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, title: 'Oolong tea', skus: [{ sku: 'OOLONG-250', attributes: { weight: '250g' } }] });
    expect((created.body.media as { position: number }[]).map((m) => m.position)).toEqual([0, 1]);
    const id = created.body.id;

    const writes: Array<() => Promise<{ status: number }>> = [
      () => call('PATCH', `/internal/products/${id}`, { title: 'Oolong tea, roasted', description: 'Dark roast' }),
      () => call('POST', `/internal/products/${id}/skus`, { sku: 'OOLONG-500', attributes: { weight: '500g' } }),
      () => call('PATCH', `/internal/products/${id}/skus/OOLONG-500`, { attributes: { weight: '0.5kg' } }),
      () => call('PUT', `/internal/products/${id}/listings/app`, { visible: true, title: 'App oolong', displayProfile: 'online-default', media: [{ kind: 'image', url: 'https://cdn.example.com/app.jpg', position: 0 }] }),
      () => call('PUT', `/internal/products/${id}/listings/tmall`, { visible: false }),
      () => call('DELETE', `/internal/products/${id}/listings/tmall`),
      () => call('DELETE', `/internal/products/${id}/skus/OOLONG-250`),
    ];
    for (const write of writes) expect([200, 201]).toContain((await write()).status);

    const read = await call('GET', `/internal/products/${id}`);
    expect(read.body).toMatchObject({
      version: 1 + writes.length,
      title: 'Oolong tea, roasted',
      description: 'Dark roast',
      skus: [{ sku: 'OOLONG-500', attributes: { weight: '0.5kg' } }],
      listings: [{ channel: 'app', visible: true, title: 'App oolong', displayProfile: 'online-default' }],
    });

    await waitFor(() => eventsOf(id).length >= 1 + writes.length, { timeoutMs: 15_000, what: 'product-changed for every write' });
    expect((await call('DELETE', `/internal/products/${id}`)).status).toBe(204);
    expect((await call('GET', `/internal/products/${id}`)).status).toBe(404);
    await waitFor(() => eventsOf(id).length >= 2 + writes.length, { timeoutMs: 15_000, what: 'product-changed for the deletion' });
    // Nothing more arrives later: exactly one event per write.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const events = eventsOf(id);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: writes.length + 2 }, (_, i) => i + 1));
    expect(new Set(seen.filter((s) => s.event.productId === id).map((s) => s.id)).size).toBe(events.length);
    expect(events.at(-1)).toMatchObject({ op: 'deleted' });
    const listed = events[4].product!;
    expect(listed.brandId).toBe(brand.body.id);
    expect(listed.categoryAncestry?.sort()).toEqual([food.body.id, tea.body.id].sort());
    expect(listed.channels).toEqual([
      {
        channel: 'app',
        visible: true,
        title: 'App oolong',
        displayProfile: 'online-default',
        media: [{ kind: 'image', url: 'https://cdn.example.com/app.jpg', position: 0 }],
        display: { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] },
      },
    ]);
  });

  it('republishes the products a display profile, brand or category move touches, once each', async () => {
    const root = await call('POST', '/internal/categories', { name: 'Root' });
    const child = await call('POST', '/internal/categories', { name: 'Child', parentId: root.body.id });
    const other = await call('POST', '/internal/categories', { name: 'Other' });
    await call('PUT', '/internal/display-profiles/store-default', { stockHint: { kind: 'store' }, badges: [] });
    const product = await call<{ id: string }>('POST', '/internal/products', { title: 'Green tea', categoryIds: [child.body.id] });
    await call('PUT', `/internal/products/${product.body.id}/listings/pos`, { visible: true, displayProfile: 'store-default' });
    const id = product.body.id;
    await waitFor(() => eventsOf(id).length >= 2, { timeoutMs: 15_000, what: 'first two versions' });

    expect((await call('PUT', '/internal/display-profiles/store-default', { stockHint: { kind: 'store' }, badges: ['store-pickup'] })).status).toBe(200);
    // The same profile again changes nothing and publishes nothing.
    expect((await call('PUT', '/internal/display-profiles/store-default', { stockHint: { kind: 'store' }, badges: ['store-pickup'] })).status).toBe(200);
    expect((await call('PATCH', `/internal/categories/${root.body.id}`, { parentId: other.body.id })).status).toBe(200);
    await waitFor(() => eventsOf(id).length >= 4, { timeoutMs: 15_000, what: 'profile and move versions' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = eventsOf(id);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(events[2].product!.channels[0].display).toEqual({ stockHint: { kind: 'store' }, badges: ['store-pickup'] });
    expect(events[3].product!.categoryAncestry?.sort()).toEqual([child.body.id, root.body.id, other.body.id].sort());

    // A move that would close a loop is refused, naming the field.
    const loop = await call('PATCH', `/internal/categories/${other.body.id}`, { parentId: child.body.id });
    expect(loop.status).toBe(409);
    expect(loop.body).toMatchObject({ code: 'CATEGORY_CYCLE', details: [{ field: 'parentId' }] });
    const self = await call('PATCH', `/internal/categories/${child.body.id}`, { parentId: child.body.id });
    expect(self.status).toBe(409);
    // A category in use or with children cannot be deleted.
    expect((await call('DELETE', `/internal/categories/${child.body.id}`)).body).toMatchObject({ code: 'CATEGORY_IN_USE' });
    expect((await call('DELETE', `/internal/categories/${root.body.id}`)).body).toMatchObject({ code: 'CATEGORY_HAS_CHILDREN' });
  });

  it('keeps versions contiguous and events one per write when writes to one product race, with no 5xx', async () => {
    await call('PUT', '/internal/display-profiles/race', { stockHint: { kind: 'remote', shipsInDays: 2 }, badges: [] });
    const product = await call<{ id: string }>('POST', '/internal/products', { title: 'Raced' });
    const id = product.body.id;
    await call('PUT', `/internal/products/${id}/listings/app`, { visible: true, displayProfile: 'race' });
    const racing = [
      ...Array.from({ length: 8 }, (_, i) => () => call('PATCH', `/internal/products/${id}`, { title: `Raced ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => () => call('PUT', `/internal/products/${id}/listings/c${i}`, { visible: true, displayProfile: 'race' })),
      // Each profile body differs from every other, so each one changes the product once.
      ...Array.from({ length: 4 }, (_, i) => () => call('PUT', '/internal/display-profiles/race', { stockHint: { kind: 'remote', shipsInDays: 3 + i }, badges: [`b${i}`] })),
    ];
    const statuses = (await Promise.all(racing.map((write) => write()))).map((r) => r.status);
    expect(statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);
    const total = 2 + racing.length;
    await waitFor(() => eventsOf(id).length >= total, { timeoutMs: 20_000, what: `${total} events` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const versions = eventsOf(id).map((e) => e.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const final = await call<{ version: number; title: string; listings: unknown[] }>('GET', `/internal/products/${id}`);
    expect(final.body.version).toBe(total);
    const last = eventsOf(id).find((e) => e.version === total)!;
    expect(last.product!.title).toBe(final.body.title);
    expect(last.product!.channels).toHaveLength(5);
  });

  it('searches products for the back office by category subtree, tag, brand and title, paged', async () => {
    const top = await call<{ id: string }>('POST', '/internal/categories', { name: 'Search top' });
    const leaf = await call<{ id: string }>('POST', '/internal/categories', { name: 'Search leaf', parentId: top.body.id });
    const brand = await call<{ id: string }>('POST', '/internal/brands', { name: `Search ${uniqueId()}` });
    const tag = uniqueId('tag');
    const a = await call<{ id: string }>('POST', '/internal/products', { title: 'Search 50% off', categoryIds: [leaf.body.id], tags: [tag] });
    const b = await call<{ id: string }>('POST', '/internal/products', { title: 'Search plain', categoryIds: [top.body.id], brandId: brand.body.id, tags: [tag] });
    await call('POST', '/internal/products', { title: 'Search 50 percent', tags: [tag] });
    const ids = async (query: string): Promise<string[]> => (await call<{ items: { id: string }[] }>('GET', `/internal/products?${query}`)).body.items.map((p) => p.id);
    expect(await ids(`categoryId=${top.body.id}`)).toEqual([a.body.id, b.body.id]);
    expect(await ids(`categoryId=${leaf.body.id}`)).toEqual([a.body.id]);
    expect(await ids(`brandId=${brand.body.id}`)).toEqual([b.body.id]);
    expect(await ids(`tag=${tag}&q=${encodeURIComponent('50%')}`)).toEqual([a.body.id]);
    const first = await call<{ items: { id: string }[]; nextAfter: string }>('GET', `/internal/products?tag=${tag}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(await ids(`tag=${tag}&after=${first.body.nextAfter}`)).toHaveLength(1);
    expect((await call('GET', '/internal/products?limit=500')).status).toBe(400);
    expect((await call('GET', '/internal/products?categoryId=x')).body).toMatchObject({ details: [{ field: 'categoryId' }] });
  });

  it('runs a create once per Idempotency-Key, also when the repeats race, and refuses the key with another body', async () => {
    const key = uniqueId('create-');
    const body = { title: 'Jasmine tea', skus: [{ sku: `JAS-${uniqueId()}`, attributes: {} }] };
    const results = await Promise.all([1, 2, 3, 4].map(() => call<{ id: string }>('POST', '/internal/products', body, { 'idempotency-key': key })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    await waitFor(() => eventsOf(results[0].body.id).length >= 1, { timeoutMs: 15_000, what: 'the create event' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(eventsOf(results[0].body.id)).toHaveLength(1);
    const reused = await call('POST', '/internal/products', { ...body, title: 'Other' }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
    const tooLong = await call('POST', '/internal/products', body, { 'idempotency-key': 'k'.repeat(201) });
    expect(tooLong.status).toBe(400);
  });

  it('answers every malformed request with a 4xx naming the field, never a 5xx', async () => {
    const product = await call<{ id: string }>('POST', '/internal/products', { title: 'Sweep', skus: [{ sku: `SW-${uniqueId()}`, attributes: {} }] });
    const pid = product.body.id;
    const store = uuidv7();
    await call('PUT', `/internal/stores/${store}`, { channel: 'store', name: 'Sweep store' });
    const huge = { title: 'x', description: 'y'.repeat(1_100_000) };
    const cases: Array<[string, string, unknown, number, string?]> = [
      ['POST', '/internal/products', {}, 400, 'title'],
      ['POST', '/internal/products', { title: 42 }, 400, 'title'],
      ['POST', '/internal/products', { title: '' }, 400, 'title'],
      ['POST', '/internal/products', { title: 'a', unknown: 1 }, 400, 'unknown'],
      ['POST', '/internal/products', { title: 'a', categoryIds: 'x' }, 400, 'categoryIds'],
      ['POST', '/internal/products', { title: 'a', categoryIds: [uuidv7()] }, 400, 'categoryIds.0'],
      ['POST', '/internal/products', { title: 'a', brandId: uuidv7() }, 400, 'brandId'],
      ['POST', '/internal/products', { title: 'a', brandId: 'nope' }, 400, 'brandId'],
      ['POST', '/internal/products', { title: 'a', media: [{ kind: 'audio', url: 'ftp://x', position: -1 }] }, 400, 'media.0.kind'],
      ['POST', '/internal/products', { title: 'a', media: [1, 2] }, 400, 'media.0'],
      ['POST', '/internal/products', { title: 'a', media: [{ kind: 'image', url: 'https://a.example/x', position: 0 }, { kind: 'image', url: 'https://a.example/y', position: 0 }] }, 400, 'media'],
      ['POST', '/internal/products', { title: 'a', skus: [{ sku: 'bad code!', attributes: {} }] }, 400, 'skus.0.sku'],
      ['POST', '/internal/products', { title: 'a', skus: [{ sku: 'DUP-1', attributes: {} }, { sku: 'DUP-1', attributes: {} }] }, 400, 'skus.1.sku'],
      ['POST', '/internal/products', { title: 'a', skus: [{ sku: 'A1', attributes: { w: 1 } }] }, 400, 'skus.0.attributes'],
      ['POST', '/internal/products', { title: 'a', tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 400, 'tags'],
      ['POST', '/internal/products', huge, 413],
      ['POST', '/internal/products', '{"title":', 400],
      ['POST', '/internal/products', [1, 2], 400],
      ['GET', '/internal/products/not-a-uuid', undefined, 400, 'id'],
      ['GET', `/internal/products/${uuidv7()}`, undefined, 404, 'id'],
      ['PATCH', `/internal/products/${pid}`, { title: null }, 400, 'title'],
      ['PATCH', `/internal/products/${pid}`, { version: 7 }, 400, 'version'],
      ['PATCH', `/internal/products/${uuidv7()}`, { title: 'x' }, 404],
      ['POST', `/internal/products/${pid}/skus`, { sku: 'X1' }, 400, 'attributes'],
      ['POST', `/internal/products/${pid}/skus`, product.body && { sku: (product.body as unknown as { skus: { sku: string }[] }).skus[0].sku, attributes: {} }, 409, 'sku'],
      ['PATCH', `/internal/products/${pid}/skus/NOPE`, { attributes: {} }, 404, 'sku'],
      ['PATCH', `/internal/products/${pid}/skus/bad%20sku`, { attributes: {} }, 400, 'sku'],
      ['PUT', `/internal/products/${pid}/listings/app`, { visible: 'yes' }, 400, 'visible'],
      ['PUT', `/internal/products/${pid}/listings/App!`, { visible: true }, 400, 'channel'],
      ['PUT', `/internal/products/${pid}/listings/app`, { visible: true, displayProfile: 'missing' }, 400, 'displayProfile'],
      ['DELETE', `/internal/products/${pid}/listings/never`, undefined, 404, 'channel'],
      ['GET', '/internal/products/export?limit=0', undefined, 400, 'limit'],
      ['GET', '/internal/products/export?limit=abc', undefined, 400, 'limit'],
      ['GET', '/internal/products/export?after=zzz', undefined, 400, 'after'],
      ['POST', '/internal/brands', { name: '' }, 400, 'name'],
      ['PATCH', `/internal/brands/${uuidv7()}`, { name: 'x' }, 404],
      ['POST', '/internal/categories', { name: 'x', parentId: uuidv7() }, 400, 'parentId'],
      ['PATCH', `/internal/categories/${uuidv7()}`, { name: 'x' }, 404],
      ['PUT', '/internal/display-profiles/p1', { stockHint: { kind: 'online' }, badges: [] }, 400, 'stockHint.lowStockThreshold'],
      ['PUT', '/internal/display-profiles/p1', { stockHint: { kind: 'moon' }, badges: [] }, 400, 'stockHint.kind'],
      ['PUT', '/internal/display-profiles/p1', { stockHint: { kind: 'store' }, badges: ['Bad Badge'] }, 400, 'badges'],
      ['PUT', '/internal/display-profiles/P_1', { stockHint: { kind: 'store' }, badges: [] }, 400, 'code'],
      ['PUT', `/internal/stores/${store}`, { channel: 'store' }, 400, 'name'],
      ['PUT', `/internal/stores/not-a-uuid`, { channel: 'store', name: 'x' }, 400, 'locationId'],
      ['PUT', `/internal/stores/${store}/assortment`, { skus: ['NO-SUCH-SKU'] }, 400, 'skus.0'],
      ['PUT', `/internal/stores/${store}/assortment`, { skus: 'A1' }, 400, 'skus'],
      ['PUT', `/internal/stores/${uuidv7()}/assortment`, { skus: [] }, 404, 'locationId'],
      ['POST', `/internal/stores/${store}/assortment/changes`, { add: [7] }, 400, 'add'],
      ['GET', `/internal/stores/${store}/labels/changes`, undefined, 400, 'since'],
      ['GET', `/internal/stores/${store}/labels/changes?since=-1`, undefined, 400, 'since'],
      ['GET', `/internal/stores/${store}/labels/changes?since=99999999999999999999`, undefined, 400, 'since'],
      ['GET', `/internal/stores/${store}/labels/changes?since=1.5`, undefined, 400, 'since'],
      ['PUT', `/internal/stores/${store}`, { channel: 'store', name: 'x', lowStockThreshold: 1e20 }, 400, 'lowStockThreshold'],
      ['PUT', '/internal/display-profiles/p2', { stockHint: { kind: 'online', lowStockThreshold: 1e300 }, badges: [] }, 400, 'stockHint.lowStockThreshold'],
      ['POST', '/internal/products', { title: 'a', media: [{ kind: 'image', url: 'https://a.example/x', position: 1e20 }] }, 400, 'media.0.position'],
      ['GET', '/internal/products/export?limit=1&extra=1', undefined, 400, 'extra'],
      ['GET', `/internal/stores/${uuidv7()}/labels`, undefined, 404],
    ];
    const failures: string[] = [];
    for (const [method, path, body, status, field] of cases) {
      const response = await call<{ code?: string; message?: string; details?: { field: string }[] }>(method, path, body);
      const label = `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`;
      if (response.status !== status) failures.push(`${label}: status ${response.status} ${JSON.stringify(response.body)}`);
      else if (!response.body?.code || !response.body.message) failures.push(`${label}: no code/message`);
      else if (field && !response.body.details?.some((d) => d.field === field || d.field.startsWith(`${field}.`))) {
        failures.push(`${label}: details ${JSON.stringify(response.body.details)} do not name ${field}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
