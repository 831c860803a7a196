import fc from 'fast-check';
import type { ProductSnapshot } from '@omni/contracts';
import { CatalogCacheStore, type ProductState } from './catalog-cache.store';

const FOOD = '00000000-0000-7000-8000-000000000001';
const TEA = '00000000-0000-7000-8000-000000000002';
const TOYS = '00000000-0000-7000-8000-000000000003';

function snapshot(overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    title: 'Oolong',
    categoryIds: [TEA],
    categoryAncestry: [FOOD, TEA],
    tags: ['tea'],
    media: [
      { kind: 'image', url: 'https://cdn.example.com/b.jpg', position: 1 },
      { kind: 'image', url: 'https://cdn.example.com/a.jpg', position: 0 },
    ],
    skus: [{ sku: 'OOLONG-250', attributes: { weight: '250g' } }],
    channels: [
      { channel: 'app', visible: true },
      { channel: 'tmall', visible: true, title: 'Tmall oolong', media: [{ kind: 'video', url: 'https://cdn.example.com/t.mp4', position: 0 }], displayProfile: 'tm', display: { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] } },
      { channel: 'pos', visible: false },
    ],
    ...overrides,
  };
}

const up = (productId: string, version: number, overrides: Partial<ProductSnapshot> = {}): ProductState => ({
  productId,
  version,
  op: 'upserted',
  product: snapshot(overrides),
});
const del = (productId: string, version: number): ProductState => ({ productId, version, op: 'deleted' });

