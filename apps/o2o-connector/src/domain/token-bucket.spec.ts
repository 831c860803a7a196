import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it.each([
    // [rate/s, burst, take times (ms), granted]
    [10, 2, [0, 0, 0], [true, true, false]],
    [10, 2, [0, 0, 100], [true, true, true]],
    [10, 1, [0, 50, 100, 150, 200], [true, false, true, false, true]],
    [1, 5, [0, 0, 0, 0, 0, 0, 10_000], [true, true, true, true, true, false, true]],
  ])('rate %d/s burst %d: takes at %j → %j', (rate, burst, times, granted) => {
    const bucket = new TokenBucket(rate, burst, 0);
    expect(times.map((t) => bucket.tryTake(t))).toEqual(granted);
  });

  it('never grants more than burst + rate × elapsed in any run', () => {
    const bucket = new TokenBucket(20, 5, 0);
    let granted = 0;
    for (let t = 0; t <= 10_000; t += 3) if (bucket.tryTake(t)) granted += 1;
    expect(granted).toBeLessThanOrEqual(5 + 20 * 10);
    expect(granted).toBeGreaterThanOrEqual(200);
  });

  it('a pause (429 Retry-After) grants nothing until it ends and earns nothing meanwhile', () => {
    const bucket = new TokenBucket(10, 3, 0);
    bucket.pauseUntil(1_000);
    expect(bucket.tryTake(999)).toBe(false);
    expect(bucket.waitMs(500)).toBe(500);
    expect(bucket.tryTake(1_000)).toBe(false);
    expect(bucket.tryTake(1_100)).toBe(true);
    expect(bucket.tryTake(1_100)).toBe(false);
  });

  it.each([
    [0, 1],
    [1, 0],
  ])('refuses rate %d, burst %d', (rate, burst) => {
    expect(() => new TokenBucket(rate, burst, 0)).toThrow(RangeError);
  });
});
