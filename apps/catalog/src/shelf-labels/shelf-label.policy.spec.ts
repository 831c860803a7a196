import { composeLabel, labelStockHint, labelTitle, MAX_LABEL_TITLE, sameLabel, type LabelInputs } from './shelf-label.policy';

const inputs = (overrides: Partial<LabelInputs> = {}): LabelInputs => ({
  productTitle: 'Oolong tea',
  attributes: { weight: '250g', grade: 'A' },
  price: { amount: 3900, currency: 'CNY' },
  available: 10,
  lowStockThreshold: 3,
  ...overrides,
});

describe('shelf label policy', () => {
  it('titles a label with the channel title when there is one, and the attribute values in key order', () => {
    expect(labelTitle(inputs())).toBe('Oolong tea A / 250g');
    expect(labelTitle(inputs({ listingTitle: 'Store oolong' }))).toBe('Store oolong A / 250g');
    expect(labelTitle(inputs({ attributes: {} }))).toBe('Oolong tea');
    expect(labelTitle(inputs({ productTitle: 'x'.repeat(400) }))).toHaveLength(MAX_LABEL_TITLE);
  });

  it('shows in stock here, only N left at or below the threshold, sold out at zero, unknown without stock news', () => {
    expect(labelStockHint(10, 3)).toEqual({ code: 'IN_STOCK_HERE' });
    expect(labelStockHint(4, 3)).toEqual({ code: 'IN_STOCK_HERE' });
    expect(labelStockHint(3, 3)).toEqual({ code: 'ONLY_N_LEFT', quantity: 3 });
    expect(labelStockHint(1, 3)).toEqual({ code: 'ONLY_N_LEFT', quantity: 1 });
    expect(labelStockHint(0, 3)).toEqual({ code: 'SOLD_OUT' });
    expect(labelStockHint(null, 3)).toEqual({ code: 'UNKNOWN' });
  });

  it('compares what labels print, field by field', () => {
    const base = composeLabel(inputs());
    expect(sameLabel(base, composeLabel(inputs()))).toBe(true);
    expect(sameLabel(base, composeLabel(inputs({ available: 11 })))).toBe(true);
    expect(sameLabel(base, composeLabel(inputs({ price: { amount: 3800, currency: 'CNY' } })))).toBe(false);
    expect(sameLabel(base, composeLabel(inputs({ price: { amount: 3900, currency: 'USD' } })))).toBe(false);
    expect(sameLabel(base, composeLabel(inputs({ price: null })))).toBe(false);
    expect(sameLabel(base, composeLabel(inputs({ available: 2 })))).toBe(false);
    expect(sameLabel(composeLabel(inputs({ available: 2 })), composeLabel(inputs({ available: 1 })))).toBe(false);
    expect(sameLabel(base, composeLabel(inputs({ listingTitle: 'Other' })))).toBe(false);
  });
});
