import fc from 'fast-check';
import { applyTakes, availableOf, balanceOf, canFreeze, planExpiry, planReversal, planSpend, pointsEarned, PointsAccountState, PointsBatch } from './points-ledger';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
const batch = (id: string, remaining: number, expiresDay: number): PointsBatch => ({ id, remaining, expiresAt: day(expiresDay) });
const state = (frozen: number, ...batches: PointsBatch[]): PointsAccountState => ({ batches, frozen });

describe('points earned', () => {
  it.each([
    [0, 10_000, 0],
    [99, 10_000, 0],
    [12_345, 10_000, 123],
    [12_345, 15_000, 184],
    [10_000, 20_000, 200],
    [10_000, 0, 0],
  ])('paying %i minor units at ×%i bps earns %i points', (paid, bps, points) => {
    expect(pointsEarned(paid, bps)).toBe(points);
  });

  it('refuses fractions and negatives', () => {
    expect(() => pointsEarned(-1, 10_000)).toThrow(RangeError);
    expect(() => pointsEarned(1.5, 10_000)).toThrow(RangeError);
  });
});

describe('spending and freezing', () => {
  it.each([
    ['takes the batch expiring first', state(0, batch('late', 50, 30), batch('soon', 20, 5)), 30, false, [{ batchId: 'soon', points: 20 }, { batchId: 'late', points: 10 }]],
    ['spends exactly the balance', state(0, batch('a', 5, 1), batch('b', 5, 2)), 10, false, [{ batchId: 'a', points: 5 }, { batchId: 'b', points: 5 }]],
    ['spends frozen points it froze', state(10, batch('a', 10, 1)), 10, true, [{ batchId: 'a', points: 10 }]],
  ])('%s', (_name, account, points, fromFrozen, takes) => {
    expect(planSpend(account, points, fromFrozen)).toEqual({ ok: true, value: takes });
  });

  it.each([
    ['more than the balance', state(0, batch('a', 10, 1)), 11, false, 'POINTS_INSUFFICIENT'],
    ['points another branch froze', state(8, batch('a', 10, 1)), 3, false, 'POINTS_INSUFFICIENT'],
    ['zero', state(0, batch('a', 10, 1)), 0, false, 'POINTS_INVALID'],
    ['a fraction', state(0, batch('a', 10, 1)), 1.5, false, 'POINTS_INVALID'],
  ])('refuses %s', (_name, account, points, fromFrozen, code) => {
    expect(planSpend(account, points, fromFrozen)).toMatchObject({ ok: false, code });
  });

  it('freezes only what is available', () => {
    expect(canFreeze(state(4, batch('a', 10, 1)), 6)).toEqual({ ok: true, value: 6 });
    expect(canFreeze(state(4, batch('a', 10, 1)), 7)).toMatchObject({ ok: false, code: 'POINTS_INSUFFICIENT' });
  });
});

describe('expiry', () => {
  it.each([
    ['expires every batch past its date', state(0, batch('a', 10, 1), batch('b', 5, 2), batch('c', 7, 9)), 3, [{ batchId: 'a', points: 10 }, { batchId: 'b', points: 5 }]],
    ['nothing before the date', state(0, batch('a', 10, 5)), 4, []],
    ['keeps what frozen points need when the lasting batches cannot cover them', state(12, batch('a', 10, 1), batch('c', 5, 9)), 3, [{ batchId: 'a', points: 3 }]],
    ['expires all when the lasting batches cover the frozen points', state(5, batch('a', 10, 1), batch('c', 5, 9)), 3, [{ batchId: 'a', points: 10 }]],
  ])('%s', (_name, account, today, takes) => {
    expect(planExpiry(account, day(today))).toEqual(takes);
  });
});

describe('reversal of earned points', () => {
  it('takes from the order batch first, then FIFO, and reports what was already spent', () => {
    expect(planReversal(state(0, batch('order', 4, 9), batch('old', 3, 1)), 'order', 6)).toEqual({
      takes: [{ batchId: 'order', points: 4 }, { batchId: 'old', points: 2 }],
      shortfall: 0,
    });
    expect(planReversal(state(2, batch('order', 5, 9)), 'order', 10)).toEqual({ takes: [{ batchId: 'order', points: 3 }], shortfall: 7 });
  });
});

/** One operation on an in-memory account, applied through the rules exactly as the store applies them. */
type Op =
  | { kind: 'earn'; points: number; expiresDay: number }
  | { kind: 'spend'; points: number }
  | { kind: 'freeze'; points: number }
  | { kind: 'confirm' }
  | { kind: 'cancel' }
  | { kind: 'expire'; today: number }
  | { kind: 'reverse'; batch: number; points: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 500 }), expiresDay: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ kind: fc.constant('spend' as const), points: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('freeze' as const), points: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('confirm' as const) }),
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('expire' as const), today: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ kind: fc.constant('reverse' as const), batch: fc.nat(20), points: fc.integer({ min: 1, max: 500 }) }),
);

describe('the ledger invariant (property)', () => {
  it('balance always equals the ledger sum, never goes negative, and frozen never exceeds it', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        let account: PointsAccountState = { batches: [], frozen: 0 };
        const ledger: number[] = [];
        const holds: number[] = [];
        let seq = 0;
        const take = (takes: { points: number }[], kind: number) => {
          const total = takes.reduce((s, t) => s + t.points, 0);
          if (total > 0) ledger.push(kind * total);
          return total;
        };
        for (const op of ops) {
          switch (op.kind) {
            case 'earn':
              account = { ...account, batches: [...account.batches, batch(`b${seq++}`, op.points, op.expiresDay)] };
              ledger.push(op.points);
              break;
            case 'spend': {
              const plan = planSpend(account, op.points, false);
              if (plan.ok) account = { ...account, batches: applyTakes(account.batches, plan.value) };
              if (plan.ok) take(plan.value, -1);
              break;
            }
            case 'freeze': {
              if (canFreeze(account, op.points).ok) {
                account = { ...account, frozen: account.frozen + op.points };
                holds.push(op.points);
              }
              break;
            }
            case 'confirm': {
              const held = holds.shift();
              if (held === undefined) break;
              const plan = planSpend(account, held, true);
              if (!plan.ok) throw new Error(`a frozen spend was refused: ${plan.code}`);
              account = { batches: applyTakes(account.batches, plan.value), frozen: account.frozen - held };
              take(plan.value, -1);
              break;
            }
            case 'cancel': {
              const held = holds.shift();
              if (held !== undefined) account = { ...account, frozen: account.frozen - held };
              break;
            }
            case 'expire': {
              const takes = planExpiry(account, day(op.today));
              account = { ...account, batches: applyTakes(account.batches, takes) };
              take(takes, -1);
              break;
            }
            case 'reverse': {
              const { takes } = planReversal(account, `b${op.batch}`, op.points);
              account = { ...account, batches: applyTakes(account.batches, takes) };
              take(takes, -1);
              break;
            }
          }
          const balance = balanceOf(account);
          expect(balance).toBe(ledger.reduce((s, d) => s + d, 0));
          expect(account.batches.every((b) => b.remaining >= 0)).toBe(true);
          expect(account.frozen).toBe(holds.reduce((s, h) => s + h, 0));
          expect(availableOf(account)).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
