import { Module } from '@nestjs/common';
import { SystemClock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { ReplenishmentController } from './replenishment.controller';
import { ReplenishmentService } from './replenishment.service';

/** Replenishment suggestions from sales velocity. */
@Module({
  controllers: [ReplenishmentController],
  providers: [{ provide: ReplenishmentService, inject: [DataSource], useFactory: (ds: DataSource) => new ReplenishmentService(ds, new SystemClock()) }],
})
export class ReplenishmentModule {}
