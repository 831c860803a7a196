import { queryRows } from '@omni/sql';
import type { SqlExecutor } from '../barrier/sql-executor';
import type { HeldBranch } from './held-branch.resolver';

/** Where a participant keeps its held branches: its own table, keyed by (gid, branch_id). */
export interface HeldBranchTableOptions {
  /** The participant's table (e.g. reservations, quote_locks). */
  table: string;
  /** The status of a branch that is Tried and holds something (e.g. 'tried', 'locked'). */
  heldStatus: string;
}

/** Column the resolver schedules its next look in; until first set, the branch's deadline counts. */
export const HELD_BRANCH_CHECK_COLUMN = 'check_at';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const STATUS = /^[a-z_]+$/;

function checked(options: HeldBranchTableOptions): HeldBranchTableOptions {
  if (!IDENTIFIER.test(options.table)) throw new TypeError(`not a table name: ${options.table}`);
  if (!STATUS.test(options.heldStatus)) throw new TypeError(`not a status: ${options.heldStatus}`);
  return options;
}

/**
 * The migration every participant runs on its held-branch table: a `check_at` column (when the
 * resolver looks next; null until the first look, when the deadline counts) and a partial index on
 * what the resolver scans, held branches by next look.
 */
export function heldBranchCheckDdl(options: HeldBranchTableOptions): string[] {
  const { table, heldStatus } = checked(options);
  return [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${HELD_BRANCH_CHECK_COLUMN} timestamptz`,
    `CREATE INDEX IF NOT EXISTS ${table}_held_check_idx ON ${table} ((COALESCE(${HELD_BRANCH_CHECK_COLUMN}, deadline))) WHERE status = '${heldStatus}'`,
  ];
}

/** Undoes `heldBranchCheckDdl`. */
export function heldBranchCheckDownDdl(options: HeldBranchTableOptions): string[] {
  const { table } = checked(options);
  return [`DROP INDEX IF EXISTS ${table}_held_check_idx`, `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${HELD_BRANCH_CHECK_COLUMN}`];
}

/**
 * The scheduling half of a participant's HeldBranchStore, over its own table (the participant adds
 * `cancel`). Each method is one statement on its own (autocommit): a claim takes due rows with
 * FOR UPDATE SKIP LOCKED and moves their next look at once, so replicas never ask about the same
 * branch together, and a row a Confirm or Cancel has locked is simply skipped this time.
 */
export class HeldBranchTable {
  private readonly table: string;
  private readonly heldStatus: string;

  constructor(
    private readonly db: SqlExecutor,
    options: HeldBranchTableOptions,
  ) {
    ({ table: this.table, heldStatus: this.heldStatus } = checked(options));
  }

  /** Claims up to `limit` held branches due at `now`, moving their next look to `claimUntil`. */
  async claimDue(now: Date, claimUntil: Date, limit: number): Promise<HeldBranch[]> {
    const due = `COALESCE(${HELD_BRANCH_CHECK_COLUMN}, deadline)`;
    const claimed = await queryRows<{ gid: string; branch_id: string }>(
      this.db,
      `WITH due AS (
         SELECT gid, branch_id FROM ${this.table} WHERE status = $1 AND ${due} <= $2 ORDER BY ${due} LIMIT $4 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.table} t SET ${HELD_BRANCH_CHECK_COLUMN} = $3 FROM due WHERE t.gid = due.gid AND t.branch_id = due.branch_id RETURNING t.gid, t.branch_id
       ) SELECT gid, branch_id FROM claimed`,
      [this.heldStatus, now, claimUntil, limit],
    );
    return claimed.map((r) => ({ gid: String(r.gid), branchId: String(r.branch_id) }));
  }

  /** When the next held branch falls due for a look (maybe already), or null when none is held. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await queryRows<{ at: Date | null }>(
      this.db,
      `SELECT min(COALESCE(${HELD_BRANCH_CHECK_COLUMN}, deadline)) AS at FROM ${this.table} WHERE status = $1`,
      [this.heldStatus],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /** Sets the next look of `branches` that still hold to `at`. */
  async recheckAt(branches: readonly HeldBranch[], at: Date): Promise<void> {
    if (branches.length === 0) return;
    await this.db.query(
      `WITH upd AS (UPDATE ${this.table} t SET ${HELD_BRANCH_CHECK_COLUMN} = $4
         FROM unnest($2::text[], $3::text[]) AS b(gid, branch_id)
        WHERE t.gid = b.gid AND t.branch_id = b.branch_id AND t.status = $1 RETURNING t.gid) SELECT count(*) FROM upd`,
      [this.heldStatus, branches.map((b) => b.gid), branches.map((b) => b.branchId), at],
    );
  }
}
