import type { PlatformCallResult } from '../domain/platform-adapter.port';
import { PushCoalescer, type CoalescerOptions, type DuePush } from '../domain/push-coalescer';
import { TokenBucket } from '../domain/token-bucket';

/** Timing and limits of one push engine. */
export interface PushSettings extends CoalescerOptions {
  /** Calls in flight at once. */
  concurrency: number;
}

/** How one kind of value (stock, price) reaches a platform. */
export interface PushDelivery<T> {
  /** The most values one call may carry. */
  readonly maxBatch: number;
  /** Splits due values into those that can be sent and those whose ids have no mapping (reported, never guessed). */
  prepare(due: DuePush<T>[]): { sendable: DuePush<T>[]; unmapped: DuePush<T>[] };
  /** Sends one call with the sendable values; the whole batch succeeds or fails together. */
  send(values: DuePush<T>[]): Promise<PlatformCallResult>;
}

/** What an engine reports: outcomes the store persists and the metrics count. */
export interface PushOutcomes<T> {
  acknowledged(values: DuePush<T>[], lagsMs: number[]): void;
  failed(kind: string, detail: string): void;
  unmapped(value: DuePush<T>): void;
}

/**
 * Drives one kind of push to one platform: coalesces offers per key, spends the platform's rate
 * limit (a token bucket shared by every engine of that platform) on due pushes, keeps a bounded
 * number of calls in flight, and feeds outcomes back into the coalescer (backoff, Retry-After).
 */
export class PushEngine<T> {
  private readonly coalescer: PushCoalescer<T>;
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Last time the platform acknowledged a push (ms), 0 before the first. */
  lastSuccessAt = 0;

  /** `bucket` is the platform's one rate budget. */
  constructor(
    private readonly delivery: PushDelivery<T>,
    private readonly settings: PushSettings,
    private readonly bucket: TokenBucket,
    private readonly outcomes: PushOutcomes<T>,
    private readonly now: () => number = Date.now,
  ) {
    this.coalescer = new PushCoalescer(settings);
  }

  /** Offers a value; older or equal versions than one already offered for the key are dropped. */
  offerValue(key: string, version: number, value: T, observedAt: number): void {
    this.coalescer.offer({ key, version, value, observedAt }, this.now());
    this.schedule();
  }

  /** Restores an acknowledged version after a restart, so a redelivered older change stays dropped. */
  rememberKey(key: string, acknowledgedVersion: number): void {
    this.coalescer.remember(key, acknowledgedVersion);
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
      const due = this.coalescer.takeDue(now, this.delivery.maxBatch);
      if (due.length === 0) break;
      this.inFlight += 1;
      void this.send(due).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
    this.schedule();
  }

  private async send(due: DuePush<T>[]): Promise<void> {
    const { sendable, unmapped } = this.delivery.prepare(due);
    for (const push of unmapped) {
      // Dropped so it does not retry forever; a new mapping triggers a resync.
      this.outcomes.unmapped(push);
      this.coalescer.dropped(push);
    }
    if (sendable.length === 0) return;
    const result = await this.delivery.send(sendable).catch((error: Error) => ({ ok: false as const, failure: { kind: 'unavailable' as const, detail: error.message } }));
    const now = this.now();
    if (result.ok) {
      this.lastSuccessAt = now;
      const lags = sendable.map((push) => this.coalescer.succeeded(push, now));
      this.outcomes.acknowledged(sendable, lags);
      return;
    }
    const retryAfterMs = result.failure.kind === 'rate-limited' ? result.failure.retryAfterMs : 0;
    if (retryAfterMs > 0) this.bucket.pauseUntil(now + retryAfterMs);
    for (const push of sendable) this.coalescer.failed(push, now, retryAfterMs);
    this.outcomes.failed(result.failure.kind, 'detail' in result.failure ? result.failure.detail : `retry after ${retryAfterMs} ms`);
  }
}

/**
 * The bucket of a platform's limit: any one second may see the burst plus a second's refill, and
 * calls arrive with jitter, so spend at most 90% of the limit, burst included.
 */
export function platformBucket(ratePerSecond: number, concurrency: number, now: number): TokenBucket {
  const burst = Math.max(1, Math.min(concurrency, Math.floor(ratePerSecond / 10)));
  return new TokenBucket(Math.max(0.5, ratePerSecond * 0.9 - burst), burst, now);
}
