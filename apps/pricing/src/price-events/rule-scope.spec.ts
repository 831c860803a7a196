import type { PriceRuleDefinition } from '../domain';
import { skusMovedBy } from './rule-scope';

const common = { version: 1, name: 'r', priority: 0, group: 'g', currency: 'CNY' };
const categories = new Map([
  ['A', ['tea']],
  ['B', ['tea', 'gift']],
  ['C', ['cups']],
]);
const rule = (fields: Record<string, unknown>) => ({ ...common, id: 'r', ...fields }) as unknown as PriceRuleDefinition;

describe('skusMovedBy', () => {
  it('expands category targets to the SKUs in them, and adds listed SKUs', () => {
    expect(skusMovedBy([rule({ kind: 'percent-off', percentOffBps: 100, target: { categoryIds: ['tea'], skus: ['Z'] } })], categories)).toEqual(['A', 'B', 'Z']);
  });

  it('takes fixed-price and flash-sale SKUs, across old and new versions', () => {
    expect(
      skusMovedBy(
        [rule({ kind: 'special-price', channels: ['pos'], prices: [{ sku: 'C', amount: 1 }] }), rule({ kind: 'flash-sale', sku: 'A', salePrice: 1, quantityCap: 1, perMemberLimit: 1 })],
        categories,
      ),
    ).toEqual(['A', 'C']);
  });

  it('means every SKU for a channel adjustment without a target', () => {
    expect(skusMovedBy([rule({ kind: 'channel-adjustment', channels: ['tmall'], priceRatioBps: 9000 })], categories)).toBeUndefined();
  });

  it('moves no shelf price for cart- and member-level rules', () => {
    expect(
      skusMovedBy(
        [
          rule({ kind: 'spend-threshold', thresholds: [{ minSubtotal: 100, discount: 10 }] }),
          rule({ kind: 'member-tier-discount', tiers: ['gold'], percentOffBps: 100 }),
          rule({ kind: 'buy-x-get-y', target: { skus: ['A'] }, buyQuantity: 1, freeQuantity: 1 }),
        ],
        categories,
      ),
    ).toEqual([]);
  });
});
