import { Module } from '@nestjs/common';
import { MappingController } from '../mappings/mapping.controller';
import { MappingService } from '../mappings/mapping.service';
import { PlatformsModule } from '../platforms/platforms.module';
import { PriceSyncModule } from '../price-sync/price-sync.module';
import { StockChangedHandler } from './stock-changed.handler';
import { StockSyncService } from './stock-sync.service';
import { StockSyncStore } from './stock-sync.store';

/** Stock push to the platforms and the staff routes on mappings and sync health. */
@Module({
  imports: [PlatformsModule, PriceSyncModule],
  controllers: [MappingController],
  providers: [StockSyncStore, StockSyncService, StockChangedHandler, MappingService],
})
export class StockSyncModule {}
