import type { Registry } from 'prom-client';
import { registeredCounter, registeredGauge } from '../metrics/registered-metrics';
import type { ShedReason, UpstreamLimiterObserver } from './upstream.limiter';

const SHED_REASONS: readonly ShedReason[] = ['queue-full', 'queue-wait'];

/**
 * Prometheus view of the gateway's backpressure per upstream: `gateway_upstream_in_flight` and
 * `gateway_upstream_queued` (calls sent and waiting now) and `gateway_upstream_shed_total{reason}`
 * (calls answered 429 `<SERVICE>_BUSY` without being sent). Safe to call for several clients on one registry.
 */
export function promUpstreamLimiterObserver(registry: Registry): UpstreamLimiterObserver {
  const inFlight = registeredGauge(registry, 'gateway_upstream_in_flight', 'Calls this gateway replica has in flight to each upstream', ['upstream']);
  const queued = registeredGauge(registry, 'gateway_upstream_queued', 'Calls waiting for a free slot towards each upstream', ['upstream']);
  const shed = registeredCounter(registry, 'gateway_upstream_shed_total', 'Calls refused with 429 <SERVICE>_BUSY before being sent, by upstream and reason (queue-full, queue-wait)', [
    'upstream',
    'reason',
  ]);
  const known = new Set<string>();
  return {
    changed: (service, calls, waiting) => {
      // Every series from the start, so an upstream never shed shows 0 rather than nothing.
      if (!known.has(service)) {
        known.add(service);
        for (const reason of SHED_REASONS) shed.inc({ upstream: service, reason }, 0);
      }
      inFlight.set({ upstream: service }, calls);
      queued.set({ upstream: service }, waiting);
    },
    shed: (service, reason) => shed.inc({ upstream: service, reason }),
  };
}
