import { POINTS_CHANGED } from '@omni/contracts';
import { queryRows } from '@omni/sql';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import { BatchTake, PointsAccountState, PointsEntryKind } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import type { MemberRow } from '../shared/member-rows';

/**
 * The points ledger in SQL: every change is one ledger row, the batches it drew on and the
 * member's balance, in the caller's transaction with the member row already locked, so the
 * balance always equals the ledger's sum and the batches' remaining points.
 */
export class PointsLedgerStore {
  constructor(private readonly events: MemberEvents) {}

  /** The member's batches that still hold points, and what open branches froze. */
  async state(tx: EntityManager, member: MemberRow): Promise<PointsAccountState> {
    const batches = await queryRows<{ id: string; expires_at: Date; remaining: number }>(
      tx,
      'SELECT id, expires_at, remaining FROM points_batches WHERE member_id = $1 AND remaining > 0',
      [member.id],
    );
    return { batches: batches.map((b) => ({ id: b.id, expiresAt: new Date(b.expires_at), remaining: b.remaining })), frozen: member.points_frozen };
  }

  /** Credits `points` as a new batch expiring at `expiresAt`; returns the batch id and the balance after. */
  async credit(tx: EntityManager, memberId: string, kind: PointsEntryKind, points: number, ref: string, expiresAt: Date): Promise<{ batchId: string; balance: number }> {
    const batchId = uuidv7();
    await tx.query('INSERT INTO points_batches (id, member_id, source_ref, amount, remaining, expires_at) VALUES ($1, $2, $3, $4, $4, $5)', [batchId, memberId, ref, points, expiresAt]);
    const balance = await this.book(tx, memberId, kind, points, ref, 0);
    return { batchId, balance };
  }

  /** Debits the batches by `takes` (spend, reversal, expiry); `unfreeze` also settles points a Try froze. Returns the balance after. */
  async debit(tx: EntityManager, memberId: string, kind: PointsEntryKind, takes: readonly BatchTake[], ref: string, unfreeze = 0): Promise<number> {
    const points = takes.reduce((sum, t) => sum + t.points, 0);
    if (takes.length > 0) {
      await tx.query(
        `UPDATE points_batches b SET remaining = b.remaining - t.points FROM unnest($1::text[], $2::int[]) AS t(id, points) WHERE b.id = t.id`,
        [takes.map((t) => t.batchId), takes.map((t) => t.points)],
      );
    }
    return this.book(tx, memberId, kind, -points, ref, unfreeze);
  }

  private async book(tx: EntityManager, memberId: string, kind: PointsEntryKind, delta: number, ref: string, unfreeze: number): Promise<number> {
    const [row] = await queryRows<{ points_balance: number }>(
      tx,
      'UPDATE members SET points_balance = points_balance + $2, points_frozen = points_frozen - $3 WHERE id = $1 RETURNING points_balance',
      [memberId, delta, unfreeze],
    );
    if (delta !== 0) {
      await tx.query('INSERT INTO points_ledger (member_id, kind, delta, ref) VALUES ($1, $2, $3, $4)', [memberId, kind, delta, ref]);
      await this.events.add(tx, POINTS_CHANGED, { memberId, kind, delta, balance: row.points_balance, ref });
    }
    return row.points_balance;
  }
}
