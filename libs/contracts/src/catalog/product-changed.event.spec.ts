import { validatePayload } from '../core/payload-validator';
import { sampleEvents } from '../testing/samples';
import { PRODUCT_CHANGED } from './product-changed.event';
import { ProductSnapshot } from './product-snapshot.value';

const errors = (result: { ok: boolean; errors?: string[] }): string[] => result.errors ?? [];
const snapshot = (): ProductSnapshot => sampleEvents.productChanged().product!;

describe('product-changed contract', () => {
  it('accepts a deletion without a snapshot, but not an upsert without one', () => {
    const { product: _product, ...withoutProduct } = sampleEvents.productChanged();
    expect(validatePayload(PRODUCT_CHANGED, { ...withoutProduct, op: 'deleted' }).ok).toBe(true);
    expect(errors(validatePayload(PRODUCT_CHANGED, withoutProduct))).toEqual([
      'product: product must be an object (required when op is upserted)',
    ]);
  });

  it('still validates a snapshot sent with a deletion', () => {
    const raw = sampleEvents.productChanged({ op: 'deleted', product: { ...snapshot(), title: '' } });
    expect(errors(validatePayload(PRODUCT_CHANGED, raw))).toEqual(['product.title: title must not be empty']);
  });

  it('requires string attribute values on every SKU', () => {
    const product = { ...snapshot(), skus: [{ sku: 'TEA-1', attributes: { weight: 250 } as unknown as Record<string, string> }] };
    expect(errors(validatePayload(PRODUCT_CHANGED, sampleEvents.productChanged({ product })))).toEqual([
      'product.skus.0.attributes: attributes must be an object of string values (keys 1-64, values up to 256 characters)',
    ]);
  });

  it('validates media, listings and categories deep in the snapshot', () => {
    const product: ProductSnapshot = {
      ...snapshot(),
      categoryIds: ['not-a-uuid'],
      media: [{ kind: 'audio' as 'image', url: 'ftp://cdn.example.com/a.mp3', position: -1 }],
      channels: [{ channel: 'app', visible: 'yes' as unknown as boolean }],
    };
    expect(errors(validatePayload(PRODUCT_CHANGED, sampleEvents.productChanged({ product })))).toEqual([
      'product.categoryIds: each value in categoryIds must be a UUID',
      'product.media.0.kind: kind must be one of image, video',
      'product.media.0.url: url must be an http(s) URL',
      'product.media.0.position: position must be an integer >= 0',
      'product.channels.0.visible: visible must be a boolean',
    ]);
  });

  it('rejects an unknown field in a nested listing', () => {
    const product = { ...snapshot(), channels: [{ channel: 'app', visible: true, price: 1 }] };
    expect(errors(validatePayload(PRODUCT_CHANGED, sampleEvents.productChanged({ product })))).toEqual([
      'product.channels.0.price: property price should not exist',
    ]);
  });

  it('keys by product id', () => {
    const sample = sampleEvents.productChanged();
    expect(PRODUCT_CHANGED.key(sample)).toBe(sample.productId);
  });
});

describe('product-changed tags', () => {
  it('explains which bound a tag missed', () => {
    const cases: Array<[unknown[], string]> = [
      [['tea', ''], 'product.tags: each value in tags must not be empty'],
      [['tea', 'x'.repeat(65)], 'product.tags: each value in tags must be at most 64 characters'],
      [['tea', 7], 'product.tags: each value in tags must be a string'],
    ];
    for (const [tags, expected] of cases) {
      const product = { ...sampleEvents.productChanged().product!, tags: tags as string[] };
      expect(errors(validatePayload(PRODUCT_CHANGED, sampleEvents.productChanged({ product })))).toEqual([expected]);
    }
  });
});
