import { createRequire } from 'node:module';
import { fixKafkajsIdleLoop, KAFKAJS_FIXED_VERSION } from './kafkajs-idle-loop.fix';

const requireHere = createRequire(__filename);

/** kafkajs' request queue, as far as these tests drive it. */
interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}
interface Entry {
  correlationId: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
type RequestQueueClass = new (options: object) => RequestQueue;

const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('fixKafkajsIdleLoop', () => {
  let RequestQueue: RequestQueueClass;
  let sent: number[];
  let queue: RequestQueue;

  const entry = (correlationId: number): Entry => ({ correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined });
  const push = (correlationId: number) => queue.push({ entry: entry(correlationId), expectResponse: true, sendRequest: () => sent.push(correlationId) });
  const answer = (correlationId: number) => queue.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });

  beforeAll(() => {
    expect(fixKafkajsIdleLoop()).not.toBe('skipped');
    RequestQueue = requireHere('kafkajs/src/network/requestQueue') as RequestQueueClass;
  });

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 10_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'spec:9092', logger: quietLogger });
  });

  afterEach(() => {
    queue.destroy();
    jest.useRealTimers();
  });

  it('is written for the kafkajs release installed (a new release needs this fix re-checked or dropped)', () => {
    expect((requireHere('kafkajs/package.json') as { version: string }).version).toBe(KAFKAJS_FIXED_VERSION);
    expect(fixKafkajsIdleLoop()).toBe('already-applied');
  });

  it('leaves no timer behind once every request is answered (kafkajs re-armed one every millisecond forever)', () => {
    push(1);
    answer(1);
    expect(sent).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still sends a request held back by the in-flight limit as soon as the one before it is answered', () => {
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

  it('still sends a throttled request when the broker-imposed throttle ends', () => {
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
