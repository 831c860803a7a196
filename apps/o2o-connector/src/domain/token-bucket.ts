// A platform's rate limit as a token bucket we keep on our side, so we stay under it rather than
// learning it from 429s; a 429 still pauses the bucket for the platform's Retry-After.

/** A token bucket: `ratePerSecond` refill, at most `burst` tokens, pausable. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;

  /** Starts full at `now` (milliseconds). */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1');
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token if one is there now; false means wait `waitMs(now)`. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (now < this.pausedUntil || this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token may be taken (0 when one is there). */
  waitMs(now: number): number {
    this.refill(now);
    const pause = Math.max(0, this.pausedUntil - now);
    const refill = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
    return Math.max(pause, refill);
  }

  /** The platform said slow down: no tokens until `until`, and the bucket restarts empty. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
    this.tokens = 0;
  }

  private refill(now: number): void {
    // Tokens earned while paused are not owed: the platform counted those calls as over its limit.
    const from = Math.max(this.updatedAt, Math.min(now, this.pausedUntil));
    if (now > from) this.tokens = Math.min(this.burst, this.tokens + ((now - from) * this.ratePerSecond) / 1000);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}
