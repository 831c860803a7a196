import { Global, Module } from '@nestjs/common';
import { Outbox } from '@omni/messaging';
import { SERVICE_CONFIG } from '@omni/platform';
import { SystemClock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PricingEnv } from '../config/pricing.config';
import { EffectivePriceSync } from '../price-events/effective-price.sync';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { PRICING_CLOCK } from './pricing.tokens';
import { PricingWriteRunner } from './pricing-write.runner';

/** What every pricing feature shares: the clock, the write runner, the snapshot loader and the delta publisher. */
@Global()
@Module({
  providers: [
    { provide: PRICING_CLOCK, useClass: SystemClock },
    { provide: PricingWriteRunner, inject: [DataSource], useFactory: (ds: DataSource) => new PricingWriteRunner(ds) },
    {
      provide: PricingSnapshotLoader,
      inject: [DataSource, SERVICE_CONFIG],
      useFactory: (ds: DataSource, env: PricingEnv) => new PricingSnapshotLoader(ds, env.PRICING_CURRENCY, env.PRICING_CHANNELS),
    },
    { provide: EffectivePriceSync, inject: [Outbox], useFactory: (outbox: Outbox) => new EffectivePriceSync(outbox) },
  ],
  exports: [PRICING_CLOCK, PricingWriteRunner, PricingSnapshotLoader, EffectivePriceSync],
})
export class PricingSharedModule {}
