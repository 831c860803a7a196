import { Module } from '@nestjs/common';
import { ALL_TOPIC_CONTRACTS } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { CatalogCoreModule, ChannelFeedsModule, ClassificationModule, ProductsModule, StoresModule } from './catalog.module';
import { CHANNEL_FEED_GROUP } from './channel-feeds/channel-feed.handlers';
import { CatalogEnv } from './config/catalog.config';
import { CatalogInit1763700000000 } from './migrations/1763700000000-init.migration';
import { CatalogCore1764000000000 } from './migrations/1764000000000-catalog-core.migration';
import { ProductChangeIndex1764000000100 } from './migrations/1764000000100-product-change-index.migration';
import { CatalogIdempotencyRecords1764300000100 } from './migrations/1764300000100-idempotency-records.migration';

/** Products, SKUs, categories, per-channel listings, store assortments and the shelf-label feed. */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'catalog',
      defaultPort: 3001,
      env: CatalogEnv,
      entities: [],
      migrations: [CatalogInit1763700000000, CatalogCore1764000000000, ProductChangeIndex1764000000100, CatalogIdempotencyRecords1764300000100],
      // product-changed and the channel feeds (feed.<channel>.<topic>).
      publishes: ALL_TOPIC_CONTRACTS.filter((contract) => contract.source === 'catalog'),
      // price-changed and stock-changed are consumed by @EventHandler methods (PriceStockHandlers), and with product-changed by ChannelFeedHandlers.
      consumes: [],
      // Shelf labels and channel feeds keep up within a second, in long runs.
      gatheredGroups: ['catalog', CHANNEL_FEED_GROUP],
    }),
    CatalogCoreModule,
    ProductsModule,
    ClassificationModule,
    StoresModule,
    ChannelFeedsModule,
  ],
})
export class AppModule {}
