import { Module } from '@nestjs/common';
import { MappingStore } from '../mappings/mapping.store';
import { PushLeadershipService } from '../push/push-leadership.service';
import { PLATFORM_ADAPTERS, platformAdaptersProvider } from './platform-adapters.provider';

/** The configured platform adapters, the id mappings and the push leadership, created once and shared by every feature. */
@Module({
  providers: [platformAdaptersProvider, MappingStore, PushLeadershipService],
  exports: [PLATFORM_ADAPTERS, MappingStore, PushLeadershipService],
})
export class PlatformsModule {}
