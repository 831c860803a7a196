import { MemberStanding, planMerge } from './channel-account';

const TIERS = ['regular', 'silver', 'gold'];
const member = (id: string, registered: string, tier = 'regular', periodEnd = '2027-01-01T00:00:00Z'): MemberStanding => ({
  id,
  registeredAt: new Date(registered),
  tier,
  tierPeriodEnd: new Date(periodEnd),
  status: 'active',
});

describe('merging two members', () => {
  it.each([
    ['the older survives', member('b', '2025-01-01T00:00:00Z'), member('a', '2026-01-01T00:00:00Z'), 'b', 'a', 'regular'],
    ['whichever side it is on', member('a', '2026-01-01T00:00:00Z'), member('b', '2025-01-01T00:00:00Z'), 'b', 'a', 'regular'],
    ['the better tier is kept', member('old', '2025-01-01T00:00:00Z'), member('new', '2026-01-01T00:00:00Z', 'gold'), 'old', 'new', 'gold'],
    ['a tie on time goes to the smaller id', member('z', '2025-01-01T00:00:00Z', 'silver'), member('y', '2025-01-01T00:00:00Z'), 'y', 'z', 'silver'],
  ])('%s', (_name, a, b, survivor, absorbed, tier) => {
    expect(planMerge(a, b, TIERS)).toMatchObject({ survivorId: survivor, absorbedId: absorbed, tier });
  });

  it('keeps the later period of an equal tier', () => {
    const plan = planMerge(member('a', '2025-01-01T00:00:00Z', 'gold', '2026-07-01T00:00:00Z'), member('b', '2026-01-01T00:00:00Z', 'gold', '2027-03-01T00:00:00Z'), TIERS);
    expect(plan.tierPeriodEnd.toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });

  it('refuses a member with itself or one already merged', () => {
    expect(() => planMerge(member('a', '2025-01-01T00:00:00Z'), member('a', '2025-01-01T00:00:00Z'), TIERS)).toThrow(RangeError);
    expect(() => planMerge(member('a', '2025-01-01T00:00:00Z'), { ...member('b', '2025-01-01T00:00:00Z'), status: 'merged' }, TIERS)).toThrow(RangeError);
  });
});
