// kafkajs 2.2.4 (the last release) re-arms a timer on every connection that has answered one request,
// whether or not a request is waiting: `scheduleCheckPendingRequests` computes `throttledUntil -
// now`, negative when nothing is throttled, and sets a timeout with it even when the queue is
// empty, so the check runs again after 1 ms, forever (kafkajs issues 1556, 1604, 1704; pull
// request 1667, unreleased). Measured here: every idle service woke its event loop about 1,400
// times a second for it, most of the suite's idle CPU. This replaces that one method with the
// upstream fix: a check is scheduled only while requests are pending. Everything else in the
// request queue is kafkajs' own.
import { createRequire } from 'node:module';

/** The kafkajs release whose request queue this fix was written against. */
export const KAFKAJS_FIXED_VERSION = '2.2.4';
/** kafkajs' own delay before re-checking pending requests that are not throttled (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The fields of kafkajs' RequestQueue the fixed method reads and writes. */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

/** What applying the fix found: applied now, applied before, or skipped (another kafkajs release). */
export type KafkajsIdleLoopFix = 'applied' | 'already-applied' | 'skipped';

const FIXED = Symbol.for('omni.kafkajs.idle-loop-fix');

/**
 * Schedules kafkajs' pending-request check only while a request is pending (throttled, or over
 * the in-flight limit). A request that is not sent at once is queued by `push`, which schedules
 * the check; an answered request runs the check itself; so nothing waits on a timer that is not
 * there. Idempotent. A kafkajs other than 2.2.4 is left alone ('skipped'): its spec then fails, so
 * an upgrade is a decision to drop or re-check this fix, never a silent patch of new code.
 */
export function fixKafkajsIdleLoop(): KafkajsIdleLoopFix {
  const requireFromHere = createRequire(__filename);
  const { version } = requireFromHere('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_FIXED_VERSION) return 'skipped';
  const RequestQueue = requireFromHere('kafkajs/src/network/requestQueue') as { prototype: Record<string | symbol, unknown> };
  if (RequestQueue.prototype[FIXED]) return 'already-applied';
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueState): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    // Not (or barely) throttled, yet pending: over the in-flight limit, or a marginal throttle
    // (kafkajs pull request 1532); the check comes back shortly, as kafkajs' own code does.
    const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  RequestQueue.prototype[FIXED] = true;
  return 'applied';
}
