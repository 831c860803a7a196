import type { TierBenefits } from '../domain';

/** A member as staff and the member see it. */
export interface MemberView {
  memberId: string;
  /** Set when the id asked for was merged into this member. */
  mergedFrom?: string;
  registeredAt: string;
  tier: string;
  tierPeriodEnd: string;
  benefits: TierBenefits;
  /** Masked: all but the last four digits. */
  phone: string | null;
  name: string | null;
  points: { balance: number; frozen: number; available: number };
  accounts: { kind: string; linkedAt: string }[];
}

/** The answer to a registration or a link: the member, and whether a merge happened. */
export interface MemberIdentityView {
  memberId: string;
  /** True when the registration's phone was already a member's (a store buyer claiming their history). */
  existing: boolean;
  /** The member merged into `memberId`, when the link joined two members. */
  mergedFrom?: string;
}
