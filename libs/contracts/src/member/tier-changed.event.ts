import { IsIn } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsUtcTimestamp, IsVersion } from '../core/validators';

/** How a tier moved. */
export const TIER_CHANGES = ['upgrade', 'downgrade'] as const;

/** A member's tier changed (an upgrade applies at once, a downgrade at the end of the period). */
export class TierChangedEvent extends EventPayloadBase {
  /** The member. */
  @IsId()
  memberId: string;

  /** Tier before, e.g. 'regular'. */
  @IsChannelCode({ message: '$property must be a tier code (1-32 characters of a-z 0-9 -)' })
  fromTier: string;

  /** Tier now, e.g. 'silver'. */
  @IsChannelCode({ message: '$property must be a tier code (1-32 characters of a-z 0-9 -)' })
  toTier: string;

  /** 'upgrade' | 'downgrade'. */
  @IsIn(TIER_CHANGES, { message: `$property must be one of ${TIER_CHANGES.join(', ')}` })
  change: string;

  /** The tier holds at least until then. */
  @IsUtcTimestamp()
  periodEnd: string;

  /**
   * Grows with every tier change of the member (1 for the first): a projection keeps the highest
   * it has seen, so an older event delivered late never overwrites a newer tier.
   */
  @IsVersion()
  tierVersion: number;
}

/** tier-changed: keyed by member id (pricing applies tier prices from it). Version 2 added tierVersion. */
export const TIER_CHANGED = defineEvent<TierChangedEvent>({
  topic: 'tier-changed',
  type: 'com.omniretail.member.tier-changed.v2',
  version: 2,
  source: 'member',
  payload: TierChangedEvent,
  key: (payload) => payload.memberId,
  partitions: 6,
  summary: "A member's tier changed; tier prices and benefits follow it.",
});
