import { randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError, DomainErrorType, ValidationFailedError } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { checkOtp, maskPhone, mayRequestOtp, normalizePhone, type OtpPolicy, type PersonalDataHasher } from '../domain';
import type { MemberService } from '../members/member.service';
import type { OtpSender } from './otp.sender';
import type { SessionStore } from './session.store';
import type { RequestOtpDto, VerifyOtpDto } from './sign-in.dto';
import type { OtpRequestedView, SessionView } from './sign-in.views';

interface ChallengeRow {
  id: string;
  code_hash: string;
  status: 'open' | 'used' | 'exhausted' | 'replaced';
  attempts: number;
  expires_at: Date;
}

/** What a verification decided inside its transaction; refusals are thrown after it commits (a wrong attempt must count). */
type VerifyResult = { ok: true; session: SessionView } | { ok: false; code: string; message: string };

/**
 * Sign-in by a one-time code sent to a phone: a code is generated here, only its keyed hash is
 * stored, it expires, takes a limited number of attempts, and a phone is sent a limited number of
 * codes per window. A right code signs the member in (registering them on their first sign-in)
 * and opens a session (a refresh token family). Neither the phone nor the code is ever logged.
 */
export class SignInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PersonalDataHasher,
    private readonly members: MemberService,
    private readonly sessions: SessionStore,
    private readonly sender: OtpSender,
    private readonly clock: Clock,
    private readonly policy: OtpPolicy,
  ) {}

  /** Sends a new code to the phone (older open codes of the phone stop working); 429 OTP_RATE_LIMITED when it was sent too many. */
  async requestCode(body: RequestOtpDto): Promise<OtpRequestedView> {
    const phone = phoneOf(body.phone);
    const phoneHash = this.hasher.phone(phone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = uuidv7();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.policy.ttlMs);
    const decision = await this.dataSource.transaction(async (tx) => {
      // One phone's requests queue here, so two at once cannot both pass the limit.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [phoneHash]);
      const recent = await queryRows<{ created_at: Date }>(tx, 'SELECT created_at FROM otp_challenges WHERE phone_hash = $1 AND created_at > $2', [
        phoneHash,
        new Date(now.getTime() - this.policy.windowMs),
      ]);
      const may = mayRequestOtp(this.policy, recent.map((r) => new Date(r.created_at)), now);
      if (!may.ok) return may;
      await tx.query(`UPDATE otp_challenges SET status = 'replaced' WHERE phone_hash = $1 AND status = 'open'`, [phoneHash]);
      await tx.query('INSERT INTO otp_challenges (id, phone_hash, code_hash, channel, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        challengeId,
        phoneHash,
        this.hasher.otpCode(challengeId, code),
        body.channel,
        now,
        expiresAt,
      ]);
      return may;
    });
    if (!decision.ok) {
      throw new DomainError(DomainErrorType.RateLimited, decision.code, `${decision.message} (retry in ${decision.retryAfterSeconds ?? 1} s)`, [
        { field: 'phone', reason: `too many codes; retry in ${decision.retryAfterSeconds ?? 1} s` },
      ]);
    }
    await this.sender.send({ challengeId, phone, maskedPhone: maskPhone(phone), code, expiresAt });
    return { challengeId, expiresAt: expiresAt.toISOString(), resendAfterSeconds: Math.ceil(this.policy.minIntervalMs / 1000) };
  }

  /**
   * Checks the code against the phone's latest code. Right: the code is spent, the member signed in
   * (registered when the phone is new) and a session opened. Wrong, expired, spent or out of
   * attempts: 401 with the reason; a wrong code counts against the attempts.
   */
  async verifyCode(body: VerifyOtpDto): Promise<SessionView> {
    const phone = phoneOf(body.phone);
    const phoneHash = this.hasher.phone(phone);
    const result = await this.dataSource.transaction(async (tx): Promise<VerifyResult> => {
      const now = this.clock.now();
      const [challenge] = await queryRows<ChallengeRow>(
        tx,
        'SELECT id, code_hash, status, attempts, expires_at FROM otp_challenges WHERE phone_hash = $1 ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE',
        [phoneHash],
      );
      const matches = challenge ? sameHash(challenge.code_hash, this.hasher.otpCode(challenge.id, body.code)) : false;
      const outcome = checkOtp(this.policy, challenge ? { status: challenge.status, attempts: challenge.attempts, expiresAt: new Date(challenge.expires_at) } : undefined, matches, now);
      if (outcome.kind === 'refuse') return { ok: false, code: outcome.code, message: REFUSALS[outcome.code] };
      if (outcome.kind === 'wrong') {
        await tx.query(`UPDATE otp_challenges SET attempts = attempts + 1, status = CASE WHEN $2 THEN 'exhausted' ELSE status END WHERE id = $1`, [challenge!.id, outcome.exhausted]);
        return { ok: false, code: outcome.exhausted ? 'OTP_ATTEMPTS_EXHAUSTED' : 'OTP_INVALID', message: outcome.exhausted ? REFUSALS.OTP_ATTEMPTS_EXHAUSTED : `The code is wrong; ${outcome.attemptsLeft} attempts left` };
      }
      await tx.query(`UPDATE otp_challenges SET status = 'used' WHERE id = $1`, [challenge!.id]);
      const member = await this.members.memberForVerifiedPhone(tx, phone, body.channel);
      const session = await this.sessions.open(tx, member.memberId, body.channel, now);
      return { ok: true, session: { ...session, registered: member.registered } };
    });
    if (!result.ok) throw new DomainError(DomainErrorType.Unauthorized, result.code, result.message, [{ field: 'code', reason: result.message }]);
    return result.session;
  }
}

const REFUSALS = {
  OTP_NOT_REQUESTED: 'No code is waiting for this phone; ask for a new one',
  OTP_EXPIRED: 'The code has expired; ask for a new one',
  OTP_ATTEMPTS_EXHAUSTED: 'Too many wrong codes; ask for a new one',
} as const;

function phoneOf(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw new ValidationFailedError([{ field: 'phone', reason: 'must be a phone number (6-20 digits, optional +)' }]);
  return phone;
}

/** Constant-time comparison of two hashes. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
