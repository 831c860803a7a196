import { DomainError } from '@omni/platform';
import { normaliseStockHint } from '../display-profiles/display-profile.service';
import { orderedMedia } from './product.service';
import { toProductSnapshot, toProductView, type ProductRecord } from './product.record';

const record = (overrides: Partial<ProductRecord> = {}): ProductRecord => ({
  id: '01a20000-0000-7000-8000-000000000001',
  version: 3,
  changeSeq: 10,
  title: 'Oolong',
  description: null,
  brandId: null,
  brandName: null,
  categoryIds: ['01a20000-0000-7000-8000-0000000000c1'],
  categoryAncestry: ['01a20000-0000-7000-8000-0000000000c0', '01a20000-0000-7000-8000-0000000000c1'],
  tags: ['tea'],
  media: [],
  skus: [{ sku: 'OOLONG-250', attributes: { weight: '250g' } }],
  listings: [
    { channel: 'app', visible: true, title: null, media: null, displayProfile: null, profile: null },
    {
      channel: 'pos',
      visible: true,
      title: 'Store oolong',
      media: [{ kind: 'image', url: 'https://cdn.example.com/p.jpg', position: 0 }],
      displayProfile: 'store',
      profile: { code: 'store', stockHint: { kind: 'store' }, badges: ['store-pickup'] },
    },
  ],
  createdAt: '2026-11-21T00:00:00.000Z',
  updatedAt: '2026-11-21T00:00:00.000Z',
  ...overrides,
});

describe('product snapshot and view', () => {
  it('leaves out absent optional fields rather than sending nulls, and resolves display profiles', () => {
    expect(toProductSnapshot(record())).toEqual({
      title: 'Oolong',
      categoryIds: ['01a20000-0000-7000-8000-0000000000c1'],
      categoryAncestry: ['01a20000-0000-7000-8000-0000000000c0', '01a20000-0000-7000-8000-0000000000c1'],
      tags: ['tea'],
      media: [],
      skus: [{ sku: 'OOLONG-250', attributes: { weight: '250g' } }],
      channels: [
        { channel: 'app', visible: true },
        {
          channel: 'pos',
          visible: true,
          title: 'Store oolong',
          media: [{ kind: 'image', url: 'https://cdn.example.com/p.jpg', position: 0 }],
          displayProfile: 'store',
          display: { stockHint: { kind: 'store' }, badges: ['store-pickup'] },
        },
      ],
    });
  });

  it('carries brand name and id when the product has a brand', () => {
    const snapshot = toProductSnapshot(record({ brandId: '01a20000-0000-7000-8000-0000000000b1', brandName: 'Tea House', description: 'Roasted' }));
    expect(snapshot).toMatchObject({ brand: 'Tea House', brandId: '01a20000-0000-7000-8000-0000000000b1', description: 'Roasted' });
  });

  it('keeps resolved profiles out of the API view', () => {
    expect(toProductView(record()).listings[1]).toEqual({
      channel: 'pos', visible: true, title: 'Store oolong', media: [{ kind: 'image', url: 'https://cdn.example.com/p.jpg', position: 0 }], displayProfile: 'store',
    });
  });
});

describe('media order and stock hint rules', () => {
  it('sorts media by position and refuses two at the same position', () => {
    const a = { kind: 'image' as const, url: 'https://a.example/a.jpg', position: 2 };
    const b = { kind: 'video' as const, url: 'https://a.example/b.mp4', position: 0 };
    expect(orderedMedia([a, b], 'media')).toEqual([b, a]);
    expect(() => orderedMedia([a, { ...b, position: 2 }], 'media')).toThrow(DomainError);
  });

  it('requires a threshold for online hints and drops parameters a kind does not use', () => {
    expect(() => normaliseStockHint({ kind: 'online' })).toThrow(/lowStockThreshold/);
    expect(normaliseStockHint({ kind: 'online', lowStockThreshold: 5, shipsInDays: 2 })).toEqual({ kind: 'online', lowStockThreshold: 5 });
    expect(normaliseStockHint({ kind: 'store', lowStockThreshold: 5 })).toEqual({ kind: 'store' });
    expect(normaliseStockHint({ kind: 'remote', shipsInDays: 2 })).toEqual({ kind: 'remote', shipsInDays: 2 });
  });
});
