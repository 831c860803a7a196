/** Injection token of the Clock every member feature reads time from. */
export const MEMBER_CLOCK = Symbol('MEMBER_CLOCK');

/** Injection token of the member service's settings (points lifetime, tier period, tiers). */
export const MEMBER_SETTINGS = Symbol('MEMBER_SETTINGS');
