import { JwtService } from '@nestjs/jwt';
import { ServiceCredentials } from './service-credentials';
import { MAX_SERVICE_TOKEN_LIFETIME_SECONDS, SERVICE_TOKEN_TTL_SECONDS, signServiceToken, verifyServiceToken } from './service-token';

const KEY = 'unit-test-service-auth-key-0123456789abcdef';
const OLD_KEY = 'unit-test-previous-service-auth-key-0123456';
const NOW = 1_800_000_000;

describe('service tokens', () => {
  const token = (claims: Partial<Parameters<typeof signServiceToken>[1]> = {}, key = KEY) =>
    signServiceToken(key, { issuer: 'order', audience: 'inventory', issuedAt: NOW, ...claims });

  it('accepts a token for this audience signed with any accepted key, naming the caller', () => {
    expect(verifyServiceToken(token(), 'inventory', [KEY], NOW)).toEqual({ ok: true, caller: { service: 'order', expiresAt: NOW + SERVICE_TOKEN_TTL_SECONDS } });
    expect(verifyServiceToken(token({}, OLD_KEY), 'inventory', [KEY, OLD_KEY], NOW)).toMatchObject({ ok: true });
  });

  it.each([
    ['another audience', () => token({ audience: 'pricing' }), NOW, 'wrong-audience'],
    ['another key', () => token({}, OLD_KEY), NOW, 'bad-signature'],
    ['an expired token', () => token(), NOW + SERVICE_TOKEN_TTL_SECONDS + 31, 'expired'],
    ['a token that lives too long', () => token({ ttlSeconds: MAX_SERVICE_TOKEN_LIFETIME_SECONDS + 60 }), NOW, 'lifetime-too-long'],
    ['garbage', () => 'not.a.jwt', NOW, 'malformed'],
    ['a token without issuer', () => new JwtService({}).sign({ aud: 'inventory', exp: NOW + 60 }, { secret: KEY, algorithm: 'HS256' }), NOW, 'missing-claims'],
    ['a token without expiry', () => new JwtService({}).sign({ iss: 'order', aud: 'inventory' }, { secret: KEY, algorithm: 'HS256' }), NOW, 'missing-claims'],
    ['an HS512 token', () => new JwtService({}).sign({ iss: 'order', aud: 'inventory', exp: NOW + 60 }, { secret: KEY, algorithm: 'HS512' }), NOW, 'malformed'],
    ['an unsigned token', () => new JwtService({}).sign({ iss: 'order', aud: 'inventory', exp: NOW + 60 }, { secret: KEY, algorithm: 'none' }), NOW, 'malformed'],
  ])('refuses %s', (_what, make, now, problem) => {
    expect(verifyServiceToken(make(), 'inventory', [KEY], now)).toMatchObject({ ok: false, problem });
  });

  it('tolerates 30 seconds of clock difference', () => {
    expect(verifyServiceToken(token(), 'inventory', [KEY], NOW + SERVICE_TOKEN_TTL_SECONDS + 20)).toMatchObject({ ok: true });
  });

  it('answers a token verified before from memory only until it expires, per audience and per accepted key list', () => {
    const keys = [KEY, OLD_KEY];
    const old = token({}, OLD_KEY);
    expect(verifyServiceToken(old, 'inventory', keys, NOW)).toMatchObject({ ok: true });
    expect(verifyServiceToken(old, 'inventory', keys, NOW + 10)).toMatchObject({ ok: true });
    expect(verifyServiceToken(old, 'pricing', keys, NOW + 10)).toMatchObject({ ok: false, problem: 'wrong-audience' });
    expect(verifyServiceToken(old, 'inventory', keys, NOW + SERVICE_TOKEN_TTL_SECONDS + 30)).toMatchObject({ ok: false, problem: 'expired' });
    // After a rotation drops the old key, the process holds a new key list: its tokens are checked again.
    expect(verifyServiceToken(old, 'inventory', [KEY], NOW + 10)).toMatchObject({ ok: false, problem: 'bad-signature' });
  });
});

describe('ServiceCredentials', () => {
  it('signs for each audience as this service and reuses a token until a minute before it expires', () => {
    let now = NOW;
    const credentials = new ServiceCredentials('order', KEY, () => now);
    const first = credentials.headerFor('inventory');
    expect(first.authorization).toMatch(/^Bearer /);
    expect(verifyServiceToken(first.authorization.slice(7), 'inventory', [KEY], now)).toMatchObject({ ok: true, caller: { service: 'order' } });
    expect(verifyServiceToken(credentials.headerFor('pricing').authorization.slice(7), 'inventory', [KEY], now)).toMatchObject({ ok: false, problem: 'wrong-audience' });
    now += SERVICE_TOKEN_TTL_SECONDS - 61;
    expect(credentials.headerFor('inventory')).toBe(first);
    now += 2;
    const renewed = credentials.headerFor('inventory');
    expect(renewed).not.toBe(first);
    expect(verifyServiceToken(renewed.authorization.slice(7), 'inventory', [KEY], now + SERVICE_TOKEN_TTL_SECONDS - 1)).toMatchObject({ ok: true });
  });
});
