import { Module } from '@nestjs/common';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { EffectivePriceSync } from './effective-price.sync';
import { PriceBoundaryPublisher } from './price-boundary.publisher';
import { PriceBoundaryTasks } from './price-boundary.tasks';

/** price-changed at scheduled boundaries (writes publish their own deltas through EffectivePriceSync). */
@Module({
  providers: [
    {
      provide: PriceBoundaryPublisher,
      inject: [DataSource, PricingSnapshotLoader, EffectivePriceSync, PRICING_CLOCK],
      useFactory: (ds: DataSource, snapshots: PricingSnapshotLoader, sync: EffectivePriceSync, clock: Clock) =>
        new PriceBoundaryPublisher(ds, snapshots, sync, clock),
    },
    PriceBoundaryTasks,
  ],
  exports: [PriceBoundaryPublisher],
})
export class PriceEventsModule {}
