import { Module } from '@nestjs/common';
import { MappingController } from '../mappings/mapping.controller';
import { MappingService } from '../mappings/mapping.service';
import { MappingStore } from '../mappings/mapping.store';
import { platformAdaptersProvider } from '../platforms/platform-adapters.provider';
import { StockChangedHandler } from './stock-changed.handler';
import { StockSyncService } from './stock-sync.service';
import { StockSyncStore } from './stock-sync.store';

/** Stock push to the platforms and the staff routes on mappings and sync health. */
@Module({
  controllers: [MappingController],
  providers: [platformAdaptersProvider, StockSyncStore, MappingStore, StockSyncService, StockChangedHandler, MappingService],
})
export class StockSyncModule {}