describe('CatalogCacheStore', () => {
  it('keeps the highest version and ignores duplicates and older versions', () => {
    const store = new CatalogCacheStore();
    expect(store.merge(up('p1', 2, { title: 'v2' }))).toBe('applied');
    expect(store.merge(up('p1', 2, { title: 'v2 again' }))).toBe('stale');
    expect(store.merge(up('p1', 1, { title: 'v1' }))).toBe('stale');
    expect(store.get('p1')).toMatchObject({ version: 2, product: { title: 'v2' } });
    expect(store.merge(up('p1', 5, { title: 'v5' }))).toBe('applied');
    expect(store.get('p1')?.product.title).toBe('v5');
  });

  it('remembers deletions, so an older upsert cannot bring a product back', () => {
    const store = new CatalogCacheStore();
    store.merge(up('p1', 1));
    expect(store.merge(del('p1', 2))).toBe('applied');
    expect(store.get('p1')).toBeUndefined();
    expect(store.merge(up('p1', 1))).toBe('stale');
    expect(store.get('p1')).toBeUndefined();
    expect(store.versionOf('p1')).toBe(2);
    expect(store.list({ channel: 'app' }).items).toEqual([]);
  });

  it('lays the channel listing over the product and hides it where it is not visible or not listed', () => {
    const store = new CatalogCacheStore();
    store.merge(up('p1', 1));
    expect(store.getForChannel('p1', 'app')).toMatchObject({ title: 'Oolong', media: [{ position: 0 }, { position: 1 }], display: null });
    expect(store.getForChannel('p1', 'tmall')).toMatchObject({
      title: 'Tmall oolong',
      media: [{ kind: 'video' }],
      displayProfile: 'tm',
      display: { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] },
    });
    expect(store.getForChannel('p1', 'pos')).toBeUndefined();
    expect(store.getForChannel('p1', 'jd')).toBeUndefined();
  });

  it('lists by category subtree, tag and text, and re-indexes a product that moved', () => {
    const store = new CatalogCacheStore();
    store.merge(up('p1', 1));
    store.merge(up('p2', 1, { title: 'Teddy bear', categoryIds: [TOYS], categoryAncestry: [TOYS], tags: ['gift'] }));
    store.merge(up('p3', 1, { title: 'Green tea', tags: ['tea', 'gift'] }));
    const ids = (q: Parameters<CatalogCacheStore['list']>[0]) => store.list(q).items.map((i) => i.productId);
    expect(ids({ channel: 'app', categoryId: FOOD })).toEqual(['p1', 'p3']);
    expect(ids({ channel: 'app', categoryId: TEA })).toEqual(['p1', 'p3']);
    expect(ids({ channel: 'app', tag: 'gift' })).toEqual(['p2', 'p3']);
    expect(ids({ channel: 'app', categoryId: FOOD, tag: 'gift' })).toEqual(['p3']);
    expect(ids({ channel: 'app', text: 'BEAR' })).toEqual(['p2']);
    expect(ids({ channel: 'app', text: 'oolong-250' })).toEqual(['p1', 'p2', 'p3']);
    expect(ids({ channel: 'pos' })).toEqual([]);
    store.merge(up('p1', 2, { categoryIds: [TOYS], categoryAncestry: [TOYS], tags: [] }));
    expect(ids({ channel: 'app', categoryId: FOOD })).toEqual(['p3']);
    expect(ids({ channel: 'app', tag: 'tea' })).toEqual(['p3']);
    expect(ids({ channel: 'app', categoryId: TOYS })).toEqual(['p1', 'p2']);
  });

  it('finds a product by SKU code, following a SKU that moved or was deleted', () => {
    const store = new CatalogCacheStore();
    store.merge(up('p1', 1, { skus: [{ sku: 'S-1', attributes: {} }, { sku: 'S-2', attributes: {} }] }));
    expect(store.getBySku('S-2')?.productId).toBe('p1');
    expect(store.getForChannelBySku('S-1', 'app')?.productId).toBe('p1');
    expect(store.getForChannelBySku('S-1', 'pos')).toBeUndefined();
    // S-2 moves to p2 (after p1 dropped it, but the deltas may arrive in either order).
    store.merge(up('p2', 1, { skus: [{ sku: 'S-2', attributes: {} }] }));
    store.merge(up('p1', 2, { skus: [{ sku: 'S-1', attributes: {} }] }));
    expect(store.getBySku('S-2')?.productId).toBe('p2');
    store.merge(del('p1', 3));
    expect(store.getBySku('S-1')).toBeUndefined();
    expect(store.getBySku('S-2')?.productId).toBe('p2');
  });

  it('pages by product id', () => {
    const store = new CatalogCacheStore();
    for (const id of ['p5', 'p1', 'p4', 'p2', 'p3']) store.merge(up(id, 1));
    const first = store.list({ channel: 'app', limit: 2 });
    expect(first.items.map((i) => i.productId)).toEqual(['p1', 'p2']);
    const second = store.list({ channel: 'app', limit: 2, after: first.nextAfter! });
    expect(second.items.map((i) => i.productId)).toEqual(['p3', 'p4']);
    const last = store.list({ channel: 'app', limit: 2, after: second.nextAfter! });
    expect(last).toEqual({ items: [expect.objectContaining({ productId: 'p5' })], nextAfter: null });
  });

  it('ends in the same state whatever the interleaving of a reload with deltas, duplicates included', () => {
    // A history of versions per product; the reload saw some prefix of each, deltas carry every version.
    const history = fc.array(
      fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), deleted: fc.boolean(), title: fc.string({ minLength: 1, maxLength: 5 }) }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { maxLength: 8 }), fc.integer(), (steps, seenCuts, seed) => {
        const versions = new Map<string, number>();
        const deltas: ProductState[] = steps.map((step) => {
          const version = (versions.get(step.id) ?? 0) + 1;
          versions.set(step.id, version);
          return step.deleted ? del(step.id, version) : up(step.id, version, { title: step.title });
        });
        // The export holds, per product, its state as of some point: never newer than the last delta.
        const exported = [...versions.keys()].flatMap((id, i) => {
          const own = deltas.filter((d) => d.productId === id);
          const cut = own[Math.min(seenCuts[i] ?? 0, own.length - 1)];
          return cut.op === 'upserted' ? [cut] : [];
        });
        // Interleave export entries and deltas (each delta delivered once or twice) pseudo-randomly.
        const mixed = [...exported, ...deltas, ...deltas.filter((_, i) => (i + seed) % 3 === 0)];
        let state = seed;
        for (let i = mixed.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          const j = state % (i + 1);
          [mixed[i], mixed[j]] = [mixed[j], mixed[i]];
        }
        const raced = new CatalogCacheStore();
        mixed.forEach((s) => raced.merge(s));
        const ordered = new CatalogCacheStore();
        deltas.forEach((s) => ordered.merge(s));
        expect(raced.all()).toEqual(ordered.all());
      }),
      { numRuns: 200 },
    );
  });
});
