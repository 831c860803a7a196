import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { TCC_BARRIER_RETENTION, TccBarrierMigration1763700000000 } from '@omni/tcc';
import { AlertsModule } from './alerts/alerts.module';
import { AllocationAdminModule } from './allocation-admin/allocation-admin.module';
import { DisplayModule } from './display/display.module';
import { LocationsModule } from './locations/locations.module';
import { MovementsModule } from './movements/movements.module';
import { OwnersModule } from './owners/owners.module';
import { ReplenishmentModule } from './replenishment/replenishment.module';
import { InventoryEnv } from './config/inventory.config';
import { InventoryInit1763700000000 } from './migrations/1763700000000-init.migration';
import { InventoryCore1763800000000 } from './migrations/1763800000000-inventory-core.migration';
import { ReservationHotPath1763800000100 } from './migrations/1763800000100-reservation-hot-path.migration';
import { StockOperations1763900000000 } from './migrations/1763900000000-stock-operations.migration';
import { ReturnIntake1764150000000 } from './migrations/1764150000000-return-intake.migration';
import { InventoryIdempotencyRecords1764300000100 } from './migrations/1764300000100-idempotency-records.migration';
import { ReservationHolds1765000000000 } from './migrations/1765000000000-reservation-holds.migration';
import { ReservationModule } from './reservation/reservation.module';
import { ReturnsIntakeModule } from './returns-intake/returns-intake.module';
import { INVENTORY_CORE_ENTITIES } from './stock/entities';
import { InventoryCoreModule } from './wiring/inventory-core.module';

/** Stock levels per location and owner, channel allocation, reservations (TCC participant) and the movement ledger. */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'inventory',
      defaultPort: 3002,
      env: InventoryEnv,
      entities: [...INVENTORY_CORE_ENTITIES],
      migrations: [InventoryInit1763700000000, TccBarrierMigration1763700000000, InventoryCore1763800000000, ReservationHotPath1763800000100, StockOperations1763900000000, ReturnIntake1764150000000, InventoryIdempotencyRecords1764300000100, ReservationHolds1765000000000],
      publishes: EVENT_CONTRACTS.filter((contract) => contract.source === 'inventory'),
      consumes: [],
      dedupTables: [TCC_BARRIER_RETENTION],
    }),
    InventoryCoreModule,
    LocationsModule,
    OwnersModule,
    AlertsModule,
    MovementsModule,
    AllocationAdminModule,
    ReplenishmentModule,
    DisplayModule,
    ReservationModule,
    ReturnsIntakeModule,
  ],
})
export class AppModule {}
