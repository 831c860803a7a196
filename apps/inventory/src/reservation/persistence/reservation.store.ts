import { type SqlExecutor, queryRows } from '@omni/sql';
import { branchKey } from '@omni/tcc';
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

/** A reservation row `r`'s lines, as one json column. */
const LINES_OF_R = `COALESCE((SELECT json_agg(json_build_object('line_no', rl.line_no, 'sku', rl.sku, 'location_id', rl.location_id, 'owner_id', rl.owner_id,
    'owner_type', o.type, 'quantity', rl.quantity, 'quota_units', rl.quota_units) ORDER BY rl.line_no, rl.location_id, rl.owner_id)
  FROM reservation_lines rl JOIN owners o ON o.id = rl.owner_id WHERE rl.gid = r.gid AND rl.branch_id = r.branch_id), '[]'::json)`;

/** Reads a reservation and its lines in one statement. */
export async function findReservation(tx: SqlExecutor, gid: string, branchId: string): Promise<StoredReservation | null> {
  const [row] = await queryRows(
    tx,
    `SELECT r.channel, r.status, r.deadline, r.reasons, ${LINES_OF_R} AS lines FROM reservations r WHERE r.gid = $1 AND r.branch_id = $2`,
    [gid, branchId],
  );
  return row ? storedOf(gid, branchId, row) : null;
}

/**
 * Moves a reservation still `tried` to `to` (with the release reason, if any) and returns it with
 * its lines, in one statement; null when the branch has no reservation or it is no longer tried.
 */
export async function settleReservation(
  tx: SqlExecutor,
  gid: string,
  branchId: string,
  to: Extract<ReservationStatus, 'confirmed' | 'cancelled'>,
  releaseReason: string | null = null,
): Promise<StoredReservation | null> {
  return (await settleReservations(tx, [{ gid, branchId }], to, releaseReason)).get(branchKey({ gid, branchId })) ?? null;
}

/**
 * `settleReservation` of many branches, in one statement: the reservations still `tried` among
 * them, moved to `to` and returned with their lines, by `branchKey`. A branch absent from the
 * result has no reservation or is no longer tried.
 */
export async function settleReservations(
  tx: SqlExecutor,
  branches: ReadonlyArray<{ gid: string; branchId: string }>,
  to: Extract<ReservationStatus, 'confirmed' | 'cancelled'>,
  releaseReason: string | null = null,
): Promise<Map<string, StoredReservation>> {
  if (branches.length === 0) return new Map();
  const found = await queryRows(
    tx,
    `WITH r AS (UPDATE reservations r SET status = $3, release_reason = coalesce($4, r.release_reason), updated_at = now()
                  FROM unnest($1::text[], $2::text[]) AS x(gid, branch_id)
                 WHERE r.gid = x.gid AND r.branch_id = x.branch_id AND r.status = 'tried'
                 RETURNING r.gid, r.branch_id, r.channel, r.status, r.deadline, r.reasons)
     SELECT r.gid, r.branch_id, r.channel, r.status, r.deadline, r.reasons, ${LINES_OF_R} AS lines FROM r`,
    [branches.map((b) => b.gid), branches.map((b) => b.branchId), to, releaseReason],
  );
  return new Map(found.map((row) => [branchKey({ gid: String(row.gid), branchId: String(row.branch_id) }), storedOf(String(row.gid), String(row.branch_id), row)]));
}

function storedOf(gid: string, branchId: string, row: Record<string, unknown>): StoredReservation {
  return {
    gid,
    branchId,
    channel: String(row.channel),
    status: row.status as ReservationStatus,
    deadline: new Date(row.deadline as string),
    reasons: (row.reasons as LineReason[] | null) ?? [],
    lines: (row.lines as Array<Record<string, unknown>>).map((l) => ({
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
