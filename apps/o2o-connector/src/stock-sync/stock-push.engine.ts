import { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter, PlatformStockUpdate } from '../domain/platform-adapter.port';
import { PushCoalescer, type CoalescerOptions, type DuePush } from '../domain/push-coalescer';
import { TokenBucket } from '../domain/token-bucket';

/** Our wanted value for one SKU × location on one platform. */
export interface WantedStock {
  sku: string;
  locationId: string;
  quantity: number;
  version: number;
  /** When the change happened (ms), for the lag metric. */
  observedAt: number;
}

/** What the engine tells the outside world; the store persists, the metrics count. */
export interface StockPushListener {
  /** The platform acknowledged these values. */
  acknowledged(platform: string, pushes: WantedStock[], lagsMs: number[]): void;
  /** A call failed (it will be retried). */
  failed(platform: string, kind: string, detail: string): void;
  /** A value could not be pushed: its SKU or location has no mapping on this platform. */
  unmapped(platform: string, kind: 'sku' | 'store', ourId: string): void;
}

/** Timing and limits of one platform's engine. */
export interface StockPushSettings extends CoalescerOptions {
  /** Calls per second the platform allows. */
  ratePerSecond: number;
  /** Calls in flight at once. */
  concurrency: number;
}

/**
 * Drives one platform's pushes: coalesces offers per SKU × location, spends the rate limit's tokens
 * on due pushes (one call per token, as many values per call as the platform's batch allows),
 * keeps a bounded number of calls in flight and feeds outcomes back into the coalescer.
 */
export class StockPushEngine {
  private readonly coalescer: PushCoalescer<WantedStock>;
  private readonly bucket: TokenBucket;
  private mapper: IdMapper;
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Last time the platform acknowledged a push (ms), 0 before the first. */
  lastSuccessAt = 0;

  /** One engine per platform, created by the composition root. */
  constructor(
    private readonly adapter: PlatformAdapter,
    private readonly settings: StockPushSettings,
    mapper: IdMapper,
    private readonly listener: StockPushListener,
    private readonly now: () => number = Date.now,
  ) {
    this.coalescer = new PushCoalescer(settings);
    // Any one second may see the burst plus a second's refill, and calls arrive with jitter: spend
    // at most 90% of the platform's limit, burst included, so its own count never reaches it.
    const burst = Math.max(1, Math.min(settings.concurrency, Math.floor(settings.ratePerSecond / 10)));
    this.bucket = new TokenBucket(Math.max(0.5, settings.ratePerSecond * 0.9 - burst), burst, now());
    this.mapper = mapper;
  }

  /** Offers our latest value; older or equal versions than one already offered are dropped. */
  offer(wanted: WantedStock): void {
    this.coalescer.offer({ key: `${wanted.sku}|${wanted.locationId}`, version: wanted.version, value: wanted, observedAt: wanted.observedAt }, this.now());
    this.schedule();
  }

  /** Restores an acknowledged version after a restart, so a redelivered older event stays dropped. */
  remember(sku: string, locationId: string, acknowledgedVersion: number): void {
    this.coalescer.remember(`${sku}|${locationId}`, acknowledgedVersion);
  }

  /** Replaces the id mappings (after staff changed them). */
  useMappings(mapper: IdMapper): void {
    this.mapper = mapper;
  }

  /** Values waiting or in flight. */
  get pending(): number {
    return this.coalescer.pendingCount;
  }

  /** Stops scheduling; calls in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const next = this.coalescer.nextDueAt();
    if (next === undefined || this.inFlight >= this.settings.concurrency) return;
    const now = this.now();
    const wait = Math.max(next - now, this.bucket.waitMs(now), 0);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.settings.concurrency) {
      const now = this.now();
      if (this.coalescer.nextDueAt() === undefined || this.coalescer.nextDueAt()! > now) break;
      if (!this.bucket.tryTake(now)) break;
      const due = this.coalescer.takeDue(now, this.adapter.maxStockBatch);
      if (due.length === 0) break;
      this.inFlight += 1;
      void this.send(due).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
    this.schedule();
  }

  private async send(due: DuePush<WantedStock>[]): Promise<void> {
    const mapped: { push: DuePush<WantedStock>; update: PlatformStockUpdate }[] = [];
    for (const push of due) {
      const result = this.mapper.stockUpdate(push.value.sku, push.value.locationId, push.value.quantity, push.version);
      if (result.ok) mapped.push({ push, update: result.update });
      else {
        // Reported, never guessed; dropped so it does not retry forever. A new mapping triggers a resync.
        this.listener.unmapped(this.adapter.platform, result.unmapped, result.unmapped === 'sku' ? push.value.sku : push.value.locationId);
        this.coalescer.dropped(push);
      }
    }
    if (mapped.length === 0) return;
    const result = await this.adapter.pushStock(mapped.map((entry) => entry.update)).catch((error: Error) => ({
      ok: false as const,
      failure: { kind: 'unavailable' as const, detail: error.message },
    }));
    const now = this.now();
    if (result.ok) {
      this.lastSuccessAt = now;
      const lags = mapped.map(({ push }) => this.coalescer.succeeded(push, now));
      this.listener.acknowledged(this.adapter.platform, mapped.map(({ push }) => ({ ...push.value, version: push.version })), lags);
      return;
    }
    const retryAfterMs = result.failure.kind === 'rate-limited' ? result.failure.retryAfterMs : 0;
    if (retryAfterMs > 0) this.bucket.pauseUntil(now + retryAfterMs);
    for (const { push } of mapped) this.coalescer.failed(push, now, retryAfterMs);
    this.listener.failed(this.adapter.platform, result.failure.kind, 'detail' in result.failure ? result.failure.detail : `retry after ${retryAfterMs} ms`);
  }
}
