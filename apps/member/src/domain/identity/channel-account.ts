/** Kinds of channel account a member links: an app account, a marketplace buyer id, a social open id, a phone given at a store till. */
export const ACCOUNT_KINDS = ['app', 'marketplace', 'social', 'store-phone'] as const;
/** A kind of channel account. */
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** What a member is made of, as the merge rule needs it. */
export interface MemberStanding {
  readonly id: string;
  readonly registeredAt: Date;
  readonly tier: string;
  readonly tierPeriodEnd: Date;
  readonly status: 'active' | 'merged';
}

/** Which member survives a merge and the standing it keeps. */
export interface MergePlan {
  readonly survivorId: string;
  readonly absorbedId: string;
  /** The better of the two tiers, with its period (nobody loses a tier by linking an account). */
  readonly tier: string;
  readonly tierPeriodEnd: Date;
}

/**
 * The merge of two members found to be one person: the member registered first survives (its id
 * is the one older orders and channels know best) and keeps the better tier; everything else the
 * absorbed member holds (points, coupons, gift cards, order references, accounts) moves to it.
 */
export function planMerge(a: MemberStanding, b: MemberStanding, tierOrder: readonly string[]): MergePlan {
  if (a.id === b.id) throw new RangeError('a member cannot be merged with itself');
  if (a.status !== 'active' || b.status !== 'active') throw new RangeError('only active members are merged');
  const [survivor, absorbed] = a.registeredAt.getTime() < b.registeredAt.getTime() || (a.registeredAt.getTime() === b.registeredAt.getTime() && a.id < b.id) ? [a, b] : [b, a];
  const rank = (tier: string) => tierOrder.indexOf(tier);
  const better = rank(absorbed.tier) > rank(survivor.tier) || (absorbed.tier === survivor.tier && absorbed.tierPeriodEnd > survivor.tierPeriodEnd) ? absorbed : survivor;
  return { survivorId: survivor.id, absorbedId: absorbed.id, tier: better.tier, tierPeriodEnd: better.tierPeriodEnd };
}
