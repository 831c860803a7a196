import type { Pool } from 'pg';
import type { AtpCache } from './atp-cache';
import { AtpReconciler } from './atp.reconciler';

// rebuildSoon's scheduling alone: when rebuilds happen and which SKUs they carry. What a rebuild
// reads and writes is tested against Postgres and Redis in the reservation suites.
describe('AtpReconciler.rebuildSoon', () => {
  const delay = 50;
  let reconciler: AtpReconciler;
  let rebuilds: Array<{ at: number; skus: string[] }>;
  let start: number;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    start = Date.now();
    reconciler = new AtpReconciler({} as Pool, {} as AtpCache, [], { soonDelayMs: delay });
    rebuilds = [];
    jest.spyOn(reconciler, 'rebuild').mockImplementation(async (skus) => {
      rebuilds.push({ at: Date.now() - start, skus: [...skus].sort() });
      return skus.length;
    });
  });

  afterEach(() => jest.useRealTimers());

  it('waits the delay, then rebuilds the SKUs of calls close together in one call', () => {
    // Due times are rounded up to a fifth of the delay: calls at 1, 4 and 9 ms are all due at 60.
    jest.advanceTimersByTime(1);
    reconciler.rebuildSoon(['A']);
    jest.advanceTimersByTime(3);
    reconciler.rebuildSoon(['B', 'A']);
    jest.advanceTimersByTime(5);
    reconciler.rebuildSoon(['C']);
    jest.advanceTimersByTime(delay);
    expect(rebuilds).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(rebuilds).toEqual([{ at: 60, skus: ['A', 'B', 'C'] }]);
    jest.advanceTimersByTime(10 * delay);
    expect(rebuilds).toHaveLength(1);
  });

  it('rebuilds a SKU asked for again after its rebuild was scheduled once more, a delay after that call', () => {
    reconciler.rebuildSoon(['A']);
    jest.advanceTimersByTime(30);
    reconciler.rebuildSoon(['A', 'B']);
    jest.advanceTimersByTime(10 * delay);
    expect(rebuilds).toEqual([
      { at: 50, skus: ['A'] },
      { at: 80, skus: ['A', 'B'] },
    ]);
  });

  it('under a steady stream of commands rebuilds a hot SKU about once per delay, and always after the last command', () => {
    const calls: number[] = [];
    for (let t = 0; t < 1000; t += 2) {
      reconciler.rebuildSoon(['HOT']);
      calls.push(Date.now() - start);
      jest.advanceTimersByTime(2);
    }
    jest.advanceTimersByTime(10 * delay);
    // 500 commands, about 1000 / 50 rebuilds (not one per command).
    expect(rebuilds.length).toBeGreaterThanOrEqual(15);
    expect(rebuilds.length).toBeLessThanOrEqual(25);
    // Every command is followed, at least the delay later, by a rebuild of its SKU.
    for (const at of calls) expect(rebuilds.some((r) => r.at >= at + delay)).toBe(true);
    expect(rebuilds[rebuilds.length - 1].at).toBeGreaterThanOrEqual(calls[calls.length - 1] + delay);
  });

  it('keeps scheduling after a rebuild fails (the periodic pass repairs what it missed)', async () => {
    jest.spyOn(reconciler, 'rebuild').mockRejectedValueOnce(new Error('redis down'));
    reconciler.rebuildSoon(['A']);
    await jest.advanceTimersByTimeAsync(delay);
    reconciler.rebuildSoon(['B']);
    await jest.advanceTimersByTimeAsync(delay);
    expect(rebuilds).toEqual([{ at: 2 * delay, skus: ['B'] }]);
  });
});
