import { apiKeyHint, generateApiKey, hashApiKey, isPlausibleApiKey } from './api-key.secret';

describe('API key secrets', () => {
  it('generates distinct prefixed keys that pass the plausibility check', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^omk_[A-Za-z0-9_-]{43}$/);
      expect(isPlausibleApiKey(key)).toBe(true);
    }
  });

  it('hashes deterministically to 64 hex characters and never returns the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(4, 20));
    expect(hashApiKey(`${key}x`)).not.toBe(hashApiKey(key));
  });

  it('rejects values that cannot be keys before any lookup', () => {
    expect(isPlausibleApiKey('short')).toBe(false);
    expect(isPlausibleApiKey('a'.repeat(257))).toBe(false);
    expect(isPlausibleApiKey('has spaces in the key!!')).toBe(false);
    expect(isPlausibleApiKey('dev-app-key-0000')).toBe(true);
    expect(apiKeyHint('omk_abcdefWXYZ')).toBe('WXYZ');
  });
});
