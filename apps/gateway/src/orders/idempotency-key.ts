import { createHash } from 'node:crypto';
import { ValidationFailedError } from '@omni/platform';

/** Accepted Idempotency-Key values: 8-128 characters of [A-Za-z0-9._:-] (UUIDs fit). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

const SHAPE = 'Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 . _ : -';

/** The Idempotency-Key of a write that must not repeat; 400 naming the header when absent or malformed. */
export function requiredIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value.length === 0) {
    throw new ValidationFailedError([{ field: 'Idempotency-Key', reason: `Idempotency-Key header is required (${SHAPE.slice(20)})` }]);
  }
  return optionalIdempotencyKey(value)!;
}

/** An optional Idempotency-Key passed through when well-formed; 400 when malformed. */
export function optionalIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) throw new ValidationFailedError([{ field: 'Idempotency-Key', reason: SHAPE }]);
  return value;
}

/** Longest Idempotency-Key the internal services take. */
export const UPSTREAM_IDEMPOTENCY_KEY_MAX = 128;

/**
 * The key sent upstream for a caller's key within `scope` (their channel or store), so callers never
 * share keys: `scope:key`, or `scope:#<SHA-256 of key>` when that would be longer than upstreams
 * take. `#` is not allowed in a caller's key, so the two forms never collide.
 */
export function scopedIdempotencyKey(scope: string, key: string): string {
  const plain = `${scope}:${key}`;
  return plain.length <= UPSTREAM_IDEMPOTENCY_KEY_MAX ? plain : `${scope}:#${createHash('sha256').update(key).digest('base64url')}`;
}
