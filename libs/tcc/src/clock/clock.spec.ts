import { ManualClock, SystemClock } from './clock';

describe('ManualClock', () => {
  it('stands still until moved, then moves by exactly what it is told', () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:01.500Z');
    clock.set('2027-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('hands out copies, so callers cannot move it by mutating a Date', () => {
    const clock = new ManualClock();
    const before = clock.now();
    before.setFullYear(1999);
    expect(clock.now().getFullYear()).toBe(2026);
  });
});

describe('SystemClock', () => {
  it('returns a valid current date', () => {
    expect(Number.isNaN(new SystemClock().now().getTime())).toBe(false);
  });
});
