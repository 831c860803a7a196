import { Module } from '@nestjs/common';
import { BrandAdminController, CategoryAdminController, DisplayProfileAdminController } from './catalog-structure-admin.controllers';
import { AllocationAdminController, LocationAdminController, OwnerAdminController, ThresholdAdminController } from './inventory-admin.controllers';
import { StockDocumentAdminController } from './stock-document-admin.controller';
import { StoreAdminController } from './store-admin.controller';

/**
 * The back-office functions that used to exist only on catalog's and inventory's internal ports:
 * catalog structure and stores for catalog managers, the stock network for inventory managers,
 * stocktakes and transfers for stock operators. Each validates with the owning service's body
 * class (@omni/contracts) and relays.
 */
@Module({
  controllers: [
    CategoryAdminController,
    BrandAdminController,
    DisplayProfileAdminController,
    StoreAdminController,
    LocationAdminController,
    OwnerAdminController,
    AllocationAdminController,
    ThresholdAdminController,
    StockDocumentAdminController,
  ],
})
export class BackOfficeModule {}
