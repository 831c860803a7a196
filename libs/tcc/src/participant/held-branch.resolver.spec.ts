import { HeldBranch, HeldBranchResolver, HeldBranchStore } from './held-branch.resolver';

/** A participant table in memory: held branches by when they fall due. */
function memoryStore(options: { tellsNextDue: boolean }) {
  const due = new Map<string, number>();
  const looks: number[] = [];
  const store: HeldBranchStore = {
    claimDue: async (now) => {
      looks.push(now.getTime());
      const claimed = [...due].filter(([, at]) => at <= now.getTime()).map(([gid]) => ({ gid, branchId: 'b' }));
      for (const { gid } of claimed) due.delete(gid);
      return claimed;
    },
    recheckAt: async () => undefined,
    cancel: async () => undefined,
    ...(options.tellsNextDue ? { nextDueAt: async () => (due.size === 0 ? null : new Date(Math.min(...due.values()))) } : {}),
  };
  return { store, due, looks };
}

describe('HeldBranchResolver.start', () => {
  const start = 5_000_000;
  let resolver: HeldBranchResolver;
  const answered: HeldBranch[][] = [];

  beforeEach(() => jest.useFakeTimers({ now: start }));
  afterEach(async () => {
    await resolver.stop();
    jest.useRealTimers();
  });

  const make = (store: HeldBranchStore) =>
    (resolver = new HeldBranchResolver({
      store,
      coordinator: {
        statusOf: async (gids) => {
          answered.push(gids.map((gid) => ({ gid, branchId: 'b' })));
          return gids.map((gid) => ({ gid, status: 'cancelled' as const }));
        },
      },
    }));

  it('looks every 5 × interval while nothing is held, not every interval', async () => {
    const { store, looks } = memoryStore({ tellsNextDue: true });
    make(store).start(1000);
    await jest.advanceTimersByTimeAsync(16_000);
    expect(looks.map((at) => at - start)).toEqual([1000, 6000, 11_000, 16_000]);
  });

  it('looks when the next held branch falls due, if that is sooner', async () => {
    const { store, looks, due } = memoryStore({ tellsNextDue: true });
    due.set('g1', start + 3500);
    make(store).start(1000);
    await jest.advanceTimersByTimeAsync(4000);
    expect(looks.map((at) => at - start)).toEqual([1000, 3500]);
    expect(due.size).toBe(0);
  });

  it('sees a branch held since its last look within 5 × interval', async () => {
    const { store, looks, due } = memoryStore({ tellsNextDue: true });
    make(store).start(500);
    await jest.advanceTimersByTimeAsync(600);
    due.set('held-after-the-look', start + 700);
    await jest.advanceTimersByTimeAsync(2500);
    expect(looks.map((at) => at - start)).toEqual([500, 3000]);
    expect(due.size).toBe(0);
  });

  it('looks every interval with a store that cannot tell when the next branch falls due', async () => {
    const { store, looks } = memoryStore({ tellsNextDue: false });
    make(store).start(1000);
    await jest.advanceTimersByTimeAsync(3000);
    expect(looks.map((at) => at - start)).toEqual([1000, 2000, 3000]);
  });
});
