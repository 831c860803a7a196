import { Module } from '@nestjs/common';
import { REDIS_CLIENT } from '@omni/platform';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { MovementsModule } from '../movements/movements.module';
import { AtpCache } from '../redis-gate/atp-cache';
import { StockLedger } from '../stock/stock-ledger';
import { AllocationAdminController } from './allocation-admin.controller';
import { AllocationAdminService } from './allocation-admin.service';

/** Channel allocation administration. */
@Module({
  imports: [MovementsModule],
  controllers: [AllocationAdminController],
  providers: [
    {
      provide: AllocationAdminService,
      inject: [DataSource, StockLedger, REDIS_CLIENT],
      useFactory: (ds: DataSource, ledger: StockLedger, redis: Redis) => {
        const cache = new AtpCache(redis);
        return new AllocationAdminService(ds, ledger, (sku) => redis.del(cache.key(sku)));
      },
    },
  ],
})
export class AllocationAdminModule {}
