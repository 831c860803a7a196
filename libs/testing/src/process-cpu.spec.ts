import { processCpuMs, threadCpuByName, threadCpuMs } from './process-cpu';

describe('threadCpuByName', () => {
  it('sums what each thread used in between by name, numbers folded, largest first', () => {
    const before = new Map([
      [1, { name: 'C2 CompilerThre', cpuMs: 100 }],
      [2, { name: 'C1 CompilerThre', cpuMs: 50 }],
      [3, { name: 'data-plane-kafk', cpuMs: 400 }],
      [4, { name: 'VM Thread', cpuMs: 10 }],
    ]);
    const after = new Map([
      [1, { name: 'C2 CompilerThre', cpuMs: 400 }],
      [2, { name: 'C1 CompilerThre', cpuMs: 70 }],
      [3, { name: 'data-plane-kafk', cpuMs: 600 }],
      [4, { name: 'VM Thread', cpuMs: 10 }],
      // Started in between: counted from zero.
      [5, { name: 'data-plane-kafk', cpuMs: 30 }],
    ]);
    expect(threadCpuByName(before, after)).toEqual([
      { thread: 'C# CompilerThre', cpuMs: 320 },
      { thread: 'data-plane-kafk', cpuMs: 230 },
    ]);
  });
});

describe('threadCpuMs', () => {
  it("reads this process's threads, whose CPU adds up to the process's", () => {
    // Some work of the main thread's own, so the figures are not all zero.
    const until = Date.now() + 50;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);

    const threads = threadCpuMs(process.pid);
    expect(threads.get(process.pid)?.cpuMs).toBeGreaterThan(0);
    const sum = [...threads.values()].reduce((total, thread) => total + thread.cpuMs, 0);
    const whole = processCpuMs(process.pid);
    // Read a moment apart, and the process keeps a share of ended threads: close, never far above.
    expect(sum).toBeLessThanOrEqual(whole + 50);
    expect(sum).toBeGreaterThan(0);
  });

  it('answers an empty map for a process that is gone', () => {
    expect(threadCpuMs(2 ** 22 + 1).size).toBe(0);
  });
});
