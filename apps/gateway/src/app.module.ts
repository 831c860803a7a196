import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS, PRODUCT_CHANGED, STOCK_CHANGED } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { ChannelApiKeyEntity } from './api-keys/api-key.entity';
import { CatalogModule } from './catalog/catalog.module';
import { GatewayEnv } from './config/gateway.config';
import { DocsModule } from './docs/docs.module';
import { GATEWAY_API_MODULES } from './gateway-api.modules';
import { GatewayInit1763700000000 } from './migrations/1763700000000-init.migration';
import { ChannelApiKeys1764100000000 } from './migrations/1764100000000-channel-api-keys.migration';
import { SoldOutModule } from './sold-out/sold-out.module';
import { UpstreamModule } from './upstream/upstream.module';

/** The only public HTTP entry: channel API keys, staff auth and request composition. */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'gateway',
      defaultPort: 3000,
      env: GatewayEnv,
      // The public API: callers present channel API keys or staff and member tokens, checked per route.
      callers: 'public',
      entities: [ChannelApiKeyEntity],
      migrations: [GatewayInit1763700000000, ChannelApiKeys1764100000000],
      publishes: EVENT_CONTRACTS.filter((contract) => contract.source === 'gateway'),
      // Read by per-replica consumers of their own (the catalog cache, the sold-out projection),
      // not by @EventHandler methods; declared so the topics exist before they subscribe.
      consumes: EVENT_CONTRACTS.filter((contract) => contract.topic === PRODUCT_CHANGED.topic || contract.topic === STOCK_CHANGED.topic),
    }),
    UpstreamModule,
    CatalogModule,
    SoldOutModule,
    ...GATEWAY_API_MODULES,
    DocsModule,
  ],
})
export class AppModule {}
