import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StockPushListener, WantedStock } from './stock-push.engine';

/** Sync health per platform as Prometheus metrics (registered on the service's /metrics registry). */
export class SyncHealthMetrics {
  private readonly acknowledgedTotal: Counter<'platform'>;
  private readonly failuresTotal: Counter<'platform' | 'kind'>;
  private readonly unmappedTotal: Counter<'platform' | 'kind'>;
  private readonly lastSuccess: Gauge<'platform'>;
  private readonly lag: Histogram<'platform'>;

  /** `pending` is read at scrape time. */
  constructor(registry: Registry, pending: () => Array<{ platform: string; pending: number }>) {
    const registers = [registry];
    this.acknowledgedTotal = new Counter({ name: 'o2o_stock_pushes_acknowledged_total', help: 'Stock values the platform acknowledged', labelNames: ['platform'], registers });
    this.failuresTotal = new Counter({ name: 'o2o_stock_push_failures_total', help: 'Failed stock push calls (retried)', labelNames: ['platform', 'kind'], registers });
    this.unmappedTotal = new Counter({ name: 'o2o_unmapped_total', help: 'Values not pushed for want of a SKU or store mapping', labelNames: ['platform', 'kind'], registers });
    this.lastSuccess = new Gauge({ name: 'o2o_stock_push_last_success_timestamp_seconds', help: 'When the platform last acknowledged a push', labelNames: ['platform'], registers });
    this.lag = new Histogram({
      name: 'o2o_stock_push_lag_seconds',
      help: 'From the stock change to the platform acknowledging it',
      labelNames: ['platform'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
    new Gauge({
      name: 'o2o_stock_pushes_pending',
      help: 'SKU × store values waiting for or in a push',
      labelNames: ['platform'],
      registers,
      collect() {
        for (const entry of pending()) this.set({ platform: entry.platform }, entry.pending);
      },
    });
  }

  /** The listener half: what the engines report. */
  listener(onAcknowledged: (platform: string, pushes: WantedStock[]) => void, onUnmapped: (platform: string, kind: 'sku' | 'store', ourId: string) => void): StockPushListener {
    return {
      acknowledged: (platform, pushes, lagsMs) => {
        this.acknowledgedTotal.inc({ platform }, pushes.length);
        this.lastSuccess.set({ platform }, Date.now() / 1_000);
        for (const lagMs of lagsMs) this.lag.observe({ platform }, lagMs / 1_000);
        onAcknowledged(platform, pushes);
      },
      failed: (platform, kind) => this.failuresTotal.inc({ platform, kind }),
      unmapped: (platform, kind, ourId) => {
        this.unmappedTotal.inc({ platform, kind });
        onUnmapped(platform, kind, ourId);
      },
    };
  }
}
