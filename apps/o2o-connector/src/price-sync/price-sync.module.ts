import { Module } from '@nestjs/common';
import { PlatformsModule } from '../platforms/platforms.module';
import { PriceChangedHandler } from './price-changed.handler';
import { PriceSyncService } from './price-sync.service';
import { PriceSyncStore } from './price-sync.store';

/** Price push to the platforms from price-changed. */
@Module({
  imports: [PlatformsModule],
  providers: [PriceSyncStore, PriceSyncService, PriceChangedHandler],
  exports: [PriceSyncService],
})
export class PriceSyncModule {}
