import { Module } from '@nestjs/common';
import { PlatformsModule } from '../platforms/platforms.module';
import { OrderStatusHandlers } from './order-status.handlers';
import { StatusSyncService } from './status-sync.service';
import { StatusSyncStore } from './status-sync.store';

/** Our order statuses back to the platforms. */
@Module({
  imports: [PlatformsModule],
  providers: [StatusSyncStore, StatusSyncService, OrderStatusHandlers],
})
export class StatusSyncModule {}
