import { IdMapper } from './id-mapping';

const mapper = new IdMapper({
  skus: [
    { sku: 'SKU-A', platformSku: 'p-100' },
    { sku: 'SKU-B', platformSku: 'p-200' },
  ],
  stores: [{ locationId: 'loc-1', platformStore: 'st-9' }],
});

describe('IdMapper', () => {
  it.each([
    ['SKU-A', 'loc-1', { ok: true, update: { platformSku: 'p-100', platformStore: 'st-9', quantity: 4, version: 7 } }],
    ['SKU-Z', 'loc-1', { ok: false, unmapped: 'sku' }],
    ['SKU-A', 'loc-2', { ok: false, unmapped: 'store' }],
  ])('stock of %s at %s → %j', (sku, location, result) => {
    expect(mapper.stockUpdate(sku, location, 4, 7)).toEqual(result);
  });

  it.each([
    ['st-9', ['p-100', 'p-200'], { ok: true, locationId: 'loc-1', lines: [{ sku: 'SKU-A', quantity: 1, unitAmount: 500 }, { sku: 'SKU-B', quantity: 1, unitAmount: 500 }] }],
    ['st-9', ['p-100', 'p-404', 'p-404'], { ok: false, unknownSkus: ['p-404'] }],
    ['st-0', ['p-100'], { ok: false, unknownStore: 'st-0', unknownSkus: [] }],
  ])('an order at %s for %j → %j', (store, skus, result) => {
    expect(mapper.orderInOurIds(store, skus.map((platformSku) => ({ platformSku, quantity: 1, unitAmount: 500 })))).toEqual(result);
  });

  it.each([
    ['one platform SKU for two of ours', { skus: [{ sku: 'A', platformSku: 'p' }, { sku: 'B', platformSku: 'p' }], stores: [] }],
    ['one platform store for two locations', { skus: [], stores: [{ locationId: 'a', platformStore: 's' }, { locationId: 'b', platformStore: 's' }] }],
  ])('refuses %s', (_name, mappings) => {
    expect(() => new IdMapper(mappings)).toThrow(/mapped twice/);
  });
});
