import { Global, Module } from '@nestjs/common';
import { BrandController } from './brands/brand.controller';
import { BrandService } from './brands/brand.service';
import { CategoryController } from './categories/category.controller';
import { CategoryService } from './categories/category.service';
import { IdempotentWriter } from './common/idempotent.writer';
import { DisplayProfileController } from './display-profiles/display-profile.controller';
import { DisplayProfileService } from './display-profiles/display-profile.service';
import { ChannelFeedHandlers } from './channel-feeds/channel-feed.handlers';
import { ProductChanges } from './products/product-changes.service';
import { ProductController } from './products/product.controller';
import { ProductExportService } from './products/product-export.service';
import { ProductService } from './products/product.service';
import { PriceActivationSweeper } from './shelf-labels/price-activation.sweeper';
import { PriceStockHandlers } from './shelf-labels/price-stock.handlers';
import { ShelfLabelService } from './shelf-labels/shelf-label.service';
import { ShelfLabelWriter } from './shelf-labels/shelf-label.writer';
import { StoreController } from './stores/store.controller';
import { StoreService } from './stores/store.service';

/** What every catalog write shares: the idempotency log, the product change publisher and the label writer. */
@Global()
@Module({ providers: [IdempotentWriter, ProductChanges, ShelfLabelWriter], exports: [IdempotentWriter, ProductChanges, ShelfLabelWriter] })
export class CatalogCoreModule {}

/** Products, SKUs and channel listings, with the full export for caches. */
@Module({ controllers: [ProductController], providers: [ProductService, ProductExportService] })
export class ProductsModule {}

/** Brands, the category tree and display profiles. */
@Module({
  controllers: [BrandController, CategoryController, DisplayProfileController],
  providers: [BrandService, CategoryService, DisplayProfileService],
})
export class ClassificationModule {}

/** Stores, assortments and the shelf-label feed with its price and stock consumers. */
@Module({ controllers: [StoreController], providers: [StoreService, ShelfLabelService, PriceStockHandlers, PriceActivationSweeper] })
export class StoresModule {}

/** The channel-scoped feeds cut from price-changed, stock-changed and product-changed. */
@Module({ providers: [ChannelFeedHandlers] })
export class ChannelFeedsModule {}
