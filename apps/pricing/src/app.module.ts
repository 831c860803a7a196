import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS, EventContract, TCC_BRANCH_REPLIED, TIER_CHANGED } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { TCC_BARRIER_RETENTION, TccBarrierMigration1763700000000 } from '@omni/tcc';
import { PricingEnv } from './config/pricing.config';
import { DefinitionsModule } from './definitions/definitions.module';
import { PricingInit1763700000000 } from './migrations/1763700000000-init.migration';
import { PricingCore1764000000000 } from './migrations/1764000000000-pricing-core.migration';
import { PricingIdempotencyRecords1764300000100 } from './migrations/1764300000100-idempotency-records.migration';
import { QuoteLockHolds1765000000000 } from './migrations/1765000000000-quote-lock-holds.migration';
import { MemberTiers1765300000000 } from './migrations/1765300000000-member-tiers.migration';
import { MemberTiersModule } from './member-tiers/member-tiers.module';
import { PriceEventsModule } from './price-events/price-events.module';
import { PriceListsModule } from './price-lists/price-lists.module';
import { QuoteLockModule } from './quote-lock/quote-lock.module';
import { QuotesModule } from './quotes/quotes.module';
import { PricingSharedModule } from './shared/pricing-shared.module';

/** Base and channel prices, price rules and promotions, coupon templates and quote locks (TCC participant). */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'pricing',
      defaultPort: 3004,
      env: PricingEnv,
      entities: [],
      migrations: [PricingInit1763700000000, TccBarrierMigration1763700000000, PricingCore1764000000000, PricingIdempotencyRecords1764300000100, QuoteLockHolds1765000000000, MemberTiers1765300000000],
      // Replies to the saga travel on the shared tcc-branch-replied topic.
      publishes: [...EVENT_CONTRACTS.filter((contract) => contract.source === 'pricing'), TCC_BRANCH_REPLIED as EventContract],
      // Members' tiers (tier prices and member benefits in quotes come from them, never from the caller).
      consumes: [TIER_CHANGED as EventContract],
      dedupTables: [TCC_BARRIER_RETENTION],
    }),
    PricingSharedModule,
    PriceListsModule,
    DefinitionsModule,
    MemberTiersModule,
    QuotesModule,
    QuoteLockModule,
    PriceEventsModule,
  ],
})
export class AppModule {}
