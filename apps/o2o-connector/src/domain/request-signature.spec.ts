import { checkSignature, signParts } from './request-signature';

const expected = { appKey: 'app-1', secret: 's3cret', maxSkewMs: 300_000 };
const now = new Date(1_800_000_000_000);
const body = '{"orderId":"P1"}';
const signed = (timestamp: number, secret = 'secret-not-used') => ({
  appKey: 'app-1',
  timestamp: String(timestamp),
  signature: signParts(secret === 'secret-not-used' ? expected.secret : secret, { appKey: 'app-1', timestamp: String(timestamp), body }),
  body,
});

describe('checkSignature', () => {
  it.each([
    ['a fresh, correct signature', signed(now.getTime()), { ok: true }],
    ['one at the edge of the window', signed(now.getTime() - 300_000), { ok: true }],
    ['a stale one', signed(now.getTime() - 300_001), { ok: false, reason: 'stale' }],
    ['one from the future', signed(now.getTime() + 300_001), { ok: false, reason: 'stale' }],
    ['one signed with another secret', signed(now.getTime(), 'guess'), { ok: false, reason: 'forged' }],
    ['a body changed after signing', { ...signed(now.getTime()), body: '{"orderId":"P2"}' }, { ok: false, reason: 'forged' }],
    ['a timestamp changed after signing', { ...signed(now.getTime()), timestamp: String(now.getTime() + 1) }, { ok: false, reason: 'forged' }],
    ['a signature that is not hex', { ...signed(now.getTime()), signature: 'zz' }, { ok: false, reason: 'forged' }],
    ['another app key', { ...signed(now.getTime()), appKey: 'app-2' }, { ok: false, reason: 'unknown-app' }],
    ['no signature', { ...signed(now.getTime()), signature: undefined }, { ok: false, reason: 'missing-signature' }],
    ['no timestamp', { ...signed(now.getTime()), timestamp: undefined }, { ok: false, reason: 'missing-signature' }],
  ])('%s', (_name, input, verdict) => {
    expect(checkSignature(input, expected, now)).toEqual(verdict);
  });
});
