import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows, type SqlExecutor } from '@omni/sql';

/** A member row as the features read it. */
export interface MemberRow {
  id: string;
  status: 'active' | 'merged';
  merged_into: string | null;
  tier: string;
  tier_period_end: Date;
  registered_at: Date;
  points_balance: number;
  points_frozen: number;
}

/** 404 for a member id that names nobody. */
export function memberNotFound(memberId: string): DomainError {
  return new DomainError(DomainErrorType.NotFound, 'MEMBER_NOT_FOUND', `no member ${memberId}`);
}

/**
 * The active member an id names now: a merged member's id keeps working and leads to the member
 * it was merged into. With `lock`, the row is locked for the caller's transaction (every change of
 * a member's points or tier takes this lock first, so they serialise per member).
 */
export async function activeMember(tx: SqlExecutor, memberId: string, lock: boolean): Promise<MemberRow | undefined> {
  let id = memberId;
  for (let hop = 0; hop < 16; hop += 1) {
    const [row] = await queryRows<MemberRow>(
      tx,
      `SELECT id, status, merged_into, tier, tier_period_end, registered_at, points_balance, points_frozen FROM members WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) return undefined;
    if (row.status === 'active') return row;
    if (!row.merged_into) return undefined;
    id = row.merged_into;
  }
  return undefined;
}

/** The active member an id names, or 404. */
export async function requireActiveMember(tx: SqlExecutor, memberId: string, lock: boolean): Promise<MemberRow> {
  const row = await activeMember(tx, memberId, lock);
  if (!row) throw memberNotFound(memberId);
  return row;
}
