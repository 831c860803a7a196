import { Module } from '@nestjs/common';
import { CatalogAdminController } from './catalog-admin.controller';
import { CouponTemplateAdminController, PriceRuleAdminController } from './definition-admin.controllers';
import { FulfilmentAdminController } from './fulfilment-admin.controller';
import { PricingAdminController } from './pricing-admin.controller';
import { ReturnAdminController } from './return-admin.controller';
import { StockAdminController } from './stock-admin.controller';

/** Back-office routes for staff, relayed to the owning services after role checks. */
@Module({
  controllers: [
    CatalogAdminController,
    StockAdminController,
    PricingAdminController,
    PriceRuleAdminController,
    CouponTemplateAdminController,
    ReturnAdminController,
    FulfilmentAdminController,
  ],
})
export class AdminModule {}
