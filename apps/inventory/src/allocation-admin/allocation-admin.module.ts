import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AtpCache } from '../redis-gate/atp-cache';
import { StockLedger } from '../stock/stock-ledger';
import { AllocationAdminController } from './allocation-admin.controller';
import { AllocationAdminService } from './allocation-admin.service';

/** Channel allocation administration. */
@Module({
  controllers: [AllocationAdminController],
  providers: [
    {
      provide: AllocationAdminService,
      inject: [DataSource, StockLedger, AtpCache],
      useFactory: (ds: DataSource, ledger: StockLedger, cache: AtpCache) => new AllocationAdminService(ds, ledger, (sku) => cache.drop([sku])),
    },
  ],
})
export class AllocationAdminModule {}
