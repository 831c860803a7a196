import { createHash } from 'node:crypto';
import { ValidationFailedError } from '../errors/domain-error';

/** The header every write that may be retried takes. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** A caller's Idempotency-Key: 8-128 characters of [A-Za-z0-9._:-] (UUIDs fit). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * A key the gateway derived from a caller's key too long to scope plainly (scopedIdempotencyKey):
 * `<scope>:#<SHA-256, base64url>`. '#' is in no caller's key and a scope has no ':', so it never
 * equals a plain scoped key; it is accepted wherever a caller's key is, so a service behind the
 * gateway takes every key the gateway sends it.
 */
const SCOPED_DIGEST_KEY = /^[A-Za-z0-9._-]{1,83}:#[A-Za-z0-9_-]{43}$/;

/** Longest Idempotency-Key any service takes (a scoped key included). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

const SHAPE = 'must be 8-128 characters of A-Z a-z 0-9 . _ : -';

/** True when `value` is an Idempotency-Key every service accepts (the one rule, used by the gateway and every service). */
export function isIdempotencyKey(value: string): boolean {
  return IDEMPOTENCY_KEY.test(value) || SCOPED_DIGEST_KEY.test(value);
}

/** The Idempotency-Key of a write that must not repeat; 400 naming the header and the reason when absent or malformed (an empty one is malformed, as everywhere). */
export function requiredIdempotencyKey(value: string | undefined): string {
  if (value === undefined) {
    throw new ValidationFailedError([{ field: IDEMPOTENCY_KEY_HEADER, reason: `Idempotency-Key header is required (${SHAPE})` }]);
  }
  return optionalIdempotencyKey(value)!;
}

/** An optional Idempotency-Key: undefined when absent, the key when well-formed, 400 naming the header and the reason when malformed. */
export function optionalIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIdempotencyKey(value)) throw new ValidationFailedError([{ field: IDEMPOTENCY_KEY_HEADER, reason: `Idempotency-Key ${SHAPE}` }]);
  return value;
}

/**
 * The key sent upstream for a caller's key within `scope` (their channel or store; never with a
 * ':'), so callers never share keys: `scope:key`, or `scope:#<SHA-256 of key>` when that would be
 * longer than MAX_IDEMPOTENCY_KEY_LENGTH. Both forms pass isIdempotencyKey.
 */
export function scopedIdempotencyKey(scope: string, key: string): string {
  const plain = `${scope}:${key}`;
  return plain.length <= MAX_IDEMPOTENCY_KEY_LENGTH ? plain : `${scope}:#${createHash('sha256').update(key).digest('base64url')}`;
}
