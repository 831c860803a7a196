import { type SqlExecutor, queryRows } from '@omni/sql';
import { LineReason, ReservationPick } from '../domain/reservation.decider';
import { ReservationStatus } from './entities/reservation.entity';

/** A stored reservation with its lines, as the service reads it back. */
export interface StoredReservation {
  gid: string;
  branchId: string;
  channel: string;
  status: ReservationStatus;
  deadline: Date;
  reasons: LineReason[];
  lines: ReservationPick[];
}

/** The reservation's status, or null when the branch has none (one statement, no lines). */
export async function reservationStatus(tx: SqlExecutor, gid: string, branchId: string): Promise<ReservationStatus | null> {
  const [row] = await queryRows(tx, `SELECT status FROM reservations WHERE gid = $1 AND branch_id = $2`, [gid, branchId]);
  return row ? (row.status as ReservationStatus) : null;
}

/** Reads a reservation and its lines; `lock` takes the reservation row FOR UPDATE. */
export async function findReservation(tx: SqlExecutor, gid: string, branchId: string, lock = false): Promise<StoredReservation | null> {
  const [head] = await queryRows(
    tx,
    `SELECT channel, status, deadline, reasons FROM reservations WHERE gid = $1 AND branch_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [gid, branchId],
  );
  if (!head) return null;
  const lines = await queryRows(
    tx,
    `SELECT rl.line_no, rl.sku, rl.location_id, rl.owner_id, o.type AS owner_type, rl.quantity, rl.quota_units
       FROM reservation_lines rl JOIN owners o ON o.id = rl.owner_id
      WHERE rl.gid = $1 AND rl.branch_id = $2 ORDER BY rl.line_no, rl.location_id, rl.owner_id`,
    [gid, branchId],
  );
  return {
    gid,
    branchId,
    channel: String(head.channel),
    status: head.status as ReservationStatus,
    deadline: new Date(head.deadline as string),
    reasons: (head.reasons as LineReason[] | null) ?? [],
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      sku: String(l.sku),
      locationId: String(l.location_id),
      ownerId: String(l.owner_id),
      ownerType: l.owner_type === 'consignor' ? 'consignor' : 'retailer',
      quantity: Number(l.quantity),
      quotaUnits: Number(l.quota_units),
    })),
  };
}

/** Moves a reservation to a final status. */
export async function setReservationStatus(tx: SqlExecutor, gid: string, branchId: string, status: ReservationStatus, releaseReason: string | null = null): Promise<void> {
  await queryRows(
    tx,
    `WITH u AS (UPDATE reservations SET status = $3, release_reason = coalesce($4, release_reason), updated_at = now()
                 WHERE gid = $1 AND branch_id = $2 RETURNING 1) SELECT count(*) FROM u`,
    [gid, branchId, status, releaseReason],
  );
}

/** Gives units back to dedicated channel quotas (on release of a dedicated-channel reservation). */
export async function restoreQuota(tx: SqlExecutor, channel: string, units: ReadonlyMap<string, number>): Promise<void> {
  const entries = [...units].filter(([, n]) => n > 0);
  if (entries.length === 0) return;
  await queryRows(
    tx,
    `WITH u AS (UPDATE channel_allocations c SET quota_remaining = c.quota_remaining + d.units, updated_at = now()
                  FROM unnest($2::text[], $3::int[]) AS d(sku, units) WHERE c.sku = d.sku AND c.channel = $1 AND c.mode = 'dedicated' RETURNING 1)
     SELECT count(*) FROM u`,
    [channel, entries.map(([s]) => s), entries.map(([, n]) => n)],
  );
}
