import { birthdayOccasion, couponWindow, memberDayOccasion, memberOccasionKey } from './occasion.calendar';

describe('member day', () => {
  it.each([
    // now (UTC), day of month, offset (min east), key or null
    ['2026-12-18T00:00:00.000Z', 18, 0, 'member-day:2026-12'],
    ['2026-12-18T23:59:59.999Z', 18, 0, 'member-day:2026-12'],
    ['2026-12-17T23:59:59.999Z', 18, 0, null],
    ['2026-12-19T00:00:00.000Z', 18, 0, null],
    // 16:00 UTC on the 17th is already the 18th in China (UTC+8).
    ['2026-12-17T16:00:00.000Z', 18, 480, 'member-day:2026-12'],
    ['2026-12-18T16:00:00.000Z', 18, 480, null],
  ])('at %s (day %i, offset %i) is %s', (now, day, offset, key) => {
    expect(memberDayOccasion(new Date(now), day, offset)?.key ?? null).toBe(key);
  });

  it('is valid the whole local day', () => {
    const occasion = memberDayOccasion(new Date('2026-12-18T10:00:00.000Z'), 18, 480)!;
    expect([occasion.validFrom.toISOString(), occasion.validTo.toISOString()]).toEqual(['2026-12-17T16:00:00.000Z', '2026-12-18T16:00:00.000Z']);
  });
});

describe('birthday month', () => {
  it('is the local month, valid the whole month, keyed by year', () => {
    const occasion = birthdayOccasion(new Date('2026-12-31T20:00:00.000Z'), 0);
    expect(occasion).toEqual({ key: 'birthday:2026', month: 12, validFrom: new Date('2026-12-01T00:00:00.000Z'), validTo: new Date('2027-01-01T00:00:00.000Z') });
    // In UTC+8 it is January already.
    expect(birthdayOccasion(new Date('2026-12-31T20:00:00.000Z'), 480)).toMatchObject({ key: 'birthday:2027', month: 1 });
  });
});

describe('coupon window', () => {
  const occasion = { key: 'member-day:2026-12', validFrom: new Date('2026-12-18T00:00:00Z'), validTo: new Date('2026-12-19T00:00:00Z') };
  const now = new Date('2026-12-18T08:00:00Z');
  it('is the occasion within the template validity', () => {
    expect(couponWindow(occasion, { validFrom: new Date('2026-01-01T00:00:00Z'), validTo: new Date('2026-12-18T12:00:00Z') }, now)).toEqual({
      validFrom: new Date('2026-12-18T00:00:00Z'),
      validTo: new Date('2026-12-18T12:00:00Z'),
    });
  });
  it('is null when the template does not cover the occasion or it is over', () => {
    expect(couponWindow(occasion, { validFrom: new Date('2027-01-01T00:00:00Z'), validTo: new Date('2027-02-01T00:00:00Z') }, now)).toBeNull();
    expect(couponWindow(occasion, { validFrom: new Date('2026-01-01T00:00:00Z'), validTo: new Date('2026-12-18T07:00:00Z') }, now)).toBeNull();
  });
  it('keys the wallet per member', () => {
    expect(memberOccasionKey(occasion, 'm-1')).toBe('member-day:2026-12:m-1');
  });
});
