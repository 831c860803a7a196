import { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter, PlatformStockUpdate } from '../domain/platform-adapter.port';
import type { CoalescerOptions, DuePush } from '../domain/push-coalescer';
import type { TokenBucket } from '../domain/token-bucket';
import { platformBucket, PushEngine } from '../push/push.engine';

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
 * Drives one platform's stock pushes: coalesced per SKU × location, as many values per call as the
 * platform's batch allows, under the platform's rate limit (a bucket shared with its price pushes).
 */
export class StockPushEngine {
  private readonly engine: PushEngine<WantedStock>;
  private mapper: IdMapper;

  /** One engine per platform, created by the composition root; `bucket` is the platform's shared rate budget. */
  constructor(
    private readonly adapter: PlatformAdapter,
    settings: StockPushSettings,
    mapper: IdMapper,
    listener: StockPushListener,
    now: () => number = Date.now,
    bucket: TokenBucket = platformBucket(settings.ratePerSecond, settings.concurrency, now()),
  ) {
    this.mapper = mapper;
    const platform = adapter.platform;
    this.engine = new PushEngine<WantedStock>(
      {
        maxBatch: adapter.maxStockBatch,
        prepare: (due) => {
          const sendable: DuePush<WantedStock>[] = [];
          const unmapped: DuePush<WantedStock>[] = [];
          for (const push of due) (this.update(push).ok ? sendable : unmapped).push(push);
          return { sendable, unmapped };
        },
        send: (values) => this.adapter.pushStock(values.map((push) => (this.update(push) as { ok: true; update: PlatformStockUpdate }).update)),
      },
      settings,
      bucket,
      {
        acknowledged: (values, lags) => listener.acknowledged(platform, values.map((push) => ({ ...push.value, version: push.version })), lags),
        failed: (kind, detail) => listener.failed(platform, kind, detail),
        unmapped: (push) => {
          const result = this.update(push);
          const kind = result.ok ? 'sku' : result.unmapped;
          listener.unmapped(platform, kind, kind === 'sku' ? push.value.sku : push.value.locationId);
        },
      },
      now,
    );
  }

  /** Offers our latest value; older or equal versions than one already offered are dropped. */
  offer(wanted: WantedStock): void {
    this.engine.offerValue(`${wanted.sku}|${wanted.locationId}`, wanted.version, wanted, wanted.observedAt);
  }

  /** Restores an acknowledged version after a restart, so a redelivered older event stays dropped. */
  remember(sku: string, locationId: string, acknowledgedVersion: number): void {
    this.engine.rememberKey(`${sku}|${locationId}`, acknowledgedVersion);
  }

  /** Replaces the id mappings (after staff changed them). */
  useMappings(mapper: IdMapper): void {
    this.mapper = mapper;
  }

  /** Values waiting or in flight. */
  get pending(): number {
    return this.engine.pending;
  }

  /** Last time the platform acknowledged a push (ms), 0 before the first. */
  get lastSuccessAt(): number {
    return this.engine.lastSuccessAt;
  }

  /** Stops scheduling; calls in flight finish on their own. */
  stop(): void {
    this.engine.stop();
  }

  private update(push: DuePush<WantedStock>) {
    return this.mapper.stockUpdate(push.value.sku, push.value.locationId, push.value.quantity, push.version);
  }
}
