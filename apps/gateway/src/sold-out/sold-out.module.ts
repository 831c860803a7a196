import { Global, Module } from '@nestjs/common';
import { SoldOutFastPath } from './sold-out.fast-path';
import { SoldOutFeed } from './sold-out.feed';
import { SoldOutMetrics } from './sold-out.metrics';
import { SoldOutProjection } from './sold-out.projection';

/** The sold-out fast path: a per-replica projection of stock-changed, and the check placing an order starts with. */
@Global()
@Module({
  providers: [SoldOutProjection, SoldOutMetrics, SoldOutFeed, SoldOutFastPath],
  exports: [SoldOutFastPath],
})
export class SoldOutModule {}
