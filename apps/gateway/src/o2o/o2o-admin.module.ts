import { Module } from '@nestjs/common';
import { O2oAdminController } from './o2o-admin.controller';
import { O2oConnectorUpstream } from './o2o-connector.upstream';

/** Staff routes of the O2O connector (mappings, resync, sync health, reconciliation). */
@Module({
  controllers: [O2oAdminController],
  providers: [O2oConnectorUpstream],
})
export class O2oAdminModule {}
