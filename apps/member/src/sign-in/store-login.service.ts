import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { maskName, maskPhone } from '../domain';
import { requireActiveMember } from '../shared/member-rows';
import type { RedeemStoreLoginDto } from './sign-in.dto';
import type { StoreLoginMemberView } from './sign-in.views';

/**
 * Store QR login: the gateway signs a short-lived code for the member's app and verifies it when a
 * till posts it; here a code's id is recorded as used, atomically, so one code logs in once.
 */
export class StoreLoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Uses the code once: the member for the sale; 410 when it expired, 409 when it was already used. */
  redeem(body: RedeemStoreLoginDto): Promise<StoreLoginMemberView> {
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      if (new Date(body.expiresAt).getTime() <= now.getTime()) {
        throw new DomainError(DomainErrorType.NotAllowed, 'STORE_LOGIN_CODE_EXPIRED', 'The login code has expired; show a new one', [{ field: 'code', reason: 'expired' }]);
      }
      const member = await requireActiveMember(tx, body.memberId, false);
      const used = await queryRows(
        tx,
        'INSERT INTO store_login_codes_used (code_id, member_id, location_id, expires_at, used_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code_id) DO NOTHING RETURNING code_id',
        [body.codeId, member.id, body.locationId, new Date(body.expiresAt), now],
      );
      if (used.length === 0) {
        throw new DomainError(DomainErrorType.Conflict, 'STORE_LOGIN_CODE_USED', 'This login code was already used; show a new one', [{ field: 'code', reason: 'already used' }]);
      }
      const [pii] = await queryRows<{ phone: string | null; name: string | null }>(tx, 'SELECT phone, name FROM member_personal_data WHERE member_id = $1', [member.id]);
      return { memberId: member.id, tier: member.tier, displayName: maskName(pii?.name ?? null) ?? (pii?.phone ? maskPhone(pii.phone) : null) };
    });
  }
}
