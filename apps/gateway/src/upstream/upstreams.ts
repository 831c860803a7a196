import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import { upstreamLimits, type GatewayEnv } from '../config/gateway.config';
import { UpstreamClient } from './upstream.client';
import { UpstreamLimiter } from './upstream.limiter';
import { promUpstreamLimiterObserver } from './upstream-limiter.metrics';

/**
 * A client of `service` at `baseUrl` with the gateway's timeout and its limits per upstream (see
 * GatewayEnv); `lane` names a limiter of its own for one kind of call to that service.
 */
export function gatewayUpstreamClient(service: string, baseUrl: string, env: GatewayEnv, credentials: ServiceCredentials, metrics: MetricsService, lane = service): UpstreamClient {
  const limiter = new UpstreamLimiter(lane, upstreamLimits(env), promUpstreamLimiterObserver(metrics.registry));
  return new UpstreamClient(service, baseUrl, env.UPSTREAM_TIMEOUT_MS, credentials, limiter);
}

/** The internal APIs the gateway composes, one client each. */
@Injectable()
export class Upstreams {
  readonly catalog: UpstreamClient;
  readonly inventory: UpstreamClient;
  readonly order: UpstreamClient;
  readonly pricing: UpstreamClient;
  readonly member: UpstreamClient;
  /**
   * Payment callbacks to order, in a lane of their own: each pays an order already reserved, and
   * queued behind a flash sale's placements one can reach order after the payment window closed
   * (a refund instead of a sale). Its own limit still bounds a flood of forged callbacks.
   */
  readonly orderPayments: UpstreamClient;

  constructor(@Inject(SERVICE_CONFIG) env: GatewayEnv, credentials: ServiceCredentials, metrics: MetricsService) {
    this.catalog = gatewayUpstreamClient('catalog', env.CATALOG_URL, env, credentials, metrics);
    this.inventory = gatewayUpstreamClient('inventory', env.INVENTORY_URL, env, credentials, metrics);
    this.order = gatewayUpstreamClient('order', env.ORDER_URL, env, credentials, metrics);
    this.pricing = gatewayUpstreamClient('pricing', env.PRICING_URL, env, credentials, metrics);
    this.member = gatewayUpstreamClient('member', env.MEMBER_URL, env, credentials, metrics);
    this.orderPayments = gatewayUpstreamClient('order', env.ORDER_URL, env, credentials, metrics, 'order-payments');
  }
}
