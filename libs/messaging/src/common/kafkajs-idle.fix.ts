// Two timers in kafkajs 2.2.4 (the last release) wake an idle process for nothing, on every broker
// connection. This file replaces the methods that arm them, and nothing else in kafkajs:
//
// 1. `scheduleCheckPendingRequests` computes `throttledUntil - now`, negative when nothing is
//    throttled, and sets a timeout with it even when no request is pending, so the check runs
//    again after 1 ms, forever (kafkajs issues 1556, 1604, 1704; pull request 1667, unreleased).
//    Every idle service woke about 1,450 times a second for it. Fixed as upstream does: the check
//    is scheduled only while a request is pending.
// 2. `scheduleRequestTimeoutCheck` polls the requests in flight every 100 ms for the whole life of
//    the connection, idle or not: 10 wake-ups a second per connection, 5-8 connections per
//    service. Replaced by one timer per connection armed at the earliest deadline of the requests
//    in flight (a request times out at the same moment as before, or sooner, never later), and
//    none while nothing is in flight.
import { createRequire } from 'node:module';

/** The kafkajs release whose request queue this fix was written against. */
export const KAFKAJS_FIXED_VERSION = '2.2.4';
/** kafkajs' own delay before re-checking pending requests that are not throttled (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const FIXED = Symbol.for('omni.kafkajs.idle-fix');
/** A queue's timeout check: whether it enforces timeouts (connected), and its one timer with the deadline it is set for. */
const TIMEOUTS = Symbol('omni.kafkajs.request-timeouts');

/** A request of kafkajs' queue, as far as the timeout check reads it. */
interface SocketRequestState {
  sentAt: number | null;
  requestTimeout: number;
  expectResponse: boolean;
  timeoutRequest(): void;
}

/** The fields of kafkajs' RequestQueue the replaced methods read and write. */
interface RequestQueueState {
  pending: unknown[];
  inflight: Map<number, SocketRequestState>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  enforceRequestTimeout: boolean;
  isConnected(): boolean;
  checkPendingRequests(): void;
  destroy(): void;
  [TIMEOUTS]?: { enforced: boolean; timer?: NodeJS.Timeout; at: number };
}

/** What applying the fix found: applied now, applied before, or skipped (another kafkajs release). */
export type KafkajsIdleFix = 'applied' | 'already-applied' | 'skipped';

type Method = (this: RequestQueueState, ...args: never[]) => unknown;

/**
 * Applies both fixes to kafkajs' RequestQueue, once per process. A kafkajs other than 2.2.4 is left
 * alone ('skipped'): its spec then fails, so an upgrade is a decision to drop or re-check this fix,
 * never a silent patch of code it was not written for.
 */
export function fixKafkajsIdleWakeups(): KafkajsIdleFix {
  const requireFromHere = createRequire(__filename);
  const { version } = requireFromHere('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_FIXED_VERSION) return 'skipped';
  const prototype = (requireFromHere('kafkajs/src/network/requestQueue') as { prototype: Record<string | symbol, unknown> }).prototype;
  if (prototype[FIXED]) return 'already-applied';
  const original = { sendSocketRequest: prototype.sendSocketRequest as Method, destroy: prototype.destroy as Method };

  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueState): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    // Pending yet not (or barely) throttled: over the in-flight limit, or a marginal throttle
    // (kafkajs pull request 1532); the check comes back shortly, as kafkajs' own code does.
    const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };

  // Called by the connection once connected: from now on, requests in flight are timed out.
  prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueueState): void {
    if (!this.enforceRequestTimeout) return;
    original.destroy.call(this);
    stopTimeoutCheck(this);
    this[TIMEOUTS] = { enforced: true, at: Infinity };
    armTimeoutCheck(this);
  };

  prototype.sendSocketRequest = function sendSocketRequest(this: RequestQueueState, socketRequest: SocketRequestState): void {
    original.sendSocketRequest.call(this, socketRequest as never);
    // Only this request's deadline is new: the timer moves only if it is due before the one set.
    if (socketRequest.expectResponse && socketRequest.sentAt !== null) armTimeoutAt(this, socketRequest.sentAt + socketRequest.requestTimeout);
  };

  prototype.destroy = function destroy(this: RequestQueueState): void {
    original.destroy.call(this);
    stopTimeoutCheck(this);
    this[TIMEOUTS] = undefined;
  };

  prototype[FIXED] = true;
  return 'applied';
}

/** Arms the connection's one timeout timer at the earliest deadline of the requests in flight (none: no timer). */
function armTimeoutCheck(queue: RequestQueueState): void {
  let earliest = Infinity;
  for (const request of queue.inflight.values()) {
    if (request.sentAt !== null) earliest = Math.min(earliest, request.sentAt + request.requestTimeout);
  }
  armTimeoutAt(queue, earliest);
}

/** Sets the timer for `deadline` unless it is already set for that moment or sooner. */
function armTimeoutAt(queue: RequestQueueState, deadline: number): void {
  const state = queue[TIMEOUTS];
  if (!state?.enforced || deadline === Infinity || (state.timer && state.at <= deadline)) return;
  if (state.timer) clearTimeout(state.timer);
  state.at = deadline;
  // kafkajs times a request out once `now - sentAt > requestTimeout`: the millisecond after its deadline.
  state.timer = setTimeout(() => checkTimeouts(queue), Math.max(0, deadline - Date.now()) + 1);
}

/** kafkajs' own check, run when a deadline is due: time out what is late, then wait for the next deadline. */
function checkTimeouts(queue: RequestQueueState): void {
  const state = queue[TIMEOUTS];
  if (!state) return;
  state.timer = undefined;
  state.at = Infinity;
  const now = Date.now();
  for (const request of [...queue.inflight.values()]) {
    if (request.sentAt !== null && now - request.sentAt > request.requestTimeout) request.timeoutRequest();
  }
  if (!queue.isConnected()) {
    queue.destroy();
    return;
  }
  armTimeoutCheck(queue);
}

function stopTimeoutCheck(queue: RequestQueueState): void {
  const state = queue[TIMEOUTS];
  if (state?.timer) clearTimeout(state.timer);
}
