import { JwtService } from '@nestjs/jwt';

/**
 * Key services sign and verify their credentials with outside production, so a fresh checkout
 * runs; a production deployment must set SERVICE_AUTH_KEY to its own.
 */
export const DEV_SERVICE_AUTH_KEY = 'omni-dev-service-auth-key-not-for-production';

/** Lifetime of a service token, seconds. */
export const SERVICE_TOKEN_TTL_SECONDS = 300;

/** Longest lifetime a verifier accepts (exp minus now), seconds: a token minted for longer is refused. */
export const MAX_SERVICE_TOKEN_LIFETIME_SECONDS = 600;

/** Clock difference between two hosts that verification tolerates, seconds. */
export const SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

/** Shortest signing key accepted in production (HS256 wants at least 256 bits). */
export const MIN_SERVICE_AUTH_KEY_LENGTH = 32;

/** What a credential says about its caller once verified. */
export interface ServiceCaller {
  /** The calling service (the token's `iss`). */
  service: string;
  /** When the token expires, seconds since the epoch. */
  expiresAt: number;
}

/** Why a presented token was refused. */
export type ServiceTokenProblem = 'malformed' | 'bad-signature' | 'wrong-audience' | 'expired' | 'not-yet-valid' | 'missing-claims' | 'lifetime-too-long';

/** The outcome of verifying a token. */
export type ServiceTokenVerdict = { ok: true; caller: ServiceCaller } | { ok: false; problem: ServiceTokenProblem; reason: string };

/** What a token is signed for. */
export interface ServiceTokenClaims {
  /** The calling service (`iss`). */
  issuer: string;
  /** The service called (`aud`). */
  audience: string;
  /** Lifetime, seconds (default SERVICE_TOKEN_TTL_SECONDS). */
  ttlSeconds?: number;
  /** Issue time, seconds since the epoch (default now). */
  issuedAt?: number;
}

// jsonwebtoken behind a plain class: sign and verify are synchronous, no Nest container involved.
const jwt = new JwtService({});

/** Signs a service token (JWT HS256) with `key`. */
export function signServiceToken(key: string, claims: ServiceTokenClaims): string {
  const iat = claims.issuedAt ?? Math.floor(Date.now() / 1000);
  const exp = iat + (claims.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS);
  return jwt.sign({ iss: claims.issuer, aud: claims.audience, iat, exp }, { secret: key, algorithm: 'HS256' });
}

/** Most verified tokens one key list remembers (callers reuse a token for minutes, so a few per caller). */
const VERIFIED_CACHE_LIMIT = 10_000;

// Tokens already verified, per accepted key list (one per process; a new list after a rotation starts empty).
const verifiedByKeys = new WeakMap<readonly string[], Map<string, ServiceCaller>>();

/**
 * Verifies `token` for `audience` against every accepted key (the first signs; the others are
 * still accepted during a rotation). Only HS256; `iss`, `aud` and `exp` are required, and a token
 * may not live longer than MAX_SERVICE_TOKEN_LIFETIME_SECONDS. A token verified before is
 * answered from memory until it expires: a caller presents the same token for minutes, and the
 * signature check would otherwise cost every internal request an HMAC and the JWT library's
 * key parsing (the largest item of the inventory HTTP path's profile).
 */
export function verifyServiceToken(token: string, audience: string, keys: readonly string[], nowSeconds = Math.floor(Date.now() / 1000)): ServiceTokenVerdict {
  let verified = verifiedByKeys.get(keys);
  if (!verified) verifiedByKeys.set(keys, (verified = new Map()));
  const cacheKey = `${audience}\u0000${token}`;
  const known = verified.get(cacheKey);
  if (known && nowSeconds < known.expiresAt + SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS) return { ok: true, caller: known };
  const verdict = verifyAgainstKeys(token, audience, keys, nowSeconds);
  if (known) verified.delete(cacheKey);
  if (verdict.ok) {
    if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
    verified.set(cacheKey, verdict.caller);
  }
  return verdict;
}

function verifyAgainstKeys(token: string, audience: string, keys: readonly string[], nowSeconds: number): ServiceTokenVerdict {
  for (const key of keys) {
    let payload: { iss?: unknown; exp?: unknown };
    try {
      payload = jwt.verify(token, {
        secret: key,
        algorithms: ['HS256'],
        audience,
        clockTimestamp: nowSeconds,
        clockTolerance: SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'TokenExpiredError') return { ok: false, problem: 'expired', reason: 'the token has expired' };
      if (name === 'NotBeforeError') return { ok: false, problem: 'not-yet-valid', reason: 'the token is not valid yet' };
      if (message === 'invalid signature') continue;
      if (message.startsWith('jwt audience invalid')) return { ok: false, problem: 'wrong-audience', reason: `the token is not for ${audience}` };
      return { ok: false, problem: 'malformed', reason: 'the token is not a well-formed HS256 JWT' };
    }
    if (typeof payload.iss !== 'string' || payload.iss === '' || typeof payload.exp !== 'number') {
      return { ok: false, problem: 'missing-claims', reason: 'the token must name its issuer (iss) and expiry (exp)' };
    }
    if (payload.exp - nowSeconds > MAX_SERVICE_TOKEN_LIFETIME_SECONDS) {
      return { ok: false, problem: 'lifetime-too-long', reason: `the token lives longer than ${MAX_SERVICE_TOKEN_LIFETIME_SECONDS} seconds` };
    }
    return { ok: true, caller: { service: payload.iss, expiresAt: payload.exp } };
  }
  return { ok: false, problem: 'bad-signature', reason: 'the token is not signed with an accepted key' };
}
