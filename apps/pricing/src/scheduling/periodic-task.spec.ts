import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  const start = 2_000_000;
  let runs: number[];
  let task: PeriodicTask<number>;

  beforeEach(() => {
    jest.useFakeTimers({ now: start });
    runs = [];
  });
  afterEach(async () => {
    await task.stop();
    jest.useRealTimers();
  });

  const make = (after?: (result: number, intervalMs: number) => number) =>
    (task = new PeriodicTask<number>('spec', async () => runs.push(Date.now() - start), after));

  it('runs every interval by default', async () => {
    make().start(1000);
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toEqual([1000, 2000, 3000]);
  });

  it('waits what `after` answers, never less than the interval', async () => {
    make((_result, intervalMs) => (runs.length === 1 ? 4 * intervalMs : 10)).start(1000);
    await jest.advanceTimersByTimeAsync(6000);
    expect(runs).toEqual([1000, 5000, 6000]);
  });

  it('wake brings the next run forward to one interval from now', async () => {
    make((_result, intervalMs) => 5 * intervalMs).start(1000);
    await jest.advanceTimersByTimeAsync(1500);
    task.wake();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([1000, 2500]);
  });

  it('an interval of 0 leaves it off', async () => {
    make().start(0);
    task.wake();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual([]);
  });
});
