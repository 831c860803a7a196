import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import { UpstreamClient } from '../upstream/upstream.client';

/** The O2O connector's internal API (O2O_CONNECTOR_URL), as the staff routes relay to it. */
@Injectable()
export class O2oConnectorUpstream {
  readonly client: UpstreamClient;

  constructor(@Inject(SERVICE_CONFIG) env: GatewayEnv, credentials: ServiceCredentials) {
    this.client = new UpstreamClient('o2o-connector', env.O2O_CONNECTOR_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
  }
}
