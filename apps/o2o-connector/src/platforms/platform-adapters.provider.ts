import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { O2oConnectorEnv, platformSettingsFrom } from '../config/o2o-connector.config';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import { DeliveryPlatformAdapter } from './delivery-platform.adapter';
import { MarketplaceAdapter } from './marketplace.adapter';

/** Injection token of the configured platform adapters (an array, one per platform switched on). */
export const PLATFORM_ADAPTERS = Symbol('PLATFORM_ADAPTERS');

/** Builds one adapter per platform the environment switches on. */
export const platformAdaptersProvider: Provider = {
  provide: PLATFORM_ADAPTERS,
  inject: [SERVICE_CONFIG],
  useFactory: (env: O2oConnectorEnv): PlatformAdapter[] =>
    platformSettingsFrom(env).map((platform) => {
      const endpoint = { baseUrl: platform.baseUrl, appKey: platform.appKey, secret: platform.secret, timeoutMs: env.O2O_PLATFORM_TIMEOUT_MS, webhookMaxSkewMs: env.O2O_WEBHOOK_MAX_SKEW_MS };
      return platform.kind === 'delivery' ? new DeliveryPlatformAdapter(platform.channel, endpoint) : new MarketplaceAdapter(platform.channel, endpoint);
    }),
};
