// Coalesces a burst of changes into at most one push per key per window, keeps one push in flight
// per key (so pushes of a key reach the platform in order) and never lets an older version replace
// a newer one, whether it arrives late, is redelivered, or its push fails after a newer one queued.

/** Timing of the coalescer, in milliseconds. */
export interface CoalescerOptions {
  /** How long a key's first change waits for later ones before its push is due. */
  windowMs: number;
  /** Backoff after the first failure of a key's push. */
  retryBaseMs: number;
  /** The longest backoff. */
  retryMaxMs: number;
}

/** A value to push for one key, with the version that orders it. */
export interface Offer<T> {
  /** The key pushes are coalesced on (SKU × store on a platform). */
  key: string;
  /** Monotonic per key; a lower or equal version than one seen is stale. */
  version: number;
  /** What to push. */
  value: T;
  /** When the change happened at its source (ms), for lag. */
  observedAt: number;
}

/** A push handed out to send; report its outcome with `succeeded` or `failed`. */
export interface DuePush<T> extends Offer<T> {
  /** How many times this key's push has failed in a row before this attempt. */
  attempt: number;
}

/** What `offer` did with a change. */
export type OfferOutcome = 'queued' | 'coalesced' | 'stale';

interface Slot<T> {
  pending?: Offer<T> & { dueAt: number; attempt: number };
  inFlight?: Offer<T> & { attempt: number };
  /** Highest version handed to `offer` and not refused as stale. */
  seen: number;
  /** Highest version the platform acknowledged. */
  acknowledged: number;
}

/** Per-key latest-value queue with windows, in-order sends and backoff. Pure: time is passed in. */
export class PushCoalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  /** Creates an empty coalescer. */
  constructor(private readonly options: CoalescerOptions) {}

  /** Offers a change at `now`; a version not newer than one already seen for the key is stale. */
  offer(change: Offer<T>, now: number): OfferOutcome {
    const slot = this.slotOf(change.key);
    if (change.version <= slot.seen) return 'stale';
    slot.seen = change.version;
    if (slot.pending) {
      // Keep the window and the backoff of the pending push; only its value and version move on.
      slot.pending = { ...change, dueAt: slot.pending.dueAt, attempt: slot.pending.attempt, observedAt: slot.pending.observedAt };
      return 'coalesced';
    }
    slot.pending = { ...change, dueAt: now + this.options.windowMs, attempt: 0 };
    return 'queued';
  }

  /** Hands out up to `limit` due pushes, oldest due first, and marks them in flight. */
  takeDue(now: number, limit: number): DuePush<T>[] {
    const due: { key: string; slot: Slot<T> }[] = [];
    for (const [key, slot] of this.slots) {
      if (slot.pending && !slot.inFlight && slot.pending.dueAt <= now) due.push({ key, slot });
    }
    due.sort((a, b) => a.slot.pending!.dueAt - b.slot.pending!.dueAt);
    return due.slice(0, Math.max(0, limit)).map(({ slot }) => {
      const { dueAt: _dueAt, ...push } = slot.pending!;
      slot.inFlight = push;
      slot.pending = undefined;
      return { ...push };
    });
  }

  /** The platform acknowledged a push; returns the source-to-acknowledgement lag in ms. */
  succeeded(push: DuePush<T>, now: number): number {
    const slot = this.slotOf(push.key);
    if (slot.inFlight?.version === push.version) slot.inFlight = undefined;
    slot.acknowledged = Math.max(slot.acknowledged, push.version);
    // A newer change that queued behind this push starts its retries afresh.
    if (slot.pending) slot.pending.attempt = 0;
    return Math.max(0, now - push.observedAt);
  }

  /**
   * A push failed: it goes back in the queue unless a newer change is already waiting (that one
   * carries the newer value), due after the backoff or the platform's Retry-After, whichever is later.
   */
  failed(push: DuePush<T>, now: number, retryAfterMs = 0): void {
    const slot = this.slotOf(push.key);
    if (slot.inFlight?.version === push.version) slot.inFlight = undefined;
    const attempt = push.attempt + 1;
    const dueAt = now + Math.max(retryAfterMs, this.backoffMs(attempt));
    if (slot.pending) {
      slot.pending.attempt = Math.max(slot.pending.attempt, attempt);
      slot.pending.dueAt = Math.max(slot.pending.dueAt, dueAt);
      slot.pending.observedAt = Math.min(slot.pending.observedAt, push.observedAt);
    } else if (push.version > slot.acknowledged) {
      slot.pending = { key: push.key, version: push.version, value: push.value, observedAt: push.observedAt, dueAt, attempt };
    }
  }

  /**
   * A push that cannot be sent at all (no mapping): forgotten without counting as acknowledged, so
   * the same version offered again later (a resync after the mapping appears) is pushed.
   */
  dropped(push: DuePush<T>): void {
    const slot = this.slotOf(push.key);
    if (slot.inFlight?.version === push.version) slot.inFlight = undefined;
    slot.seen = Math.max(slot.acknowledged, slot.pending?.version ?? 0);
  }

  /** The backoff before retry number `attempt` (1-based): doubling from the base, capped. */
  backoffMs(attempt: number): number {
    return Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  }

  /** When the earliest pending push that is not blocked by one in flight becomes due. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const slot of this.slots.values()) {
      if (slot.pending && !slot.inFlight && (next === undefined || slot.pending.dueAt < next)) next = slot.pending.dueAt;
    }
    return next;
  }

  /** Keys with a push waiting or in flight. */
  get pendingCount(): number {
    let count = 0;
    for (const slot of this.slots.values()) if (slot.pending || slot.inFlight) count += 1;
    return count;
  }

  /** Restores what a platform already acknowledged (after a restart), so older changes stay stale. */
  remember(key: string, acknowledgedVersion: number): void {
    const slot = this.slotOf(key);
    slot.acknowledged = Math.max(slot.acknowledged, acknowledgedVersion);
    slot.seen = Math.max(slot.seen, acknowledgedVersion);
  }

  /** Highest version the platform acknowledged for a key (0 when none). */
  acknowledgedVersion(key: string): number {
    return this.slots.get(key)?.acknowledged ?? 0;
  }

  // Idle slots keep their versions: forgetting them would let a redelivered older event through.
  private slotOf(key: string): Slot<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { seen: 0, acknowledged: 0 };
      this.slots.set(key, slot);
    }
    return slot;
  }
}
