/** A marketing occasion: its key (one coupon per member and key, ever) and the window its coupon is valid in. */
export interface MarketingOccasion {
  /** e.g. 'member-day:2026-12' or 'birthday:2026'; the member id is appended per coupon. */
  readonly key: string;
  readonly validFrom: Date;
  /** Exclusive end. */
  readonly validTo: Date;
}

/** The occasion of a birthday month: which calendar month, and its window. */
export interface BirthdayOccasion extends MarketingOccasion {
  /** 1-12: members born in this month get the coupon. */
  readonly month: number;
}

const MINUTE_MS = 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date of `now` in a zone `offsetMinutes` east of UTC. */
function localParts(now: Date, offsetMinutes: number): { year: number; month: number; day: number } {
  const local = new Date(now.getTime() + offsetMinutes * MINUTE_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** The UTC instant of local midnight starting `year-month-day` (month and day may overflow, as Date.UTC allows). */
function localMidnight(year: number, month: number, day: number, offsetMinutes: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - offsetMinutes * MINUTE_MS);
}

/**
 * Member day, when `now` falls on it: the local day `dayOfMonth` of the month, its coupon valid that
 * whole local day. Null on any other day (nothing is issued ahead of time or after the day).
 */
export function memberDayOccasion(now: Date, dayOfMonth: number, offsetMinutes: number): MarketingOccasion | null {
  const { year, month, day } = localParts(now, offsetMinutes);
  if (day !== dayOfMonth) return null;
  return {
    key: `member-day:${year}-${pad(month)}`,
    validFrom: localMidnight(year, month, day, offsetMinutes),
    validTo: localMidnight(year, month, day + 1, offsetMinutes),
  };
}

/** The birthday occasion of the month `now` falls in: members born in this month, a coupon valid the whole local month, once a year. */
export function birthdayOccasion(now: Date, offsetMinutes: number): BirthdayOccasion {
  const { year, month } = localParts(now, offsetMinutes);
  return {
    key: `birthday:${year}`,
    month,
    validFrom: localMidnight(year, month, 1, offsetMinutes),
    validTo: localMidnight(year, month + 1, 1, offsetMinutes),
  };
}

/** A coupon's window: the occasion's, within the template's validity; null when they do not overlap (or it is over at `now`). */
export function couponWindow(occasion: MarketingOccasion, template: { validFrom: Date; validTo: Date }, now: Date): { validFrom: Date; validTo: Date } | null {
  const validFrom = new Date(Math.max(occasion.validFrom.getTime(), template.validFrom.getTime()));
  const validTo = new Date(Math.min(occasion.validTo.getTime(), template.validTo.getTime()));
  if (validTo.getTime() <= validFrom.getTime() || validTo.getTime() <= now.getTime()) return null;
  return { validFrom, validTo };
}

/** The wallet's occasion key of one member's coupon for an occasion (the wallet keeps one coupon per key). */
export function memberOccasionKey(occasion: MarketingOccasion, memberId: string): string {
  return `${occasion.key}:${memberId}`;
}
