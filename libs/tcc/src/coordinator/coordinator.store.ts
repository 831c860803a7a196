import { queryRows as rows, type SqlRow } from '@omni/sql';
import type { SqlExecutor } from '../barrier/sql-executor';
import { TCC_BRANCH_TABLE, TCC_GLOBAL_TABLE } from './coordinator.migration';
import type { BranchSpec, BranchTx, GlobalTx } from './coordinator.types';
import { ACTIVE_GLOBAL_STATUSES, BranchStatus, GlobalStatus } from './saga-transitions';

type Row = SqlRow;

function toGlobal(r: Row): GlobalTx {
  return {
    gid: String(r.gid),
    status: r.status as GlobalStatus,
    deadline: new Date(r.deadline as string),
    cause: (r.cause as string | null) ?? null,
    phaseAttempts: Number(r.phase_attempts),
    nextAttemptAt: new Date(r.next_attempt_at as string),
    holdMs: r.hold_ms === null || r.hold_ms === undefined ? null : Number(r.hold_ms),
    phaseStartedAt: new Date((r.phase_started_at ?? r.next_attempt_at) as string),
  };
}

function toBranch(r: Row): BranchTx {
  return {
    gid: String(r.gid),
    branchId: String(r.branch_id),
    participant: String(r.participant),
    status: r.status as BranchStatus,
    data: r.data as BranchTx['data'],
    reply: (r.reply as BranchTx['reply']) ?? null,
    attempts: Number(r.attempts),
  };
}

// Named rather than `*`: a statement whose columns are `*` changes shape when a migration adds a
// column, which a prepared statement (the services prepare theirs) cannot survive.
const GLOBAL_COLUMNS = 'gid, status, deadline, cause, phase_attempts, next_attempt_at, hold_ms, phase_started_at';
const BRANCH_COLUMNS = 'gid, branch_id, participant, status, data, reply, attempts';

/** Told the time of every recovery visit a statement schedules for an unfinished transaction (the transaction may still roll back). */
export type VisitScheduled = (at: Date) => void;

const isActive = (status: GlobalStatus): boolean => ACTIVE_GLOBAL_STATUSES.includes(status);

/** Branch specs as the jsonb the insert statements read. */
const branchesJson = (branches: readonly BranchSpec[]): string =>
  JSON.stringify(branches.map((b) => ({ branch_id: b.branchId, participant: b.participant, data: b.data })));

/**
 * A branch's move from one status to another, storing the participant's reply (null: keep the
 * stored one), decided at `at` under its saga's lock.
 */
export interface BranchMove {
  gid: string;
  branchId: string;
  from: BranchStatus;
  to: BranchStatus;
  reply: BranchTx['reply'];
  at: Date;
}

/** The saga's move that follows a branch's (see `casBranchThenGlobal`); the deadline moves too when given. */
export interface SagaMoveAfterBranch {
  from: readonly GlobalStatus[];
  to: GlobalStatus;
  nextAttemptAt: Date;
  deadline?: Date;
}

/** What a move sets, over `t` (the branch row) and `m` (the move); the attempt count restarts with a new status. */
const MOVE_SET = `status = m.to_status, reply = COALESCE(m.reply, t.reply), updated_at = m.at,
  attempts = CASE WHEN t.status = m.to_status THEN t.attempts ELSE 1 END`;

/** The columns of `moves` after the gid: branch id, from, to, reply (jsonb text), at. */
function moveColumns(moves: readonly BranchMove[]): unknown[] {
  return [
    moves.map((m) => m.branchId),
    moves.map((m) => m.from),
    moves.map((m) => m.to),
    moves.map((m) => (m.reply === null ? null : JSON.stringify(m.reply))),
    moves.map((m) => m.at),
  ];
}

/** SQL of the coordinator's tables; every method runs in the caller's transaction. */
export class CoordinatorStore {
  constructor(private readonly scheduled: VisitScheduled = () => undefined) {}

