import { queryRows as rows } from '@omni/sql';
import { SqlExecutor } from './sql-executor';

/** The three phases of a TCC branch. */
export type TccOp = 'try' | 'confirm' | 'cancel';

/** Identifies one phase of one branch of one global transaction. */
export interface TccBranchRef {
  gid: string;
  branchId: string;
  op: TccOp;
}

/** Why a phase was refused without running the handler. */
export type TccRefusalCode =
  /** Confirm before any Try committed: the coordinator should retry later. */
  | 'BRANCH_NOT_TRIED'
  /** Confirm after Cancel (or after a Try that was suspended by a Cancel): final. */
  | 'BRANCH_CANCELLED'
  /** Cancel after Confirm: final; the coordinator must not compensate a confirmed branch. */
  | 'BRANCH_CONFIRMED'
  /** Confirm of a branch whose Try the participant refused (its handler said `TRY_REFUSED`): final. */
  | 'BRANCH_REJECTED';

/** What each refusal tells the coordinator, for the reasons of a participant's reply. */
export const TCC_REFUSAL_MESSAGES: Readonly<Record<TccRefusalCode, string>> = {
  BRANCH_NOT_TRIED: 'no Try has been recorded for this branch yet',
  BRANCH_CANCELLED: 'the branch is cancelled',
  BRANCH_CONFIRMED: 'the branch is confirmed and can no longer be cancelled',
  BRANCH_REJECTED: 'the Try of this branch was refused',
};

/**
 * What a Confirm handler returns, having written nothing, when it finds that the branch's Try was
 * refused (a Try is recorded in the barrier whether it reserved or not): `runTccBranch` then takes
 * back the Confirm's barrier row and answers `BRANCH_REJECTED`, so a refused branch stays as its Try
 * left it (a later Cancel is still accepted). The handler learns it from the write it does anyway
 * (an update of a `tried` row that matched none), so the common Confirm reads nothing before it.
 */
export const TRY_REFUSED: unique symbol = Symbol('tcc.try-refused');

/** What the barrier decided for one delivery of a phase. */
export type TccBranchOutcome<T> =
  /** First delivery: the handler ran inside the caller's transaction. */
  | { status: 'applied'; value: T }
  /** The same phase was already recorded: no second effect. */
  | { status: 'duplicate' }
  /** A Try arriving after its Cancel: it does nothing (no suspension). */
  | { status: 'suspended' }
  /** A Cancel with no Try before it: recorded, nothing to undo (empty rollback). */
  | { status: 'empty-rollback' }
  /** The phase is not allowed in the branch's state; `retryable` tells the coordinator whether to try again. */
  | { status: 'refused'; code: TccRefusalCode; retryable: boolean };

/** Marks a try row written by a Cancel that found no Try, so a late Try is refused. */
export const TCC_TOMBSTONE = 'tombstone';

/** Name of the barrier table every participant database holds. */
export const TCC_BARRIER_TABLE = 'tcc_barrier';

/**
 * The barrier table as a dedupe table for the platform's retention sweep. Deleting a row is safe
 * once no command of its branch can still arrive: every Try carries a deadline after which it is
 * refused anyway, and Confirm and Cancel act on the branch's own state.
 */
export const TCC_BARRIER_RETENTION = { name: 'tcc-barrier', table: TCC_BARRIER_TABLE, column: 'created_at' } as const;


const INSERT = `INSERT INTO ${TCC_BARRIER_TABLE} (gid, branch_id, op, reason) VALUES ($1, $2, $3, $4)
  ON CONFLICT (gid, branch_id, op) DO NOTHING RETURNING op`;
