import { IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY_LENGTH as UPSTREAM_IDEMPOTENCY_KEY_MAX, optionalIdempotencyKey, requiredIdempotencyKey, scopedIdempotencyKey } from './idempotency-key';

const STORE = '01936d2a-0000-7000-8000-00000000a001';

describe('Idempotency-Key', () => {
  it('requires a well-formed key where a write must not repeat, naming the header', () => {
    expect(requiredIdempotencyKey('slip-0001')).toBe('slip-0001');
    for (const bad of [undefined, '', 'short', 'bad key!', 'x'.repeat(129)]) {
      expect(() => requiredIdempotencyKey(bad)).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'Idempotency-Key' })] }));
    }
    expect(optionalIdempotencyKey(undefined)).toBeUndefined();
    expect(() => optionalIdempotencyKey('bad key!')).toThrow();
  });

  it('scopes a key to its channel or store, readable while it fits what upstreams take', () => {
    expect(scopedIdempotencyKey('pos-sh01', 'pos-order-0001')).toBe('pos-sh01:pos-order-0001');
    expect(scopedIdempotencyKey(STORE, 'return-slip-0001')).toBe(`${STORE}:return-slip-0001`);
    expect(scopedIdempotencyKey('app', 'k-00000001')).not.toBe(scopedIdempotencyKey('web', 'k-00000001'));
  });

  it('hashes the longest keys so the scoped key always fits, stays stable, and cannot collide with a plain one', () => {
    const longest = 'k'.repeat(128);
    expect(IDEMPOTENCY_KEY.test(longest)).toBe(true);
    const scoped = scopedIdempotencyKey(STORE, longest);
    expect(scoped.length).toBeLessThanOrEqual(UPSTREAM_IDEMPOTENCY_KEY_MAX);
    expect(scoped).toMatch(new RegExp(`^${STORE}:#[A-Za-z0-9_-]{43}$`));
    expect(scopedIdempotencyKey(STORE, longest)).toBe(scoped);
    expect(scopedIdempotencyKey(STORE, `${'k'.repeat(127)}j`)).not.toBe(scoped);
    // The hashed form carries '#', which no caller's key may contain.
    expect(IDEMPOTENCY_KEY.test(scoped.slice(STORE.length + 1))).toBe(false);
    // Every key the gateway accepts, under the longest scopes (a channel code or a store id), fits.
    for (const scope of ['c'.repeat(32), STORE]) {
      for (let length = 8; length <= 128; length++) {
        expect(scopedIdempotencyKey(scope, 'k'.repeat(length)).length).toBeLessThanOrEqual(UPSTREAM_IDEMPOTENCY_KEY_MAX);
      }
    }
  });
});