  /**
   * Inserts a global transaction in 'trying' (with its hold window, if any) and its branches, in
   * one statement; false (and no branch written) when the gid already exists.
   */
  async insertGlobal(
    tx: SqlExecutor,
    gid: string,
    deadline: Date,
    now: Date,
    nextAttemptAt: Date,
    holdMs: number | null,
    branches: readonly BranchSpec[],
  ): Promise<boolean> {
    const found = await rows(
      tx,
      `WITH ins AS (INSERT INTO ${TCC_GLOBAL_TABLE} (gid, status, deadline, next_attempt_at, created_at, updated_at, hold_ms, phase_started_at)
         VALUES ($1, 'trying', $2, $3, $4, $4, $5, $4) ON CONFLICT (gid) DO NOTHING RETURNING gid
       ), b AS (INSERT INTO ${TCC_BRANCH_TABLE} (gid, branch_id, participant, status, data, attempts, updated_at)
         SELECT ins.gid, b.branch_id, b.participant, 'trying', b.data, 1, $4
         FROM ins, jsonb_to_recordset($6::jsonb) AS b(branch_id text, participant text, data jsonb) RETURNING 1
       ) SELECT gid, (SELECT count(*) FROM b)::int AS branches FROM ins`,
      [gid, deadline, nextAttemptAt, now, holdMs, branchesJson(branches)],
    );
    if (found.length === 1) this.scheduled(nextAttemptAt);
    return found.length === 1;
  }

  /** Inserts branches in 'trying' (one statement for all). */
  async insertBranches(tx: SqlExecutor, gid: string, branches: readonly BranchSpec[], now: Date): Promise<void> {
    if (branches.length === 0) return;
    await tx.query(
      `INSERT INTO ${TCC_BRANCH_TABLE} (gid, branch_id, participant, status, data, attempts, updated_at)
       SELECT $1, b.branch_id, b.participant, 'trying', b.data, 1, $3
       FROM jsonb_to_recordset($2::jsonb) AS b(branch_id text, participant text, data jsonb)`,
      [gid, branchesJson(branches), now],
    );
  }

  /** Locks and reads a global transaction (serialises replies, recovery and application calls per gid). */
  async lockGlobal(tx: SqlExecutor, gid: string): Promise<GlobalTx | null> {
    const found = await rows(tx, `SELECT ${GLOBAL_COLUMNS} FROM ${TCC_GLOBAL_TABLE} WHERE gid = $1 FOR UPDATE`, [gid]);
    return found.length ? toGlobal(found[0]) : null;
  }

  /**
   * Locks the global rows of `gids` in one statement, in gid order (two callers locking overlapping
   * sets never wait on each other crosswise); returns the gids that exist.
   */
  async lockGlobals(tx: SqlExecutor, gids: readonly string[]): Promise<Set<string>> {
    const found = await rows(tx, `SELECT gid FROM ${TCC_GLOBAL_TABLE} WHERE gid = ANY($1::text[]) ORDER BY gid FOR UPDATE`, [gids]);
    return new Set(found.map((r) => String(r.gid)));
  }

  /**
   * A global transaction and its branches (in branch id order) in one statement, for a caller that
   * already holds the global row's lock (`lockGlobals`). Every branch changes under that lock, so
   * one snapshot, taken after the lock was granted, reads both as they are. Without the lock held,
   * use `lockGlobal` then `branches`: a statement that waits for the lock reads the rest of its rows
   * as they were before the wait.
   */
  async lockedWithBranches(tx: SqlExecutor, gid: string): Promise<{ global: GlobalTx; branches: BranchTx[] } | null> {
    return (await this.lockedWithBranchesOf(tx, [gid])).get(gid) ?? null;
  }

  /** `lockedWithBranches` of several global transactions, all locked by the caller, in one statement; by gid (absent ones left out). */
  async lockedWithBranchesOf(tx: SqlExecutor, gids: readonly string[]): Promise<Map<string, { global: GlobalTx; branches: BranchTx[] }>> {
    const found = await rows(
      tx,
      `SELECT ${GLOBAL_COLUMNS},
         (SELECT COALESCE(json_agg(b ORDER BY b.branch_id), '[]'::json) FROM (SELECT ${BRANCH_COLUMNS} FROM ${TCC_BRANCH_TABLE} WHERE gid = g.gid) b) AS branches
       FROM ${TCC_GLOBAL_TABLE} g WHERE gid = ANY($1::text[])`,
      [gids],
    );
    return new Map(found.map((row) => [String(row.gid), { global: toGlobal(row), branches: (row.branches as Row[]).map(toBranch) }]));
  }

