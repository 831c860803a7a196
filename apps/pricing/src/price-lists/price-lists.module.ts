import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PricingEnv } from '../config/pricing.config';
import { EffectivePriceSync } from '../price-events/effective-price.sync';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { PricingWriteRunner } from '../shared/pricing-write.runner';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { BasePriceController, ChannelPriceController, EffectivePriceController } from './price-list.controller';
import { PriceListService } from './price-list.service';

/** Base prices, channel price lists and effective-price reads. */
@Module({
  controllers: [BasePriceController, ChannelPriceController, EffectivePriceController],
  providers: [
    {
      provide: PriceListService,
      inject: [DataSource, PricingWriteRunner, PricingSnapshotLoader, EffectivePriceSync, PRICING_CLOCK, SERVICE_CONFIG],
      useFactory: (ds: DataSource, writes: PricingWriteRunner, snapshots: PricingSnapshotLoader, sync: EffectivePriceSync, clock: Clock, env: PricingEnv) =>
        new PriceListService(ds, writes, snapshots, sync, clock, env.PRICING_CURRENCY),
    },
  ],
})
export class PriceListsModule {}
