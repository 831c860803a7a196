import type { TierChangedEvent } from '@omni/contracts';
import { queryRows, type SqlExecutor } from '@omni/sql';

/**
 * Members' tiers as pricing knows them, fed only by member's tier-changed events: the tier of the
 * highest tier version seen wins, so an older event delivered late never overwrites a newer tier.
 * Quotes read the tier from here; a caller cannot name one.
 */
export class MemberTierProjection {
  /** Applies one tier-changed in the caller's (inbox) transaction; true when it was newer than what was known. */
  async applyIn(tx: SqlExecutor, event: TierChangedEvent): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `INSERT INTO member_tiers (member_id, tier, tier_version, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (member_id) DO UPDATE SET tier = EXCLUDED.tier, tier_version = EXCLUDED.tier_version, updated_at = now()
       WHERE member_tiers.tier_version < EXCLUDED.tier_version RETURNING member_id`,
      [event.memberId, event.toTier, event.tierVersion],
    );
    return rows.length > 0;
  }

  /** The member's tier, or null when pricing has not heard of a tier change for them (the base tier). */
  async tierOf(executor: SqlExecutor, memberId: string): Promise<string | null> {
    const [row] = await queryRows<{ tier: string }>(executor, 'SELECT tier FROM member_tiers WHERE member_id = $1', [memberId]);
    return row?.tier ?? null;
  }
}
