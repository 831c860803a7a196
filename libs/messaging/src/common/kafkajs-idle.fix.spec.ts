import { createRequire } from 'node:module';
import { fixKafkajsIdleWakeups, KAFKAJS_FIXED_VERSION } from './kafkajs-idle.fix';

const requireHere = createRequire(__filename);

/** kafkajs' request queue, as far as these tests drive it. */
interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void; requestTimeout?: number }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
}
interface Entry {
  correlationId: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}
type RequestQueueClass = new (options: object) => RequestQueue;

const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const REQUEST_TIMEOUT_MS = 10_000;

describe('fixKafkajsIdleWakeups', () => {
  let RequestQueue: RequestQueueClass;
  let sent: number[];
  let timedOut: Array<{ id: number; at: number }>;
  let connected: boolean;
  let queue: RequestQueue;

  const entry = (correlationId: number): Entry => ({
    correlationId,
    apiName: 'Fetch',
    apiKey: 1,
    apiVersion: 11,
    resolve: () => undefined,
    reject: () => timedOut.push({ id: correlationId, at: Date.now() }),
  });
  const push = (correlationId: number, requestTimeout?: number) =>
    queue.push({ entry: entry(correlationId), expectResponse: true, sendRequest: () => sent.push(correlationId), requestTimeout });
  const answer = (correlationId: number) => queue.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });
  const make = (options: { maxInFlightRequests?: number; enforceRequestTimeout: boolean }) =>
    new RequestQueue({ requestTimeout: REQUEST_TIMEOUT_MS, clientId: 'spec', broker: 'spec:9092', logger: quietLogger, isConnected: () => connected, ...options });

  beforeAll(() => {
    expect(fixKafkajsIdleWakeups()).not.toBe('skipped');
    RequestQueue = requireHere('kafkajs/src/network/requestQueue') as RequestQueueClass;
  });

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    sent = [];
    timedOut = [];
    connected = true;
  });

  afterEach(() => {
    queue.destroy();
    jest.useRealTimers();
  });

  describe('pending requests', () => {
    beforeEach(() => (queue = make({ maxInFlightRequests: 1, enforceRequestTimeout: false })));

    it('is written for the kafkajs release installed (a new release needs this fix re-checked or dropped)', () => {
      expect((requireHere('kafkajs/package.json') as { version: string }).version).toBe(KAFKAJS_FIXED_VERSION);
      expect(fixKafkajsIdleWakeups()).toBe('already-applied');
    });

    it('leave no timer behind once every request is answered (kafkajs re-armed one every millisecond forever)', () => {
      push(1);
      answer(1);
      expect(sent).toEqual([1]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('held back by the in-flight limit are sent as soon as the one before is answered', () => {
      push(1);
      push(2);
      expect(sent).toEqual([1]);
      answer(1);
      expect(sent).toEqual([1, 2]);
      answer(2);
      // The check scheduled when request 2 was queued fires once more, finds nothing and stops.
      jest.advanceTimersByTime(10);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('held back by a broker-imposed throttle are sent when it ends', () => {
      queue.maybeThrottle(50);
      push(1);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(49);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(sent).toEqual([1]);
      answer(1);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('request timeouts', () => {
    beforeEach(() => {
      queue = make({ enforceRequestTimeout: true });
      queue.scheduleRequestTimeoutCheck();
    });

    it('arm no timer while nothing is in flight (kafkajs polled every 100 ms for the life of the connection)', () => {
      expect(jest.getTimerCount()).toBe(0);
      push(1);
      answer(1);
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS + 1);
      expect(jest.getTimerCount()).toBe(0);
      expect(timedOut).toEqual([]);
    });

    it('time a request out the millisecond after its deadline, as kafkajs did', () => {
      const sentAt = Date.now();
      push(1);
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS);
      expect(timedOut).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(timedOut).toEqual([{ id: 1, at: sentAt + REQUEST_TIMEOUT_MS + 1 }]);
      expect(queue.inflight.size).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('time out each of several requests at its own deadline, a longer custom timeout included', () => {
      const start = Date.now();
      push(1, 30_000);
      jest.advanceTimersByTime(1_000);
      push(2);
      jest.advanceTimersByTime(4_000);
      push(3);
      answer(2);
      jest.advanceTimersByTime(40_000);
      expect(timedOut).toEqual([
        { id: 3, at: start + 5_000 + REQUEST_TIMEOUT_MS + 1 },
        { id: 1, at: start + 30_000 + 1 },
      ]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('stop with the connection: a destroyed queue times nothing out', () => {
      push(1);
      queue.destroy();
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS * 2);
      expect(timedOut).toEqual([]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('resume on reconnection', () => {
      push(1);
      queue.destroy();
      queue.scheduleRequestTimeoutCheck();
      push(2);
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS + 1);
      expect(timedOut.map((t) => t.id).sort()).toEqual([1, 2]);
    });
  });
});