  /** Reads a global transaction without locking. */
  async findGlobal(tx: SqlExecutor, gid: string): Promise<GlobalTx | null> {
    const found = await rows(tx, `SELECT ${GLOBAL_COLUMNS} FROM ${TCC_GLOBAL_TABLE} WHERE gid = $1`, [gid]);
    return found.length ? toGlobal(found[0]) : null;
  }

  /** Branches of a global transaction in branch id order. */
  async branches(tx: SqlExecutor, gid: string): Promise<BranchTx[]> {
    return (await rows(tx, `SELECT ${BRANCH_COLUMNS} FROM ${TCC_BRANCH_TABLE} WHERE gid = $1 ORDER BY branch_id`, [gid])).map(toBranch);
  }

  /**
   * Compare-and-set of the global status: moves only from one of `from`; returns false otherwise.
   * Resets the phase attempt counter and schedules the next recovery visit.
   */
  async casGlobal(tx: SqlExecutor, gid: string, from: readonly GlobalStatus[], to: GlobalStatus, now: Date, nextAttemptAt: Date, cause?: string): Promise<boolean> {
    const found = await rows(
      tx,
      `WITH upd AS (UPDATE ${TCC_GLOBAL_TABLE} SET status = $3, cause = COALESCE($6, cause), phase_attempts = 0,
         next_attempt_at = $5, updated_at = $4, phase_started_at = $4 WHERE gid = $1 AND status = ANY($2::text[]) RETURNING gid) SELECT gid FROM upd`,
      [gid, from, to, now, nextAttemptAt, cause ?? null],
    );
    if (found.length === 1 && isActive(to)) this.scheduled(nextAttemptAt);
    return found.length === 1;
  }

  /**
   * `casGlobal` and, only when the saga moved, the move of its branches in one of `branchFrom` to
   * `branchTo`, in one statement: the decision and the branches it sends commands to. With
   * `readBefore`, also every branch as it was before the move (the statement's snapshot, taken
   * under the global row's lock the caller holds, under which every branch changes). Returns
   * whether the saga moved, the moved branches (branch id order) and, when asked, the earlier ones.
   */
  async casGlobalMovingBranches(
    tx: SqlExecutor,
    gid: string,
    move: { from: readonly GlobalStatus[]; to: GlobalStatus; now: Date; nextAttemptAt: Date; cause?: string },
    branchFrom: readonly BranchStatus[],
    branchTo: BranchStatus,
    readBefore = false,
  ): Promise<{ moved: boolean; branches: BranchTx[]; before: BranchTx[] }> {
    const [found] = await rows(
      tx,
      `WITH g AS (UPDATE ${TCC_GLOBAL_TABLE} SET status = $3, cause = COALESCE($6, cause), phase_attempts = 0,
         next_attempt_at = $5, updated_at = $4, phase_started_at = $4 WHERE gid = $1 AND status = ANY($2::text[]) RETURNING gid
       ), b AS (UPDATE ${TCC_BRANCH_TABLE} SET status = $8, updated_at = $4, attempts = CASE WHEN status = $8 THEN attempts ELSE 1 END
         WHERE gid = $1 AND status = ANY($7::text[]) AND EXISTS (SELECT 1 FROM g) RETURNING ${BRANCH_COLUMNS}
       ) SELECT (SELECT count(*) FROM g)::int AS moved,
           (SELECT COALESCE(json_agg(b ORDER BY b.branch_id), '[]'::json) FROM b) AS branches,
           CASE WHEN $9::boolean THEN (SELECT COALESCE(json_agg(x ORDER BY x.branch_id), '[]'::json)
             FROM (SELECT ${BRANCH_COLUMNS} FROM ${TCC_BRANCH_TABLE} WHERE gid = $1) x) END AS before`,
      [gid, move.from, move.to, move.now, move.nextAttemptAt, move.cause ?? null, branchFrom, branchTo, readBefore],
    );
    const moved = Number(found?.moved) === 1;
    if (moved && isActive(move.to)) this.scheduled(move.nextAttemptAt);
    return {
      moved,
      branches: ((found?.branches as Row[] | null) ?? []).map(toBranch),
      before: ((found?.before as Row[] | null) ?? []).map(toBranch),
    };
  }

