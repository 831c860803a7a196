import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import { UpstreamClient } from './upstream.client';

/** The internal APIs the gateway composes, one client each. */
@Injectable()
export class Upstreams {
  readonly catalog: UpstreamClient;
  readonly inventory: UpstreamClient;
  readonly order: UpstreamClient;
  readonly pricing: UpstreamClient;
  readonly member: UpstreamClient;

  constructor(@Inject(SERVICE_CONFIG) env: GatewayEnv, credentials: ServiceCredentials) {
    this.catalog = new UpstreamClient('catalog', env.CATALOG_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
    this.inventory = new UpstreamClient('inventory', env.INVENTORY_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
    this.order = new UpstreamClient('order', env.ORDER_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
    this.pricing = new UpstreamClient('pricing', env.PRICING_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
    this.member = new UpstreamClient('member', env.MEMBER_URL, env.UPSTREAM_TIMEOUT_MS, credentials);
  }
}