const LOCK_TRY = `SELECT reason FROM ${TCC_BARRIER_TABLE} WHERE gid = $1 AND branch_id = $2 AND op = 'try' FOR UPDATE`;
const PHASES = `SELECT op, reason FROM ${TCC_BARRIER_TABLE} WHERE gid = $1 AND branch_id = $2`;
// The phase `$3` unless the branch has the phase `$4`: a Confirm unless cancelled, a Cancel unless
// confirmed. Run under the Try row's lock, which every Confirm and Cancel of the branch takes first,
// so the check and the insert see the branch as it stands.
const INSERT_UNLESS = `WITH blocked AS (SELECT 1 FROM ${TCC_BARRIER_TABLE} WHERE gid = $1 AND branch_id = $2 AND op = $4),
  ins AS (INSERT INTO ${TCC_BARRIER_TABLE} (gid, branch_id, op, reason) SELECT $1, $2, $3, NULL WHERE NOT EXISTS (SELECT 1 FROM blocked)
    ON CONFLICT (gid, branch_id, op) DO NOTHING RETURNING op)
  SELECT EXISTS (SELECT 1 FROM blocked) AS blocked, EXISTS (SELECT 1 FROM ins) AS inserted`;
// Takes back the Confirm row this transaction inserted (see TRY_REFUSED).
const FORGET_CONFIRM = `DELETE FROM ${TCC_BARRIER_TABLE} WHERE gid = $1 AND branch_id = $2 AND op = 'confirm'`;

async function insert(tx: SqlExecutor, gid: string, branchId: string, op: TccOp, reason: string | null): Promise<boolean> {
  return (await rows(tx, INSERT, [gid, branchId, op, reason])).length === 1;
}

/** Inserts phase `op` unless the branch has phase `unless` (one statement; see INSERT_UNLESS). */
async function insertUnless(tx: SqlExecutor, gid: string, branchId: string, op: TccOp, unless: TccOp): Promise<{ blocked: boolean; inserted: boolean }> {
  const [row] = await rows(tx, INSERT_UNLESS, [gid, branchId, op, unless]);
  return { blocked: row.blocked === true, inserted: row.inserted === true };
}

async function phases(tx: SqlExecutor, gid: string, branchId: string): Promise<Map<string, string | null>> {
  const found = await rows(tx, PHASES, [gid, branchId]);
  return new Map(found.map((r) => [String(r.op), (r.reason as string | null) ?? null]));
}

/**
 * Runs one TCC phase behind the barrier, inside the caller's transaction (which must be READ
 * COMMITTED, Postgres' default: each statement must see phases committed while it waited).
 *
 * - Try: insert-first; a conflict means a duplicate, or a suspension when a Cancel left a tombstone.
 * - Cancel: writes the Try tombstone first; if that succeeds there was no Try (empty rollback).
 *   Otherwise it locks the Try row (serialising against Confirm), refuses after a Confirm, skips a
 *   duplicate, and runs the compensation.
 * - Confirm: locks the Try row; refuses when there is none (retry later) or it was cancelled;
 *   skips a duplicate; otherwise runs the handler. A handler that returns `TRY_REFUSED` (the Try
 *   was refused) has its Confirm row taken back, and the Confirm is refused (`BRANCH_REJECTED`).
 *
 * When the handler throws, the caller's transaction must roll back, taking the barrier row with it.
 */
