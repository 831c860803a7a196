import { CatalogCacheStore } from '@omni/catalog-cache';
import type { ProductSnapshot } from '@omni/contracts';
import { CatalogCacheReader } from '../catalog/catalog-cache.reader';
import { stockHintRule } from './channel-listing';
import { composeProductView, VIEW_WARNINGS } from './product-view.composer';

const PRODUCT = '01900000-0000-7000-8000-0000000000a1';

function snapshot(): ProductSnapshot {
  return {
    title: 'Longjing green tea',
    brand: 'West Lake',
    categoryIds: ['01900000-0000-7000-8000-000000000002'],
    tags: ['green'],
    media: [
      { kind: 'image', url: 'https://img.example/b.jpg', position: 1 },
      { kind: 'image', url: 'https://img.example/a.jpg', position: 0 },
    ],
    skus: [
      { sku: 'TEA-250', attributes: { weight: '250g' } },
      { sku: 'TEA-500', attributes: { weight: '500g' } },
    ],
    channels: [
      { channel: 'app', visible: true, title: 'Longjing (app exclusive)', displayProfile: 'online-low', display: { stockHint: { kind: 'online', lowStockThreshold: 10 }, badges: ['channel-price'] } },
      { channel: 'pos-sh01', visible: true, media: [{ kind: 'video', url: 'https://img.example/v.mp4', position: 0 }], displayProfile: 'store', display: { stockHint: { kind: 'store' }, badges: ['store-pickup'] } },
      { channel: 'tmall', visible: false },
    ],
  };
}

function reader(): CatalogCacheReader {
  const store = new CatalogCacheStore();
  store.merge({ productId: PRODUCT, version: 3, op: 'upserted', product: snapshot() });
  store.merge({ productId: '01900000-0000-7000-8000-0000000000a2', version: 1, op: 'upserted', product: { ...snapshot(), skus: [{ sku: 'TEA-2500', attributes: {} }] } });
  return new CatalogCacheReader(store, () => true);
}

describe('stock hint rule', () => {
  it('uses the online rule with threshold 5 when a listing has no display profile', () => {
    expect(stockHintRule(null)).toEqual({ kind: 'online', lowStockThreshold: 5 });
    expect(stockHintRule({ stockHint: { kind: 'store' }, badges: [] })).toEqual({ kind: 'store' });
  });
});

describe('CatalogCacheReader.findSku', () => {
  it('finds the exact SKU among substring matches, only on channels that show the product', () => {
    const catalog = reader();
    expect(catalog.findSku('app', 'TEA-250')?.productId).toBe(PRODUCT);
    expect(catalog.findSku('app', 'TEA-2500')?.productId).toBe('01900000-0000-7000-8000-0000000000a2');
    expect(catalog.findSku('app', 'TEA-25')).toBeUndefined();
    expect(catalog.findSku('tmall', 'TEA-250')).toBeUndefined();
    expect(catalog.findSku('jd', 'TEA-250')).toBeUndefined();
  });
});

describe('composeProductView', () => {
  it("renders the channel's title, media in order, badges and per-SKU figures", () => {
    const view = composeProductView(reader().getForChannel(PRODUCT, 'app')!, {
      prices: new Map([
        ['TEA-250', { unit: { amount: 9900, currency: 'CNY' }, list: { amount: 12900, currency: 'CNY' } }],
        ['TEA-500', { unit: { amount: 18900, currency: 'CNY' }, list: { amount: 22900, currency: 'CNY' } }],
      ]),
      hints: new Map([
        ['TEA-250', { code: 'ONLY_N_LEFT', quantity: 3, text: 'Only 3 left' }],
        ['TEA-500', { code: 'IN_STOCK', text: 'In stock' }],
      ]),
      warnings: [],
    });
    expect(view).toMatchObject({
      id: PRODUCT,
      version: 3,
      channel: 'app',
      title: 'Longjing (app exclusive)',
      badges: ['channel-price'],
      media: [{ url: 'https://img.example/a.jpg' }, { url: 'https://img.example/b.jpg' }],
      skus: [
        { sku: 'TEA-250', price: { unit: { amount: 9900 } }, stock: { code: 'ONLY_N_LEFT', quantity: 3 } },
        { sku: 'TEA-500', price: { unit: { amount: 18900 } }, stock: { code: 'IN_STOCK' } },
      ],
      warnings: [],
    });
  });

  it('says which figures are missing instead of failing', () => {
    const view = composeProductView(reader().getForChannel(PRODUCT, 'pos-sh01')!, { prices: new Map(), hints: new Map(), warnings: [VIEW_WARNINGS.stockNeedsStore] });
    expect(view.title).toBe('Longjing green tea');
    expect(view.media).toEqual([{ kind: 'video', url: 'https://img.example/v.mp4', position: 0 }]);
    expect(view.warnings).toEqual([VIEW_WARNINGS.priceUnavailable, VIEW_WARNINGS.stockNeedsStore]);
    expect(view.skus.every((s) => s.price === null && s.stock === null)).toBe(true);
    const partial = composeProductView(reader().getForChannel(PRODUCT, 'app')!, {
      prices: new Map([['TEA-250', { unit: { amount: 1, currency: 'CNY' }, list: { amount: 1, currency: 'CNY' } }]]),
      hints: new Map(),
      warnings: [],
    });
    expect(partial.warnings).toEqual([VIEW_WARNINGS.priceUnavailable, VIEW_WARNINGS.stockUnavailable]);
  });
});
