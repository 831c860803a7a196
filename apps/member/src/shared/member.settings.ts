import { DEFAULT_TIERS, TierDefinition } from '../domain';
import type { MemberEnv } from '../config/member.config';

const DAY_MS = 86_400_000;

/** What the member features need from configuration, in the units they use. */
export interface MemberSettings {
  readonly pointsTtlMs: number;
  readonly tierPeriodMs: number;
  readonly tiers: readonly TierDefinition[];
}

/** Settings from the validated environment. */
export function memberSettingsFrom(env: MemberEnv): MemberSettings {
  return { pointsTtlMs: env.MEMBER_POINTS_TTL_DAYS * DAY_MS, tierPeriodMs: env.MEMBER_TIER_PERIOD_DAYS * DAY_MS, tiers: DEFAULT_TIERS };
}
