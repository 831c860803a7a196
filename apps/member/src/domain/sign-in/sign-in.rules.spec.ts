import { checkOtp, decideRefresh, DEFAULT_OTP_POLICY, maskName, mayRequestOtp } from './sign-in.rules';

const now = new Date('2026-06-01T10:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('mayRequestOtp', () => {
  it.each([
    ['no code sent yet', [], true, undefined],
    ['last code 31 s ago', [ago(31_000)], true, undefined],
    ['last code 10 s ago: wait 20 s', [ago(10_000)], false, 20],
    ['five codes in the window: wait until the oldest leaves it', [ago(800_000), ago(600_000), ago(400_000), ago(200_000), ago(100_000)], false, 100],
    ['five codes, the oldest outside the window', [ago(901_000), ago(600_000), ago(400_000), ago(200_000), ago(100_000)], true, undefined],
  ])('%s', (_what, sent, ok, retryAfter) => {
    const result = mayRequestOtp(DEFAULT_OTP_POLICY, sent, now);
    expect(result.ok).toBe(ok);
    expect(result.retryAfterSeconds).toBe(retryAfter);
    if (!result.ok) expect(result.code).toBe('OTP_RATE_LIMITED');
  });
});

describe('checkOtp', () => {
  const open = { status: 'open' as const, attempts: 0, expiresAt: new Date(now.getTime() + 60_000) };
  it.each([
    ['no challenge', undefined, true, { kind: 'refuse', code: 'OTP_NOT_REQUESTED' }],
    ['used challenge', { ...open, status: 'used' as const }, true, { kind: 'refuse', code: 'OTP_NOT_REQUESTED' }],
    ['replaced challenge', { ...open, status: 'replaced' as const }, true, { kind: 'refuse', code: 'OTP_NOT_REQUESTED' }],
    ['exhausted challenge, right code', { ...open, status: 'exhausted' as const, attempts: 5 }, true, { kind: 'refuse', code: 'OTP_ATTEMPTS_EXHAUSTED' }],
    ['expired challenge, right code', { ...open, expiresAt: now }, true, { kind: 'refuse', code: 'OTP_EXPIRED' }],
    ['right code', open, true, { kind: 'accept' }],
    ['first wrong code', open, false, { kind: 'wrong', exhausted: false, attemptsLeft: 4 }],
    ['fifth wrong code exhausts', { ...open, attempts: 4 }, false, { kind: 'wrong', exhausted: true, attemptsLeft: 0 }],
  ])('%s', (_what, challenge, matches, outcome) => {
    expect(checkOtp(DEFAULT_OTP_POLICY, challenge, matches, now)).toEqual(outcome);
  });
});

describe('decideRefresh', () => {
  const later = new Date(now.getTime() + 1000);
  it.each([
    ['unknown token', undefined, 'refuse-unknown'],
    ['active token', { status: 'active' as const, expiresAt: later }, 'rotate'],
    ['expired token', { status: 'active' as const, expiresAt: now }, 'refuse-expired'],
    ['rotated token presented again (replay)', { status: 'rotated' as const, expiresAt: later }, 'revoke-family'],
    ['revoked token', { status: 'revoked' as const, expiresAt: later }, 'refuse-revoked'],
  ])('%s', (_what, token, outcome) => {
    expect(decideRefresh(token, now)).toBe(outcome);
  });
});

describe('maskName', () => {
  it('keeps the first character only', () => {
    expect(maskName('Zhang Wei')).toBe('Z**');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName(null)).toBeNull();
  });
});
