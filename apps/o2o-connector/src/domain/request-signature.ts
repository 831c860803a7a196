import { createHmac, timingSafeEqual } from 'node:crypto';

// Platforms sign with HMAC-SHA256 over app key, timestamp and body; the timestamp bounds replays.

/** The parts a platform signature covers. */
export interface SignedParts {
  /** The app key the platform issued. */
  appKey: string;
  /** Milliseconds since the epoch, as sent. */
  timestamp: string;
  /** The raw body (empty string for a GET). */
  body: string;
}

/** Hex HMAC-SHA256 of `appKey\ntimestamp\nbody` with the shared secret. */
export function signParts(secret: string, parts: SignedParts): string {
  return createHmac('sha256', secret).update(`${parts.appKey}\n${parts.timestamp}\n${parts.body}`).digest('hex');
}

/** Why a signature check failed. */
export type SignatureFailure = 'missing-signature' | 'unknown-app' | 'forged' | 'stale';

/** Checks a signature against the secret and a freshness window either side of `now`. */
export function checkSignature(
  input: { appKey?: string; timestamp?: string; signature?: string; body: string },
  expected: { appKey: string; secret: string; maxSkewMs: number },
  now: Date,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  if (!input.appKey || !input.timestamp || !input.signature) return { ok: false, reason: 'missing-signature' };
  if (input.appKey !== expected.appKey) return { ok: false, reason: 'unknown-app' };
  const sent = /^\d{1,16}$/.test(input.timestamp) ? Number(input.timestamp) : NaN;
  // Signature before freshness: a forger learns nothing about our clock from the answer.
  const want = Buffer.from(signParts(expected.secret, { appKey: input.appKey, timestamp: input.timestamp, body: input.body }), 'hex');
  const got = /^[0-9a-f]{64}$/i.test(input.signature) ? Buffer.from(input.signature, 'hex') : Buffer.alloc(0);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'forged' };
  if (!Number.isFinite(sent) || Math.abs(now.getTime() - sent) > expected.maxSkewMs) return { ok: false, reason: 'stale' };
  return { ok: true };
}
