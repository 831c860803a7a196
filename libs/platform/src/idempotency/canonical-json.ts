import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and undefined members left out, so equal requests
 * serialise equally whatever their key order. A value JSON cannot represent at the top level
 * (undefined, a function) is `null`, as it would be inside an array.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256 (hex) identifying a request: its canonical body, prefixed by `scope` (the route or
 * operation) when one key may reach several, so the same key on another route is another request.
 * An Idempotency-Key reused with another request is detected by it.
 */
export function requestHash(body: unknown, scope?: string): string {
  const hash = createHash('sha256');
  if (scope !== undefined) hash.update(scope).update('\n');
  return hash.update(canonicalJson(body)).digest('hex');
}
