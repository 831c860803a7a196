import { canIssue, canUse, COUPON_STATUSES, COUPON_TRANSITIONS, couponTransition, CouponStatus, CouponTransition, WalletCoupon } from './coupon-wallet';

const at = (iso: string) => new Date(iso);
const coupon = (fields: Partial<WalletCoupon> = {}): WalletCoupon => ({
  templateId: 'tpl-10off',
  code: 'TEN-OFF',
  channels: ['app', 'web'],
  validFrom: at('2026-01-01T00:00:00Z'),
  validTo: at('2026-02-01T00:00:00Z'),
  memberId: 'm1',
  status: 'available',
  ...fields,
});
const NOW = at('2026-01-15T00:00:00Z');

describe('coupon lifecycle', () => {
  const table: [CouponStatus, CouponTransition, CouponStatus | string][] = [
    ['available', 'freeze', 'frozen'],
    ['frozen', 'redeem', 'redeemed'],
    ['frozen', 'unfreeze', 'available'],
    ['frozen', 'freeze', 'COUPON_IN_USE'],
    ['redeemed', 'freeze', 'COUPON_USED'],
    ['redeemed', 'unfreeze', 'COUPON_USED'],
    ['redeemed', 'redeem', 'COUPON_USED'],
    ['available', 'redeem', 'COUPON_NOT_HELD'],
    ['available', 'unfreeze', 'COUPON_NOT_HELD'],
  ];
  it.each(table)('%s --%s--> %s', (from, transition, expected) => {
    const result = couponTransition(from, transition);
    expect(result.ok ? result.value : result.code).toBe(expected);
  });

  it('covers every status and transition', () => {
    expect(new Set(table.map(([from]) => from))).toEqual(new Set(COUPON_STATUSES));
    expect(new Set(table.map(([, t]) => t))).toEqual(new Set(Object.keys(COUPON_TRANSITIONS)));
  });
});

describe('using a coupon', () => {
  it.each([
    ['its owner in an allowed channel within the window', coupon(), 'm1', 'app', NOW, 'ok'],
    ['any channel when the template names none', coupon({ channels: [] }), 'm1', 'pos', NOW, 'ok'],
    ['another member', coupon(), 'm2', 'app', NOW, 'COUPON_NOT_OWNED'],
    ['a channel the template excludes', coupon(), 'm1', 'tmall', NOW, 'COUPON_NOT_IN_CHANNEL'],
    ['before the window', coupon(), 'm1', 'app', at('2025-12-31T23:59:59Z'), 'COUPON_NOT_YET_VALID'],
    ['at the exclusive end', coupon(), 'm1', 'app', at('2026-02-01T00:00:00Z'), 'COUPON_EXPIRED'],
    ['used once already', coupon({ status: 'redeemed' }), 'm1', 'app', NOW, 'COUPON_USED'],
    ['held by another order', coupon({ status: 'frozen' }), 'm1', 'app', NOW, 'COUPON_IN_USE'],
  ])('%s', (_name, c, member, channel, now, expected) => {
    const result = canUse(c, member, channel, now);
    expect(result.ok ? 'ok' : result.code).toBe(expected);
  });
});

describe('issuing a coupon', () => {
  it.each([
    ['within the window', coupon(), NOW, 'ok'],
    ['before the window (usable later)', coupon(), at('2025-12-01T00:00:00Z'), 'ok'],
    ['after the template ended', coupon(), at('2026-03-01T00:00:00Z'), 'COUPON_TEMPLATE_EXPIRED'],
    ['an empty window', coupon({ validTo: at('2026-01-01T00:00:00Z') }), NOW, 'COUPON_WINDOW_EMPTY'],
  ])('%s', (_name, terms, now, expected) => {
    const result = canIssue(terms, now);
    expect(result.ok ? 'ok' : result.code).toBe(expected);
  });
});