export async function runTccBranch<T>(
  tx: SqlExecutor,
  ref: TccBranchRef,
  handler: (tx: SqlExecutor) => Promise<T | typeof TRY_REFUSED>,
): Promise<TccBranchOutcome<T>> {
  const { gid, branchId, op } = ref;
  if (!gid || !branchId) throw new TypeError('runTccBranch: gid and branchId are required');
  /** The handler of a Try or a Cancel, which has no TRY_REFUSED to answer. */
  const run = async (): Promise<T> => {
    const value = await handler(tx);
    if (value === TRY_REFUSED) throw new TypeError(`runTccBranch: only a Confirm handler may answer TRY_REFUSED (got it from ${op})`);
    return value;
  };
  switch (op) {
    case 'try': {
      if (await insert(tx, gid, branchId, 'try', null)) return { status: 'applied', value: await run() };
      const seen = await phases(tx, gid, branchId);
      return seen.get('try') === TCC_TOMBSTONE ? { status: 'suspended' } : { status: 'duplicate' };
    }
    case 'cancel': {
      if (await insert(tx, gid, branchId, 'try', TCC_TOMBSTONE)) {
        await insert(tx, gid, branchId, 'cancel', 'empty-rollback');
        return { status: 'empty-rollback' };
      }
      // Locked in a statement of its own: one that waited for the lock reads the rest as before the wait.
      await rows(tx, LOCK_TRY, [gid, branchId]);
      const cancel = await insertUnless(tx, gid, branchId, 'cancel', 'confirm');
      if (cancel.blocked) return { status: 'refused', code: 'BRANCH_CONFIRMED', retryable: false };
      if (!cancel.inserted) return { status: 'duplicate' };
      return { status: 'applied', value: await run() };
    }
    case 'confirm': {
      // The Try row locked, then the Confirm row written unless cancelled (the run's path, for one).
      const [claim] = await claimConfirms(tx, [{ gid, branchId }]);
      if (claim.status !== 'claimed') return claim;
      const value = await handler(tx);
      if (value !== TRY_REFUSED) return { status: 'applied', value };
      // Still under the Try row's lock: no other phase of the branch saw the row.
      await tx.query(FORGET_CONFIRM, [gid, branchId]);
      return { status: 'refused', code: 'BRANCH_REJECTED', retryable: false };
    }
    default: {
      const never: never = op;
      throw new TypeError(`runTccBranch: unknown op '${String(never)}'`);
    }
  }
}

/** What the barrier decided for one Confirm of a run (see `claimConfirms`). */
export type TccConfirmClaim =
  /** First delivery: its row is written; the caller applies the Confirm in the same transaction. */
  | { status: 'claimed' }
  | { status: 'duplicate' }
  | { status: 'refused'; code: TccRefusalCode; retryable: boolean };

const LOCK_TRIES = `SELECT b.gid, b.branch_id, b.reason FROM ${TCC_BARRIER_TABLE} b
  JOIN unnest($1::text[], $2::text[]) AS x(gid, branch_id) ON b.gid = x.gid AND b.branch_id = x.branch_id
  WHERE b.op = 'try' ORDER BY b.gid, b.branch_id FOR UPDATE OF b`;
// INSERT_UNLESS for many branches: the Confirm of each unless it has a Cancel.
const INSERT_CONFIRMS = `WITH x AS (SELECT * FROM unnest($1::text[], $2::text[]) AS x(gid, branch_id)),
  blocked AS (SELECT x.gid, x.branch_id FROM x JOIN ${TCC_BARRIER_TABLE} b ON b.gid = x.gid AND b.branch_id = x.branch_id AND b.op = 'cancel'),
  ins AS (INSERT INTO ${TCC_BARRIER_TABLE} (gid, branch_id, op, reason)
    SELECT x.gid, x.branch_id, 'confirm', NULL FROM x WHERE NOT EXISTS (SELECT 1 FROM blocked k WHERE k.gid = x.gid AND k.branch_id = x.branch_id)
    ORDER BY x.gid, x.branch_id ON CONFLICT (gid, branch_id, op) DO NOTHING RETURNING gid, branch_id)
  SELECT x.gid, x.branch_id, EXISTS (SELECT 1 FROM blocked k WHERE k.gid = x.gid AND k.branch_id = x.branch_id) AS blocked,
    EXISTS (SELECT 1 FROM ins i WHERE i.gid = x.gid AND i.branch_id = x.branch_id) AS inserted FROM x`;

