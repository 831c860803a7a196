import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@omni/platform';
import type { Counter, Gauge } from 'prom-client';
import { registeredCounter, registeredGauge } from '../metrics/registered-metrics';

/** What the Redis record of forwarded order keys was asked when it failed or did not answer in time. */
export type ForwardedKeyOperation = 'record' | 'check';

/**
 * Prometheus view of the sold-out fast path: `gateway_orders_sold_out_total{channel}` counts orders
 * refused by the projection (409 SOLD_OUT, no upstream call); `gateway_sold_out_key_failures_total{op}`
 * counts Redis failures of the forwarded-key record (the order then took the normal path);
 * `gateway_sold_out_event_delay_seconds` is how long the last applied stock-changed took from
 * inventory's change to this replica (the delay a false "sold out" can last);
 * `gateway_sold_out_pairs` the (SKU, channel) pairs held at 0; `gateway_sold_out_answering` 1 while
 * the projection answers (its consumer is in its group), else 0.
 */
@Injectable()
export class SoldOutMetrics {
  private readonly refusedTotal: Counter<'channel'>;
  private readonly keyFailuresTotal: Counter<'op'>;
  private readonly eventDelay: Gauge;
  /** Read when Prometheus scrapes: the projection's state. */
  private source: { answering(): boolean; soldOutPairs(): number } = { answering: () => false, soldOutPairs: () => 0 };

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    const registry = metrics.registry;
    this.refusedTotal = registeredCounter(registry, 'gateway_orders_sold_out_total', 'Orders refused with 409 SOLD_OUT by the sold-out projection, before any upstream call', ['channel']);
    this.keyFailuresTotal = registeredCounter(registry, 'gateway_sold_out_key_failures_total', 'Redis failures or timeouts of the forwarded order-key record (the order took the normal path)', ['op']);
    this.eventDelay = registeredGauge(registry, 'gateway_sold_out_event_delay_seconds', 'From the last applied stock-changed event to this replica applying it, seconds');
    registeredGauge(registry, 'gateway_sold_out_pairs', '(SKU, channel) pairs the sold-out projection holds at 0 ATP', [], (g) => g.set(this.source.soldOutPairs()));
    registeredGauge(registry, 'gateway_sold_out_answering', '1 while the sold-out projection answers (its consumer is in its group), else 0', [], (g) => g.set(this.source.answering() ? 1 : 0));
    for (const op of ['record', 'check'] as const) this.keyFailuresTotal.inc({ op }, 0);
  }

  /** An order was refused as sold out on `channel`. */
  refused(channel: string): void {
    this.refusedTotal.inc({ channel });
  }

  /** The forwarded-key record failed to `op`. */
  keyFailed(op: ForwardedKeyOperation): void {
    this.keyFailuresTotal.inc({ op });
  }

  /** A stock-changed event that occurred at `occurredAt` was applied now. */
  applied(occurredAt: string): void {
    const at = Date.parse(occurredAt);
    if (Number.isFinite(at)) this.eventDelay.set(Math.max(0, (Date.now() - at) / 1000));
  }

  /** Where the scrape reads whether the projection answers and how many pairs it holds sold out. */
  observe(source: { answering(): boolean; soldOutPairs(): number }): void {
    this.source = source;
  }
}
