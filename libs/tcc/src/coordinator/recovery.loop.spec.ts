import { TccRecoveryLoop } from './recovery.loop';
import type { TccCoordinator } from './tcc-coordinator';

/** A coordinator whose store answers from memory: unfinished transactions by the time of their next visit. */
function fakeCoordinator() {
  const due = new Map<string, number>();
  const scans: number[] = [];
  const listeners = new Set<(at: Date) => void>();
  const coordinator = {
    get now() {
      return new Date(Date.now());
    },
    sql: {
      resumeAll: async () => 0,
      leaseDue: async (_tx: unknown, _owner: string, now: Date) => {
        scans.push(now.getTime());
        return [...due].filter(([, at]) => at <= now.getTime()).map(([gid]) => gid);
      },
      nextVisitAt: async (_tx: unknown, except: readonly string[] = []) => {
        const left = [...due].filter(([gid]) => !except.includes(gid)).map(([, at]) => at);
        return left.length === 0 ? null : new Date(Math.min(...left));
      },
    },
    recover: async (_tx: unknown, gid: string) => due.delete(gid),
    onVisitScheduled: (listener: (at: Date) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    coordinator: coordinator as unknown as TccCoordinator,
    scans,
    /** A transaction committed elsewhere (another replica): the loop is not told. */
    addQuietly: (gid: string, at: number) => due.set(gid, at),
    /** A visit this process's coordinator schedules: the loop is told. */
    schedule: (gid: string, at: number) => {
      due.set(gid, at);
      for (const listener of listeners) listener(new Date(at));
    },
    due,
  };
}

describe('TccRecoveryLoop scheduling', () => {
  const start = 1_000_000;
  let loop: TccRecoveryLoop;
  let fake: ReturnType<typeof fakeCoordinator>;

  beforeEach(() => {
    jest.useFakeTimers({ now: start });
    fake = fakeCoordinator();
    loop = new TccRecoveryLoop({ coordinator: fake.coordinator, runInTransaction: (work) => work({} as never), owner: 'spec', intervalMs: 500, maxIdleMs: 5000 });
  });

  afterEach(async () => {
    await loop.stop();
    jest.useRealTimers();
  });

  it('scans at once on start (a restart resumes every unfinished transaction without waiting)', async () => {
    fake.addQuietly('left-by-a-crash', start - 60_000);
    await loop.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.scans).toEqual([start]);
    expect(fake.due.size).toBe(0);
  });

  it('idle: scans every maxIdleMs, not every intervalMs', async () => {
    await loop.start();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(fake.scans.map((at) => at - start)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
  });

  it('sleeps until the next scheduled visit it read, when that is sooner', async () => {
    fake.addQuietly('prepared', start + 2000);
    await loop.start();
    await jest.advanceTimersByTimeAsync(2000);
    expect(fake.scans.map((at) => at - start)).toEqual([0, 2000]);
    expect(fake.due.size).toBe(0);
  });

  it('is woken by a visit its coordinator schedules, at that visit (not before intervalMs)', async () => {
    await loop.start();
    await jest.advanceTimersByTimeAsync(1000);
    fake.schedule('confirming', start + 2500);
    fake.schedule('soon', start + 1100);
    await jest.advanceTimersByTimeAsync(2000);
    // 'soon' is due at 1100, seen at 1500 (intervalMs after it was scheduled); 'confirming' at 2500.
    expect(fake.scans.map((at) => at - start)).toEqual([0, 1500, 2500]);
    expect(fake.due.size).toBe(0);
  });

  it('sees a visit it was not told of within maxIdleMs', async () => {
    await loop.start();
    await jest.advanceTimersByTimeAsync(100);
    fake.addQuietly('another-replica', start + 200);
    await jest.advanceTimersByTimeAsync(5000);
    expect(fake.scans.map((at) => at - start)).toEqual([0, 5000]);
    expect(fake.due.size).toBe(0);
  });

  it('scans every intervalMs while a due transaction stays leased elsewhere', async () => {
    fake.coordinator.sql.leaseDue = async (_tx, _owner, now) => {
      fake.scans.push(now.getTime());
      return [];
    };
    fake.addQuietly('leased-by-another-replica', start - 1);
    await loop.start();
    await jest.advanceTimersByTimeAsync(1500);
    expect(fake.scans.map((at) => at - start)).toEqual([0, 500, 1000, 1500]);
  });
});