  /** Records another attempt of the current phase and when to look again. */
  async reschedule(tx: SqlExecutor, gid: string, phaseAttempts: number, nextAttemptAt: Date, now: Date): Promise<void> {
    await tx.query(
      `WITH upd AS (UPDATE ${TCC_GLOBAL_TABLE} SET phase_attempts = $2, next_attempt_at = $3, updated_at = $4,
         lease_owner = NULL, lease_until = NULL WHERE gid = $1 RETURNING gid) SELECT gid FROM upd`,
      [gid, phaseAttempts, nextAttemptAt, now],
    );
    this.scheduled(nextAttemptAt);
  }

  /**
   * Moves branches decided under their sagas' locks (the caller holds them), in one statement.
   * Returns how many moved: each move names the status its branch is in, so a move that does not
   * match what is stored moves nothing.
   */
  async moveBranches(tx: SqlExecutor, moves: readonly BranchMove[]): Promise<number> {
    if (moves.length === 0) return 0;
    const [found] = await rows(
      tx,
      `WITH b AS (UPDATE ${TCC_BRANCH_TABLE} t SET ${MOVE_SET}
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS m(gid, branch_id, from_status, to_status, reply, at)
         WHERE t.gid = m.gid AND t.branch_id = m.branch_id AND t.status = m.from_status RETURNING 1
       ) SELECT count(*)::int AS moved FROM b`,
      [moves.map((m) => m.gid), ...moveColumns(moves)],
    );
    return Number(found?.moved ?? 0);
  }

  /**
   * Compare-and-set of a branch status (storing the reply) and, only when the branch moved and
   * `then` is given, `casGlobal` (cause kept; the deadline moved to `then.deadline` when given) in
   * one statement; `earlier` moves of the same saga's other branches, decided before it and not
   * written yet, go in the same statement. The caller holds the global row's lock, under which every
   * branch changes, so it can decide `then` from the branches it read after taking the lock.
   * Returns whether `move`'s branch moved, whether the saga did, and how many `earlier` moves did.
   */
  async casBranchThenGlobal(
    tx: SqlExecutor,
    move: BranchMove,
    then?: SagaMoveAfterBranch,
    earlier: readonly BranchMove[] = [],
  ): Promise<{ branch: boolean; global: boolean; earlier: number }> {
    const moves = [...earlier, move];
    if (moves.some((m) => m.gid !== move.gid)) throw new TypeError('casBranchThenGlobal: every move must be of the same saga');
    const found = await rows(
      tx,
      `WITH b AS (UPDATE ${TCC_BRANCH_TABLE} t SET ${MOVE_SET}
         FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS m(branch_id, from_status, to_status, reply, at)
         WHERE t.gid = $1 AND t.branch_id = m.branch_id AND t.status = m.from_status RETURNING t.branch_id
       ), g AS (UPDATE ${TCC_GLOBAL_TABLE} SET status = $9, phase_attempts = 0, next_attempt_at = $10, updated_at = $7,
         phase_started_at = $7, deadline = COALESCE($12::timestamptz, deadline)
         WHERE $8::boolean AND gid = $1 AND status = ANY($11::text[]) AND EXISTS (SELECT 1 FROM b WHERE branch_id = $13) RETURNING gid
       ) SELECT (SELECT count(*) FROM b WHERE branch_id = $13)::int AS b, (SELECT count(*) FROM b WHERE branch_id <> $13)::int AS earlier,
           (SELECT count(*) FROM g)::int AS g`,
      [
        move.gid,
        ...moveColumns(moves),
        move.at,
        then !== undefined,
        then?.to ?? move.to,
        then?.nextAttemptAt ?? move.at,
        then?.from ?? [],
        then?.deadline ?? null,
        move.branchId,
      ],
    );
    const moved = { branch: Number(found[0]?.b) === 1, global: Number(found[0]?.g) === 1, earlier: Number(found[0]?.earlier ?? 0) };
    if (moved.global && then && isActive(then.to)) this.scheduled(then.nextAttemptAt);
    return moved;
  }

