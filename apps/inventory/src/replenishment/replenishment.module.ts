import { Module } from '@nestjs/common';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { INVENTORY_CLOCK } from '../wiring/inventory.tokens';
import { ReplenishmentController } from './replenishment.controller';
import { ReplenishmentService } from './replenishment.service';

/** Replenishment suggestions from sales velocity. */
@Module({
  controllers: [ReplenishmentController],
  providers: [{ provide: ReplenishmentService, inject: [DataSource, INVENTORY_CLOCK], useFactory: (ds: DataSource, clock: Clock) => new ReplenishmentService(ds, clock) }],
})
export class ReplenishmentModule {}
