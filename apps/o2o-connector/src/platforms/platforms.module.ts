import { Module } from '@nestjs/common';
import { MappingStore } from '../mappings/mapping.store';
import { PLATFORM_ADAPTERS, platformAdaptersProvider } from './platform-adapters.provider';

/** The configured platform adapters and the id mappings, created once and shared by every feature. */
@Module({
  providers: [platformAdaptersProvider, MappingStore],
  exports: [PLATFORM_ADAPTERS, MappingStore],
})
export class PlatformsModule {}
