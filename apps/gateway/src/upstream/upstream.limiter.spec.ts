import { toErrorResponse } from '@omni/platform';
import { UpstreamLimiter, type ShedReason, type UpstreamLimiterObserver } from './upstream.limiter';

/** A call the test finishes by hand. */
function deferred<T = string>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UpstreamLimiter', () => {
  let sheds: ShedReason[];
  let occupancy: Array<[number, number]>;
  const observer: UpstreamLimiterObserver = { changed: (_s, inFlight, queued) => occupancy.push([inFlight, queued]), shed: (_s, reason) => sheds.push(reason) };

  beforeEach(() => {
    sheds = [];
    occupancy = [];
  });

  it('sends at most maxInFlight calls at once and the queued ones in arrival order as slots free', async () => {
    const limiter = new UpstreamLimiter('order', { maxInFlight: 2, maxQueued: 5, maxQueueWaitMs: 5_000 }, observer);
    const started: number[] = [];
    const calls = [0, 1, 2, 3].map(() => deferred());
    const results = calls.map((call, i) => limiter.run(() => (started.push(i), call.promise)));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(occupancy.at(-1)).toEqual([2, 2]);
    calls[1].resolve('b');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    calls[0].resolve('a');
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    calls[2].resolve('c');
    calls[3].resolve('d');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(occupancy.at(-1)).toEqual([0, 0]);
    expect(sheds).toEqual([]);
  });

  it('refuses at once, without sending, when the queue is full: 429 ORDER_BUSY with Retry-After', async () => {
    const limiter = new UpstreamLimiter('order', { maxInFlight: 1, maxQueued: 1, maxQueueWaitMs: 5_000 }, observer);
    const first = deferred();
    const sent: string[] = [];
    const running = limiter.run(() => (sent.push('first'), first.promise));
    const queued = limiter.run(async () => (sent.push('queued'), 'q'));
    const refused = await limiter.run(async () => (sent.push('refused'), 'r')).catch((error: unknown) => error);
    expect(toErrorResponse(refused)).toMatchObject({
      status: 429,
      body: { code: 'ORDER_BUSY', message: expect.stringContaining('same Idempotency-Key') },
      headers: { 'retry-after': expect.stringMatching(/^[1-9]\d*$/) },
    });
    expect(sheds).toEqual(['queue-full']);
    first.resolve('f');
    await expect(Promise.all([running, queued])).resolves.toEqual(['f', 'q']);
    expect(sent).toEqual(['first', 'queued']);
  });

  it('refuses a call that waited maxQueueWaitMs for a slot, but never the call already sent, however long it takes', async () => {
    const limiter = new UpstreamLimiter('pricing', { maxInFlight: 1, maxQueued: 10, maxQueueWaitMs: 60 }, observer);
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('slow done'), 250));
    const running = limiter.run(() => slow);
    const waited = limiter.run(async () => 'never sent');
    await expect(waited).rejects.toMatchObject({ code: 'PRICING_BUSY', httpStatus: 429 });
    expect(sheds).toEqual(['queue-wait']);
    await expect(running).resolves.toBe('slow done');
    expect(occupancy.at(-1)).toEqual([0, 0]);
  });

  it('refuses at once a call expected to wait past the bound (the calls ahead of it, at the average call duration), and asks to come back when the queue has drained', async () => {
    const limiter = new UpstreamLimiter('order', { maxInFlight: 1, maxQueued: 100, maxQueueWaitMs: 250 }, observer);
    // One call of ~100 ms teaches the limiter how long a call takes.
    await limiter.run(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const busy = deferred();
    const running = limiter.run(() => busy.promise);
    // Ahead of the 1st and 2nd waiter: ~100 and ~200 ms, within 250; the 3rd would wait ~300 ms.
    const queued = [limiter.run(async () => 1), limiter.run(async () => 2)];
    const started = Date.now();
    const refused = await limiter.run(async () => 3).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(50);
    expect(toErrorResponse(refused)).toMatchObject({ status: 429, body: { code: 'ORDER_BUSY' }, headers: { 'retry-after': '1' } });
    expect(sheds).toEqual(['queue-wait']);
    busy.resolve('x');
    await expect(Promise.all([running, ...queued])).resolves.toEqual(['x', 1, 2]);
  });

  it('frees the slot when the call fails, and passes the failure on', async () => {
    const limiter = new UpstreamLimiter('member', { maxInFlight: 1, maxQueued: 0, maxQueueWaitMs: 1_000 }, observer);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
    expect(sheds).toEqual([]);
  });
});
