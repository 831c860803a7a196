import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { decideRefresh, type PersonalDataHasher, type RefreshOutcome } from '../domain';
import { activeMember } from '../shared/member-rows';
import type { SessionStore } from './session.store';
import type { SessionView } from './sign-in.views';

interface TokenRow {
  id: string;
  family_id: string;
  member_id: string;
  channel: string;
  status: 'active' | 'rotated' | 'revoked';
  expires_at: Date;
}

const REFUSALS: Record<Exclude<RefreshOutcome, 'rotate'>, { code: string; message: string }> = {
  'refuse-unknown': { code: 'REFRESH_TOKEN_INVALID', message: 'The refresh token is unknown; sign in again' },
  'refuse-expired': { code: 'REFRESH_TOKEN_EXPIRED', message: 'The refresh token has expired; sign in again' },
  'refuse-revoked': { code: 'REFRESH_TOKEN_REVOKED', message: 'The session was ended; sign in again' },
  'revoke-family': { code: 'REFRESH_TOKEN_REUSED', message: 'The refresh token was already used; the session is ended for safety, sign in again' },
};

/**
 * Sessions after sign-in: a refresh token is spent on use and replaced by a new one of the same
 * family; presenting a spent one again means a copy is in someone else's hands, so the whole
 * family is revoked (the legitimate holder signs in again).
 */
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PersonalDataHasher,
    private readonly store: SessionStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Rotates the token: the answer names the member (after any merge) and carries the next token;
   * 401 with the reason otherwise. A token presented by another channel than its own is unknown
   * there (and stays usable on its own channel).
   */
  async refresh(refreshToken: string, channel: string): Promise<SessionView> {
    const result = await this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const [row] = await queryRows<TokenRow>(tx, 'SELECT id, family_id, member_id, channel, status, expires_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [
        this.hasher.refreshToken(refreshToken),
      ]);
      if (row && row.channel !== channel) return 'refuse-unknown';
      const outcome = decideRefresh(row ? { status: row.status, expiresAt: new Date(row.expires_at) } : undefined, now);
      if (outcome === 'revoke-family') {
        // Committed before the refusal is answered: the replay ends every token of the family.
        await tx.query(`UPDATE refresh_tokens SET status = 'revoked' WHERE family_id = $1 AND status <> 'revoked'`, [row!.family_id]);
        return outcome;
      }
      if (outcome !== 'rotate') return outcome;
      const member = await activeMember(tx, row!.member_id, false);
      if (!member) return 'refuse-revoked';
      await tx.query(`UPDATE refresh_tokens SET status = 'rotated', rotated_at = $2 WHERE id = $1`, [row!.id, now]);
      return this.store.issue(tx, row!.family_id, member.id, row!.channel, now);
    });
    if (typeof result === 'string') throw new DomainError(DomainErrorType.Unauthorized, REFUSALS[result as Exclude<RefreshOutcome, 'rotate'>].code, REFUSALS[result as Exclude<RefreshOutcome, 'rotate'>].message);
    return result;
  }

  /** Ends the session the token belongs to (sign-out): every token of its family stops working. Unknown tokens are fine (nothing to end). */
  async revoke(refreshToken: string): Promise<{ revoked: boolean }> {
    const rows = await queryRows<{ n: number }>(
      this.dataSource,
      `WITH family AS (SELECT family_id FROM refresh_tokens WHERE token_hash = $1),
            ended AS (UPDATE refresh_tokens SET status = 'revoked' WHERE family_id IN (SELECT family_id FROM family) AND status <> 'revoked' RETURNING 1)
       SELECT count(*)::int AS n FROM ended`,
      [this.hasher.refreshToken(refreshToken)],
    );
    return { revoked: (rows[0]?.n ?? 0) > 0 };
  }
}
