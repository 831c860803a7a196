import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PricingEnv } from '../config/pricing.config';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { QuoteController } from './quote.controller';
import { QuoteService } from './quote.service';
import { MemberTierProjection } from '../member-tiers/member-tier.projection';
import { MemberTiersModule } from '../member-tiers/member-tiers.module';

/** The quote API. */
@Module({
  imports: [MemberTiersModule],
  controllers: [QuoteController],
  providers: [
    {
      provide: QuoteService,
      inject: [DataSource, PricingSnapshotLoader, MemberTierProjection, PRICING_CLOCK, SERVICE_CONFIG],
      useFactory: (ds: DataSource, snapshots: PricingSnapshotLoader, tiers: MemberTierProjection, clock: Clock, env: PricingEnv) =>
        new QuoteService(ds, snapshots, tiers, clock, env.QUOTE_TTL_MS),
    },
  ],
})
export class QuotesModule {}
