import { createHash, randomBytes } from 'node:crypto';

/** Prefix of generated keys, so a leaked key is recognisable in logs and secret scanners. */
export const API_KEY_PREFIX = 'omk_';

/** Longest key the gateway will hash; anything longer is rejected before hashing. */
export const MAX_API_KEY_LENGTH = 256;

/** A new random key: the prefix and 32 random bytes in base64url (256 bits). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What the database stores instead of the key. Keys are random and long, so a fast hash is enough
 * (nothing to brute-force); only the hash is stored and compared.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The last four characters, shown in listings so staff can tell keys apart without the secret. */
export function apiKeyHint(key: string): string {
  return key.slice(-4);
}

/** Whether a presented value could be a key at all (cheap check before any lookup). */
export function isPlausibleApiKey(value: string): boolean {
  return value.length >= 16 && value.length <= MAX_API_KEY_LENGTH && /^[A-Za-z0-9._-]+$/.test(value);
}
