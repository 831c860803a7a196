import { Module } from '@nestjs/common';
import { O2oAdminController } from './o2o-admin.controller';
import { O2oConnectorUpstream } from './o2o-connector.upstream';
import { PlatformWebhookController } from './platform-webhook.controller';
import { PlatformWebhookRelay } from './platform-webhook.relay';

/** Staff routes of the O2O connector (mappings, resync, sync health, reconciliation) and the platforms' webhook entry. */
@Module({
  controllers: [O2oAdminController, PlatformWebhookController],
  providers: [O2oConnectorUpstream, PlatformWebhookRelay],
})
export class O2oAdminModule {}