/**
 * The barrier's half of `runTccBranch` for the Confirms of a run of commands, in two statements
 * whatever its length: the branches' Try rows locked (in gid order, as every batch locks them),
 * then the Confirm rows written unless cancelled. A claim per branch, in order; a branch named
 * twice is claimed once, and its repeats are told `duplicate`. The caller applies every claimed
 * Confirm in the same transaction (or fails it, taking the rows back); one that finds its Try
 * refused must take the one-at-a-time path (`runTccBranch` with `TRY_REFUSED`).
 */
export async function claimConfirms(tx: SqlExecutor, branches: ReadonlyArray<{ gid: string; branchId: string }>): Promise<TccConfirmClaim[]> {
  const unique = [...new Map(branches.map((b) => [branchKey(b), b])).values()];
  const cols = (list: ReadonlyArray<{ gid: string; branchId: string }>) => [list.map((b) => b.gid), list.map((b) => b.branchId)];
  // Locked in a statement of its own: one that waited for a lock reads the rest as before the wait.
  const tried = new Map((await rows(tx, LOCK_TRIES, cols(unique))).map((r) => [branchKey({ gid: String(r.gid), branchId: String(r.branch_id) }), r.reason]));
  const claims = new Map<string, TccConfirmClaim>();
  const open: Array<{ gid: string; branchId: string }> = [];
  for (const b of unique) {
    const key = branchKey(b);
    if (!tried.has(key)) claims.set(key, { status: 'refused', code: 'BRANCH_NOT_TRIED', retryable: true });
    else if (tried.get(key) === TCC_TOMBSTONE) claims.set(key, { status: 'refused', code: 'BRANCH_CANCELLED', retryable: false });
    else open.push(b);
  }
  if (open.length > 0) {
    for (const r of await rows(tx, INSERT_CONFIRMS, cols(open))) {
      const key = branchKey({ gid: String(r.gid), branchId: String(r.branch_id) });
      if (r.blocked === true) claims.set(key, { status: 'refused', code: 'BRANCH_CANCELLED', retryable: false });
      else claims.set(key, r.inserted === true ? { status: 'claimed' } : { status: 'duplicate' });
    }
  }
  const seen = new Set<string>();
  return branches.map((b) => {
    const key = branchKey(b);
    const claim = claims.get(key)!;
    if (seen.has(key) && claim.status === 'claimed') return { status: 'duplicate' };
    seen.add(key);
    return claim;
  });
}

/** The key `branchesWithTry` reports a branch under. */
export function branchKey(branch: { gid: string; branchId: string }): string {
  return `${branch.gid}/${branch.branchId}`;
}

/**
 * Which of `branches` already have a Try row in the barrier (a Try applied, or the tombstone a
 * Cancel left), as `branchKey`s, in one read: a participant that answers some commands without the
 * barrier (a cache refusal) leaves these to it, so a repeated Try still gets its first answer.
 */
export async function branchesWithTry(tx: SqlExecutor, branches: ReadonlyArray<{ gid: string; branchId: string }>): Promise<Set<string>> {
  if (branches.length === 0) return new Set();
  const found = await rows(
    tx,
    `SELECT b.gid, b.branch_id FROM unnest($1::text[], $2::text[]) AS x(gid, branch_id)
       JOIN ${TCC_BARRIER_TABLE} b ON b.gid = x.gid AND b.branch_id = x.branch_id AND b.op = 'try'`,
    [branches.map((b) => b.gid), branches.map((b) => b.branchId)],
  );
  return new Set(found.map((r) => branchKey({ gid: String(r.gid), branchId: String(r.branch_id) })));
}

/**
 * The barrier's half of a reply when the handler's own result is not needed: a suspended Try did
 * not reserve anything, so it is a failure; a refused phase is a retry or a failure.
 */
export function barrierReply(outcome: TccBranchOutcome<unknown>): 'success' | 'failure' | 'retry' {
  if (outcome.status === 'refused') return outcome.retryable ? 'retry' : 'failure';
  if (outcome.status === 'suspended') return 'failure';
  return 'success';
}
