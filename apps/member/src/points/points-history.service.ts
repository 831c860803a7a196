import { queryRows } from '@omni/sql';
import type { DataSource } from 'typeorm';
import { requireActiveMember } from '../shared/member-rows';

/** One page of a member's points ledger, newest first. */
export interface PointsHistoryView {
  memberId: string;
  items: { seq: number; kind: string; delta: number; ref: string; at: string }[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** Reads a member's points ledger page by page (keyset on the ledger's sequence, so pages never shift). */
export class PointsHistoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries older than `before` (all when absent), at most `limit`. */
  async page(memberId: string, limit: number, before?: number): Promise<PointsHistoryView> {
    const member = await requireActiveMember(this.dataSource.manager, memberId, false);
    const rows = await queryRows<{ seq: string; kind: string; delta: number; ref: string; created_at: Date }>(
      this.dataSource,
      'SELECT seq, kind, delta, ref, created_at FROM points_ledger WHERE member_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
      [member.id, before ?? Number.MAX_SAFE_INTEGER, limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({ seq: Number(r.seq), kind: r.kind, delta: r.delta, ref: r.ref, at: new Date(r.created_at).toISOString() }));
    return { memberId: member.id, items, nextBefore: rows.length > limit ? items[items.length - 1].seq : null };
  }
}
