import { upstreamBusy } from './upstream.errors';

/** How much one gateway replica may ask of one upstream at once (GatewayEnv UPSTREAM_MAX_*). */
export interface UpstreamLimits {
  /** Calls in flight to the upstream at once. */
  maxInFlight: number;
  /** Calls waiting for a free slot; a call past them is refused at once. */
  maxQueued: number;
  /** The longest a call waits for a slot; a call expected to wait longer is refused at once. */
  maxQueueWaitMs: number;
}

/** Why a call was refused before it was sent. */
export type ShedReason = 'queue-full' | 'queue-wait';

/** What a limiter reports: its occupancy after every change, and each call it refused. */
export interface UpstreamLimiterObserver {
  changed(service: string, inFlight: number, queued: number): void;
  shed(service: string, reason: ShedReason): void;
}

const NO_OBSERVER: UpstreamLimiterObserver = { changed: () => undefined, shed: () => undefined };

/** Weight of the latest call in the running average of call durations. */
const DURATION_WEIGHT = 0.2;

/** The most a refusal asks the caller to wait. */
const MAX_RETRY_AFTER_SECONDS = 30;

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

/**
 * Backpressure towards one upstream: at most `maxInFlight` calls at once, then a bounded FIFO
 * queue. A call is refused (429 `<SERVICE>_BUSY` with Retry-After) only while it waits, never
 * once it was sent: when the queue is full, when the calls ahead of it are expected to take longer
 * than `maxQueueWaitMs` (the running average call duration per slot), or when it has waited that
 * long. A freed slot passes straight to the longest waiter, so a newcomer never overtakes the queue.
 */
export class UpstreamLimiter {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private averageMs = 0;

  constructor(
    readonly service: string,
    private readonly limits: UpstreamLimits,
    private readonly observer: UpstreamLimiterObserver = NO_OBSERVER,
  ) {
    this.observer.changed(service, 0, 0);
  }

  /** Runs `send` once it has a slot; throws the busy refusal without running it when it gets none in time. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = Date.now();
    try {
      return await send();
    } finally {
      const elapsed = Date.now() - started;
      this.averageMs = this.averageMs === 0 ? elapsed : this.averageMs + DURATION_WEIGHT * (elapsed - this.averageMs);
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.limits.maxInFlight && this.waiting.length === 0) {
      this.inFlight++;
      this.report();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueued) return Promise.reject(this.refuse('queue-full'));
    if (this.expectedWaitMs(this.waiting.length) > this.limits.maxQueueWaitMs) return Promise.reject(this.refuse('queue-wait'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          this.report();
          reject(this.refuse('queue-wait'));
        }, this.limits.maxQueueWaitMs),
      };
      this.waiting.push(waiter);
      this.report();
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.inFlight--;
    this.report();
  }

  /** How long the call at `position` in the queue (0 first) is expected to wait: one slot frees every average call / maxInFlight. */
  private expectedWaitMs(position: number): number {
    return ((position + 1) * this.averageMs) / this.limits.maxInFlight;
  }

  private refuse(reason: ShedReason): Error {
    this.observer.shed(this.service, reason);
    // Come back when the queue as it stands has drained.
    const retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(this.expectedWaitMs(this.waiting.length) / 1000)));
    return upstreamBusy(this.service, retryAfterSeconds);
  }

  private report(): void {
    this.observer.changed(this.service, this.inFlight, this.waiting.length);
  }
}
