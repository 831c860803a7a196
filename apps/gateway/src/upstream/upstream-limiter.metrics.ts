import { Counter, Gauge, type Registry } from 'prom-client';
import type { ShedReason, UpstreamLimiterObserver } from './upstream.limiter';

const SHED_REASONS: readonly ShedReason[] = ['queue-full', 'queue-wait'];

/**
 * Prometheus view of the gateway's backpressure per upstream: `gateway_upstream_in_flight` and
 * `gateway_upstream_queued` (calls sent and waiting now) and `gateway_upstream_shed_total{reason}`
 * (calls answered 429 `<SERVICE>_BUSY` without being sent). Safe to call for several clients on one registry.
 */
export function promUpstreamLimiterObserver(registry: Registry): UpstreamLimiterObserver {
  const inFlight =
    (registry.getSingleMetric('gateway_upstream_in_flight') as Gauge<'upstream'> | undefined) ??
    new Gauge({ name: 'gateway_upstream_in_flight', help: 'Calls this gateway replica has in flight to each upstream', labelNames: ['upstream'], registers: [registry] });
  const queued =
    (registry.getSingleMetric('gateway_upstream_queued') as Gauge<'upstream'> | undefined) ??
    new Gauge({ name: 'gateway_upstream_queued', help: 'Calls waiting for a free slot towards each upstream', labelNames: ['upstream'], registers: [registry] });
  const shed =
    (registry.getSingleMetric('gateway_upstream_shed_total') as Counter<'upstream' | 'reason'> | undefined) ??
    new Counter({
      name: 'gateway_upstream_shed_total',
      help: 'Calls refused with 429 <SERVICE>_BUSY before being sent, by upstream and reason (queue-full, queue-wait)',
      labelNames: ['upstream', 'reason'],
      registers: [registry],
    });
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
