/** A placement in flight: what it was asked (its fingerprint) and the answer everyone asking the same awaits. */
interface Pending<T> {
  fingerprint: string;
  answer: Promise<T>;
}

/**
 * The order placements in flight in this replica, by channel-scoped Idempotency-Key. A retry of
 * a placement still in flight (same key, same request) awaits the same answer instead of sending
 * the order service another request; a different request under the key goes its own way, and the
 * order service answers it 409 IDEMPOTENCY_KEY_REUSED. Once answered, the key is forgotten here:
 * later retries reach the order service, which answers from the stored order.
 */
export class PendingPlacements<T> {
  private readonly inFlight = new Map<string, Pending<T>>();

  /** The in-flight answer for `key` when `fingerprint` matches it, else `place()`'s. */
  join(key: string, fingerprint: string, place: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) return pending.fingerprint === fingerprint ? pending.answer : place();
    const answer = place();
    const entry = { fingerprint, answer };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    answer.then(forget, forget);
    return answer;
  }

  /** Placements in flight (for tests and diagnostics). */
  get size(): number {
    return this.inFlight.size;
  }
}
