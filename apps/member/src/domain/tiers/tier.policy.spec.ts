import { benefitsOf, DEFAULT_TIERS, qualifiedTier, reviewTier } from './tier.policy';

const DAY = 86_400_000;
const PERIOD = 365 * DAY;
const NOW = new Date('2026-06-01T00:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('tiers', () => {
  it.each([
    [0, 'regular'],
    [99_999, 'regular'],
    [100_000, 'silver'],
    [499_999, 'silver'],
    [500_000, 'gold'],
  ])('a rolling spend of %i qualifies for %s', (spend, tier) => {
    expect(qualifiedTier(DEFAULT_TIERS, spend).code).toBe(tier);
  });

  it.each([
    ['upgrades at once, mid-period', 'regular', 100, 150_000, 'silver', 'upgrade', later(365)],
    ['jumps two tiers at once', 'regular', 100, 600_000, 'gold', 'upgrade', later(365)],
    ['keeps a tier no longer earned until the period ends', 'gold', 10, 0, 'gold', 'none', later(10)],
    ['downgrades at the period end', 'gold', 0, 150_000, 'silver', 'downgrade', later(365)],
    ['downgrades to the tier still earned, not to the bottom', 'gold', -1, 120_000, 'silver', 'downgrade', later(365)],
    ['renews a tier still earned at the period end', 'silver', 0, 200_000, 'silver', 'renewed', later(365)],
    ['leaves a regular member alone', 'regular', 100, 0, 'regular', 'none', later(100)],
  ])('%s', (_name, tier, daysLeft, spend, expectedTier, change, periodEnd) => {
    const review = reviewTier(DEFAULT_TIERS, { tier, periodEnd: later(daysLeft) }, spend, NOW, PERIOD);
    expect(review).toEqual({ tier: expectedTier, change, periodEnd, previousTier: tier });
  });

  it('gives each tier its benefits', () => {
    expect(benefitsOf(DEFAULT_TIERS, 'gold')).toEqual({ pointsMultiplierBps: 15_000, tierPrice: true, freeShipping: true });
    expect(benefitsOf(DEFAULT_TIERS, 'unknown')).toEqual(benefitsOf(DEFAULT_TIERS, 'regular'));
  });
});
