import { allowed, refused, type RuleResult } from '../member-rule.result';

/** Limits of one-time sign-in codes. */
export interface OtpPolicy {
  /** How long a code may be used. */
  readonly ttlMs: number;
  /** Wrong codes a challenge takes before it is dead. */
  readonly maxAttempts: number;
  /** Codes one phone may be sent per window. */
  readonly maxPerWindow: number;
  readonly windowMs: number;
  /** Shortest time between two codes to one phone. */
  readonly minIntervalMs: number;
}

/** Defaults: 5 minutes, 5 attempts, 5 codes per 15 minutes, one per 30 s. */
export const DEFAULT_OTP_POLICY: OtpPolicy = Object.freeze({ ttlMs: 300_000, maxAttempts: 5, maxPerWindow: 5, windowMs: 900_000, minIntervalMs: 30_000 });

/** When a phone may be sent a code again, in whole seconds from now. */
export interface OtpRateLimited {
  readonly retryAfterSeconds: number;
}

/**
 * Whether a phone may be sent another code now, given when its recent codes were sent (any order).
 * Refused with OTP_RATE_LIMITED and the wait when the window is full or the last code is too fresh.
 */
export function mayRequestOtp(policy: OtpPolicy, recentSentAt: readonly Date[], now: Date): RuleResult<true> & Partial<OtpRateLimited> {
  const inWindow = recentSentAt.map((d) => d.getTime()).filter((t) => t > now.getTime() - policy.windowMs).sort((a, b) => a - b);
  let waitMs = 0;
  if (inWindow.length >= policy.maxPerWindow) waitMs = inWindow[inWindow.length - policy.maxPerWindow] + policy.windowMs - now.getTime();
  const last = inWindow[inWindow.length - 1];
  if (last !== undefined) waitMs = Math.max(waitMs, last + policy.minIntervalMs - now.getTime());
  if (waitMs <= 0) return allowed(true);
  return { ...refused('OTP_RATE_LIMITED', 'too many codes were sent to this phone; wait before asking again'), retryAfterSeconds: Math.ceil(waitMs / 1000) };
}

/** A challenge as the verification needs it. */
export interface OtpChallengeState {
  readonly status: 'open' | 'used' | 'exhausted' | 'replaced';
  readonly attempts: number;
  readonly expiresAt: Date;
}

/** What a code check does to its challenge: use it, count a wrong attempt (and maybe exhaust it), or refuse outright. */
export type OtpCheckOutcome =
  | { readonly kind: 'accept' }
  | { readonly kind: 'wrong'; readonly exhausted: boolean; readonly attemptsLeft: number }
  | { readonly kind: 'refuse'; readonly code: 'OTP_EXPIRED' | 'OTP_NOT_REQUESTED' | 'OTP_ATTEMPTS_EXHAUSTED' };

/** Decides a code check against the phone's latest challenge (undefined when it has none). */
export function checkOtp(policy: OtpPolicy, challenge: OtpChallengeState | undefined, codeMatches: boolean, now: Date): OtpCheckOutcome {
  if (!challenge || challenge.status === 'used' || challenge.status === 'replaced') return { kind: 'refuse', code: 'OTP_NOT_REQUESTED' };
  if (challenge.status === 'exhausted' || challenge.attempts >= policy.maxAttempts) return { kind: 'refuse', code: 'OTP_ATTEMPTS_EXHAUSTED' };
  if (challenge.expiresAt.getTime() <= now.getTime()) return { kind: 'refuse', code: 'OTP_EXPIRED' };
  if (codeMatches) return { kind: 'accept' };
  const attempts = challenge.attempts + 1;
  return { kind: 'wrong', exhausted: attempts >= policy.maxAttempts, attemptsLeft: Math.max(0, policy.maxAttempts - attempts) };
}

/** A refresh token's row as the rotation needs it. */
export interface RefreshTokenState {
  readonly status: 'active' | 'rotated' | 'revoked';
  readonly expiresAt: Date;
}

/**
 * What presenting a refresh token does: an active, unexpired one is rotated (it is spent, a new one
 * of the same family replaces it); a token already rotated is a replay (someone kept a copy), so
 * the whole family is revoked; revoked, expired or unknown ones are refused.
 */
export type RefreshOutcome = 'rotate' | 'revoke-family' | 'refuse-revoked' | 'refuse-expired' | 'refuse-unknown';

/** Decides a refresh (see {@link RefreshOutcome}). */
export function decideRefresh(token: RefreshTokenState | undefined, now: Date): RefreshOutcome {
  if (!token) return 'refuse-unknown';
  if (token.status === 'rotated') return 'revoke-family';
  if (token.status === 'revoked') return 'refuse-revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return 'refuse-expired';
  return 'rotate';
}

/** A name for a store till's screen: its first character and stars (null stays null). */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}**`;
}
