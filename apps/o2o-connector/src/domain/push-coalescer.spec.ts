import { PushCoalescer, type DuePush } from './push-coalescer';

const options = { windowMs: 100, retryBaseMs: 50, retryMaxMs: 400 };
const offer = (key: string, version: number, value = version, observedAt = 0) => ({ key, version, value, observedAt });

describe('PushCoalescer', () => {
  it.each([
    // [versions offered in order, outcomes, version pushed]
    [[1, 2, 3], ['queued', 'coalesced', 'coalesced'], 3],
    [[3, 1, 2], ['queued', 'stale', 'stale'], 3],
    [[2, 2], ['queued', 'stale'], 2],
    [[1, 5, 4, 6], ['queued', 'coalesced', 'stale', 'coalesced'], 6],
  ])('offers %j → %j, pushes the latest version %d once per window', (versions, outcomes, pushed) => {
    const coalescer = new PushCoalescer<number>(options);
    expect(versions.map((version, i) => coalescer.offer(offer('A', version), i))).toEqual(outcomes);
    expect(coalescer.takeDue(99, 10)).toEqual([]);
    expect(coalescer.takeDue(100, 10).map((push) => push.version)).toEqual([pushed]);
    expect(coalescer.takeDue(1_000, 10)).toEqual([]);
  });

  it('keeps one push in flight per key: a change during the flight waits for its outcome', () => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.offer(offer('A', 1), 0);
    const [first] = coalescer.takeDue(100, 10);
    expect(coalescer.offer(offer('A', 2), 110)).toBe('queued');
    expect(coalescer.takeDue(500, 10)).toEqual([]);
    expect(coalescer.nextDueAt()).toBeUndefined();
    coalescer.succeeded(first, 120);
    expect(coalescer.takeDue(500, 10).map((push) => push.version)).toEqual([2]);
  });

  it.each([
    // [a newer change waiting?, version pushed after the failure, when: the backoff, or the newer change's window if later]
    [false, 1, 160],
    [true, 2, 205],
  ])('a failed push retries after backoff; newer waiting=%s → pushes %d at %d, never the older over the newer', (newer, next, at) => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.offer(offer('A', 1), 0);
    const [push] = coalescer.takeDue(100, 10);
    if (newer) coalescer.offer(offer('A', 2), 105);
    coalescer.failed(push, 110);
    expect(coalescer.takeDue(at - 1, 10)).toEqual([]);
    const [retry] = coalescer.takeDue(at, 10);
    expect(retry.version).toBe(next);
    expect(retry.attempt).toBe(1);
  });

  it.each([
    // [attempt, backoff]
    [1, 50],
    [2, 100],
    [3, 200],
    [4, 400],
    [9, 400],
  ])('backoff for attempt %d is %d ms', (attempt, ms) => {
    expect(new PushCoalescer(options).backoffMs(attempt)).toBe(ms);
  });

  it("waits for the platform's Retry-After when it is longer than the backoff", () => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.offer(offer('A', 1), 0);
    coalescer.failed(coalescer.takeDue(100, 1)[0], 100, 1_000);
    expect(coalescer.nextDueAt()).toBe(1_100);
  });

  it('hands out at most `limit` pushes, the longest waiting first', () => {
    const coalescer = new PushCoalescer<number>(options);
    ['C', 'A', 'B'].forEach((key, i) => coalescer.offer(offer(key, 1), i * 10));
    expect(coalescer.takeDue(500, 2).map((push) => push.key)).toEqual(['C', 'A']);
    expect(coalescer.pendingCount).toBe(3);
    expect(coalescer.takeDue(500, 2).map((push) => push.key)).toEqual(['B']);
  });

  it('a remembered acknowledgement makes older and equal versions stale after a restart', () => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.remember('A', 7);
    expect([6, 7, 8].map((version) => coalescer.offer(offer('A', version), 0))).toEqual(['stale', 'stale', 'queued']);
  });

  it('a dropped push (unmapped) is forgotten: the same version offered again is pushed', () => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.offer(offer('A', 3), 0);
    coalescer.dropped(coalescer.takeDue(100, 1)[0]);
    expect(coalescer.pendingCount).toBe(0);
    expect(coalescer.offer(offer('A', 3), 200)).toBe('queued');
    expect(coalescer.acknowledgedVersion('A')).toBe(0);
  });

  it('reports the lag from the first change of the window to the acknowledgement', () => {
    const coalescer = new PushCoalescer<number>(options);
    coalescer.offer(offer('A', 1, 1, 10), 10);
    coalescer.offer(offer('A', 2, 2, 60), 60);
    const [push] = coalescer.takeDue(110, 1) as DuePush<number>[];
    expect(coalescer.succeeded(push, 150)).toBe(140);
    expect(coalescer.acknowledgedVersion('A')).toBe(2);
    expect(coalescer.pendingCount).toBe(0);
  });

  it('a random run of offers, successes and failures ends with every key acknowledged at its latest version, in order', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const coalescer = new PushCoalescer<number>(options);
    const latest = new Map<string, number>();
    const applied = new Map<string, number[]>();
    let now = 0;
    let version = 0;
    for (let step = 0; step < 5_000 || coalescer.pendingCount > 0; step += 1) {
      now += 7;
      if (step < 5_000) {
        const key = `K${Math.floor(random() * 20)}`;
        version += 1;
        coalescer.offer(offer(key, version), now);
        latest.set(key, version);
      }
      for (const push of coalescer.takeDue(now, 3)) {
        if (random() < 0.3) coalescer.failed(push, now, random() < 0.2 ? 300 : 0);
        else {
          applied.set(push.key, [...(applied.get(push.key) ?? []), push.version]);
          coalescer.succeeded(push, now);
        }
      }
      expect(step).toBeLessThan(50_000);
    }
    for (const [key, last] of latest) {
      const versions = applied.get(key)!;
      expect(versions.at(-1)).toBe(last);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    }
  });
});
