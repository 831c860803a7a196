import { Module } from '@nestjs/common';
import { MemberTierProjection } from './member-tier.projection';
import { TierChangedHandler } from './tier-changed.handler';

/** Members' tiers projected from member's tier-changed events (quotes read them). */
@Module({
  providers: [MemberTierProjection, TierChangedHandler],
  exports: [MemberTierProjection],
})
export class MemberTiersModule {}
