/** What a tier gives its members. */
export interface TierBenefits {
  /** Points per currency unit, in basis points (10000 = ×1). */
  readonly pointsMultiplierBps: number;
  /** Whether quotes apply the tier price list. */
  readonly tierPrice: boolean;
  readonly freeShipping: boolean;
}

/** A tier and the spend over the rolling period that qualifies for it. */
export interface TierDefinition {
  readonly code: string;
  /** Qualifying spend in minor units over the rolling period. */
  readonly threshold: number;
  readonly benefits: TierBenefits;
}

/** The tiers of a deployment, lowest first; the first has threshold 0 (everyone qualifies). */
export const DEFAULT_TIERS: readonly TierDefinition[] = Object.freeze([
  { code: 'regular', threshold: 0, benefits: { pointsMultiplierBps: 10_000, tierPrice: false, freeShipping: false } },
  { code: 'silver', threshold: 100_000, benefits: { pointsMultiplierBps: 12_500, tierPrice: true, freeShipping: false } },
  { code: 'gold', threshold: 500_000, benefits: { pointsMultiplierBps: 15_000, tierPrice: true, freeShipping: true } },
]);

/** A member's tier and when it is next reviewed for a downgrade. */
export interface TierStanding {
  readonly tier: string;
  /** End of the period the tier was earned for; a downgrade waits until then. */
  readonly periodEnd: Date;
}

/** How a review moved the tier. */
export type TierChange = 'upgrade' | 'downgrade' | 'renewed' | 'none';

/** What a review decided. */
export interface TierReview extends TierStanding {
  readonly change: TierChange;
  readonly previousTier: string;
}

/** The tier a rolling spend qualifies for (the highest whose threshold it reaches). */
export function qualifiedTier(tiers: readonly TierDefinition[], rollingSpend: number): TierDefinition {
  return [...tiers].reverse().find((t) => rollingSpend >= t.threshold) ?? tiers[0];
}

/** The benefits of a tier code (the lowest tier's for an unknown one). */
export function benefitsOf(tiers: readonly TierDefinition[], code: string): TierBenefits {
  return (tiers.find((t) => t.code === code) ?? tiers[0]).benefits;
}

/**
 * Reviews a standing against the spend over the rolling period ending now: a higher tier applies
 * at once (and starts a new period); a lower one only once the current period has ended, so a
 * member keeps what they earned for the whole period; at period end a tier still earned is renewed.
 */
export function reviewTier(tiers: readonly TierDefinition[], standing: TierStanding, rollingSpend: number, now: Date, periodMs: number): TierReview {
  const rank = (code: string) => Math.max(0, tiers.findIndex((t) => t.code === code));
  const qualified = qualifiedTier(tiers, rollingSpend).code;
  const nextPeriodEnd = new Date(now.getTime() + periodMs);
  const previousTier = standing.tier;
  if (rank(qualified) > rank(standing.tier)) return { tier: qualified, periodEnd: nextPeriodEnd, change: 'upgrade', previousTier };
  if (now.getTime() < standing.periodEnd.getTime()) return { ...standing, change: 'none', previousTier };
  if (rank(qualified) < rank(standing.tier)) return { tier: qualified, periodEnd: nextPeriodEnd, change: 'downgrade', previousTier };
  return { tier: standing.tier, periodEnd: nextPeriodEnd, change: 'renewed', previousTier };
}
