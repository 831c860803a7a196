import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHasher } from '../domain';
import type { SessionView } from './sign-in.views';

/** Refresh tokens: the client holds the token, the table only its keyed hash. */
export class SessionStore {
  constructor(
    private readonly hasher: PersonalDataHasher,
    private readonly ttlMs: number,
  ) {}

  /** Opens a new session (a new token family) for the member in the caller's transaction. */
  open(tx: EntityManager, memberId: string, channel: string, now: Date): Promise<SessionView> {
    return this.issue(tx, uuidv7(), memberId, channel, now);
  }

  /** Issues a token of `familyId` in the caller's transaction; the answer is the only place the token ever appears. */
  async issue(tx: EntityManager, familyId: string, memberId: string, channel: string, now: Date): Promise<SessionView> {
    const refreshToken = `mrt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await tx.query('INSERT INTO refresh_tokens (id, family_id, member_id, channel, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      uuidv7(),
      familyId,
      memberId,
      channel,
      this.hasher.refreshToken(refreshToken),
      now,
      expiresAt,
    ]);
    return { memberId, channel, refreshToken, refreshExpiresAt: expiresAt.toISOString() };
  }
}
