import { Injectable } from '@nestjs/common';
import { TIER_CHANGED, TierChangedEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
import { MemberTierProjection } from './member-tier.projection';

/** tier-changed → pricing's projection of the member's tier, in the inbox transaction. */
@Injectable()
export class TierChangedHandler {
  constructor(private readonly tiers: MemberTierProjection) {}

  /** One event → the tier, unless a newer one is already known. */
  @EventHandler(TIER_CHANGED)
  async onTierChanged(event: TierChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.tiers.applyIn(ctx.manager, event);
  }
}
