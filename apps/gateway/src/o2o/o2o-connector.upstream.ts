import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import type { UpstreamClient } from '../upstream/upstream.client';
import { gatewayUpstreamClient } from '../upstream/upstreams';

/** The O2O connector's internal API (O2O_CONNECTOR_URL), as the staff routes relay to it. */
@Injectable()
export class O2oConnectorUpstream {
  readonly client: UpstreamClient;

  constructor(@Inject(SERVICE_CONFIG) env: GatewayEnv, credentials: ServiceCredentials, metrics: MetricsService) {
    this.client = gatewayUpstreamClient('o2o-connector', env.O2O_CONNECTOR_URL, env, credentials, metrics);
  }
}