  /** Stores a reply that did not move the branch (retry), and counts the attempt. */
  async noteReply(tx: SqlExecutor, gid: string, branchId: string, reply: BranchTx['reply'], now: Date): Promise<void> {
    await tx.query(
      `WITH upd AS (UPDATE ${TCC_BRANCH_TABLE} SET reply = $3::jsonb, attempts = attempts + 1, updated_at = $4
         WHERE gid = $1 AND branch_id = $2 RETURNING gid) SELECT gid FROM upd`,
      [gid, branchId, JSON.stringify(reply), now],
    );
  }

  /**
   * Leases up to `limit` due, unleased (or lease-expired) unfinished transactions for `owner`. SKIP
   * LOCKED lets replicas lease disjoint sets without waiting on each other.
   */
  async leaseDue(tx: SqlExecutor, owner: string, now: Date, leaseUntil: Date, limit: number): Promise<string[]> {
    const found = await rows(
      tx,
      `WITH due AS (
         SELECT gid FROM ${TCC_GLOBAL_TABLE}
         WHERE status = ANY($1::text[]) AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
         ORDER BY next_attempt_at LIMIT $5 FOR UPDATE SKIP LOCKED
       ), upd AS (
         UPDATE ${TCC_GLOBAL_TABLE} g SET lease_owner = $3, lease_until = $4 FROM due WHERE g.gid = due.gid RETURNING g.gid
       ) SELECT gid FROM upd`,
      [ACTIVE_GLOBAL_STATUSES, now, owner, leaseUntil, limit],
    );
    return found.map((r) => String(r.gid));
  }

  /**
   * The earliest visit scheduled for an unfinished transaction other than `except` (those the caller
   * is about to visit), or null when there is none. A leased transaction may be due later than this
   * (when its lease ends), never sooner. Read from the partial index of unfinished transactions
   * (its predicate spelled as in the migration).
   */
  async nextVisitAt(tx: SqlExecutor, except: readonly string[] = []): Promise<Date | null> {
    const found = await rows(
      tx,
      `SELECT min(next_attempt_at) AS at FROM ${TCC_GLOBAL_TABLE}
        WHERE status IN ('trying','prepared','confirming','cancelling') AND NOT (gid = ANY($1::text[]))`,
      [except],
    );
    const at = found[0]?.at;
    return at === null || at === undefined ? null : new Date(at as string);
  }

  /** True when `owner` still holds the lease on `gid` (it may have expired and passed to another replica). */
  async holdsLease(tx: SqlExecutor, gid: string, owner: string): Promise<boolean> {
    const found = await rows(tx, `SELECT 1 FROM ${TCC_GLOBAL_TABLE} WHERE gid = $1 AND lease_owner = $2`, [gid, owner]);
    return found.length === 1;
  }

  /** Makes every unfinished transaction (except those waiting for a decision) due now: start-up resume. */
  async resumeAll(tx: SqlExecutor, now: Date): Promise<number> {
    const found = await rows(
      tx,
      `WITH upd AS (UPDATE ${TCC_GLOBAL_TABLE} SET next_attempt_at = $1
         WHERE status IN ('trying', 'confirming', 'cancelling') AND next_attempt_at > $1 RETURNING gid) SELECT count(*)::int AS n FROM upd`,
      [now],
    );
    return Number(found[0]?.n ?? 0);
  }

  /** Counts of global transactions per status (for tests and the ops console). */
  async countByStatus(tx: SqlExecutor): Promise<Record<string, number>> {
    const found = await rows(tx, `SELECT status, count(*)::int AS n FROM ${TCC_GLOBAL_TABLE} GROUP BY status`, []);
    return Object.fromEntries(found.map((r) => [String(r.status), Number(r.n)]));
  }
}
