import { ShutdownClock } from './shutdown-clock';

describe('ShutdownClock', () => {
  it('has no budget before it begins', () => {
    const clock = new ShutdownClock(() => 0);
    expect(clock.started).toBe(false);
    expect(clock.remainingMs()).toBeUndefined();
  });

  it('counts one deadline down for every step, keeping a share for later steps', () => {
    let now = 1_000;
    const clock = new ShutdownClock(() => now);
    clock.begin(10_000);
    expect(clock.remainingMs()).toBe(10_000);
    expect(clock.remainingMs(0.15)).toBe(8_500);
    now += 4_000;
    expect(clock.remainingMs()).toBe(6_000);
    expect(clock.remainingMs(0.45)).toBe(1_500);
    now += 9_000;
    expect(clock.remainingMs()).toBe(0);
  });

  it('keeps the first deadline when begun twice', () => {
    let now = 0;
    const clock = new ShutdownClock(() => now);
    clock.begin(5_000);
    now = 2_000;
    clock.begin(5_000);
    expect(clock.remainingMs()).toBe(3_000);
  });
});
