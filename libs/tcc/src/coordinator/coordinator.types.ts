import type { SqlExecutor } from '../barrier/sql-executor';
import type { TccOp } from '../barrier/tcc-barrier';
import type { BranchStatus, GlobalStatus } from './saga-transitions';

/** JSON data a branch carries to its participant (e.g. channel and lines for inventory). */
export type BranchData = Record<string, unknown>;

/** One branch to register: which participant, and the data its Try needs. */
export interface BranchSpec {
  branchId: string;
  participant: string;
  data: BranchData;
}

/** What the coordinator sends to a participant: one phase of one branch. */
export interface TccCommand {
  gid: string;
  branchId: string;
  participant: string;
  op: TccOp;
  /** The global deadline, carried in every command so participants refuse a late Try. */
  deadline: string;
  data: BranchData;
}

/** Outcome of a phase as the participant reports it. */
export type TccReplyOutcome = 'success' | 'failure' | 'retry';

/** A participant's reply to one phase of one branch. */
export interface TccReply {
  gid: string;
  branchId: string;
  op: TccOp;
  outcome: TccReplyOutcome;
  /** Why (per line or per branch); kept on the branch row. */
  reasons?: unknown[];
  /** Anything else the participant answered (e.g. the locations it reserved). */
  detail?: Record<string, unknown>;
}

/** A global transaction as stored. */
export interface GlobalTx {
  gid: string;
  status: GlobalStatus;
  deadline: Date;
  cause: string | null;
  phaseAttempts: number;
  nextAttemptAt: Date;
  /** How long the branches hold once every Try succeeded, ms; null: the deadline set at begin stands. */
  holdMs: number | null;
  /** When the current status began. */
  phaseStartedAt: Date;
}

/** A branch as stored. */
export interface BranchTx {
  gid: string;
  branchId: string;
  participant: string;
  status: BranchStatus;
  data: BranchData;
  reply: { outcome: TccReplyOutcome; reasons: unknown[]; detail?: Record<string, unknown> } | null;
  attempts: number;
}

/**
 * Why a global transaction is being cancelled: a Try failed; every Try held but no decision came
 * by the deadline ('deadline'); the Tries were not all answered by the deadline ('not-decided');
 * or the application asked.
 */
export type CancelCause = 'try-failed' | 'deadline' | 'not-decided' | 'requested';

/**
 * The coordinator's answer to a participant asking about a branch it holds past its deadline.
 * 'unknown': no such global transaction (it never committed, since its Try commands commit with it).
 */
export interface TccStatusAnswer {
  gid: string;
  status: GlobalStatus | 'unknown';
  /** The current deadline (ISO-8601), when the transaction exists. */
  deadline?: string;
  /** Why it is cancelling or cancelled. */
  cause?: string;
}

/**
 * Tells the coordinator whether its commands are stuck on the way to the broker. While they are
 * (the broker is unreachable, or the relay is far behind), a resend would only queue behind the
 * original and reach the participant as a second copy once the broker is back.
 */
export interface TccTransportProbe {
  /** True while commands written now would wait behind a backlog. */
  isBacklogged(tx: SqlExecutor): Promise<boolean>;
}

/**
 * The application's side of a saga: called inside the coordinator's transaction, so the
 * application's own state change (and its events) commit with the saga's.
 */
export interface TccSagaListener {
  /** Every Try succeeded: the reservation holds until the deadline. */
  onPrepared?(tx: SqlExecutor, global: GlobalTx, branches: BranchTx[]): Promise<void>;
  /** The saga started cancelling (a Try failed, the deadline passed, or the application asked). */
  onCancelling?(tx: SqlExecutor, global: GlobalTx, cause: CancelCause, branches: BranchTx[]): Promise<void>;
  /** Every Confirm succeeded. */
  onConfirmed?(tx: SqlExecutor, global: GlobalTx): Promise<void>;
  /** Every Cancel succeeded. */
  onCancelled?(tx: SqlExecutor, global: GlobalTx): Promise<void>;
  /** The policy gave up on a phase; a human must resolve it. */
  onNeedsAttention?(tx: SqlExecutor, global: GlobalTx, why: string): Promise<void>;
}

/** Counters and logs the coordinator reports; the Nest adapter maps them to Prometheus and pino. */
export interface TccCoordinatorObserver {
  /** A Confirm/Cancel/Try was sent again by the recovery loop. */
  resent?(participant: string, op: TccOp): void;
  /** A phase has failed `attempts` times (at the threshold and every time after). */
  alert?(gid: string, op: TccOp, attempts: number, detail: string): void;
  /** A global transaction reached a final status. */
  finished?(status: GlobalStatus): void;
  /** A reply that matched no allowed transition (duplicate, stale or out of order) was ignored. */
  ignoredReply?(reply: TccReply, why: string): void;
}

/** How the coordinator retries and when, if ever, it gives up. */
export interface TccRetryPolicy {
  /** First resend delay of a phase, ms (default 1000). */
  initialMs: number;
  /** Cap of the exponential backoff, ms (default 60000). */
  maxMs: number;
  /** Failures of Confirm/Cancel before the alert metric and log (default 5). */
  alertAfter: number;
  /** Time in confirming or cancelling before the alert metric and log, ms (default 60000). */
  alertAfterMs: number;
  /**
   * Attempts after which a Confirm/Cancel phase goes to needs_attention; undefined = retry forever
   * (the default: needs_attention happens only by explicit policy).
   */
  giveUpAfter?: number;
}

/** Default retry policy: capped exponential backoff, alert after 5, never give up. */
export const DEFAULT_TCC_RETRY_POLICY: TccRetryPolicy = Object.freeze({ initialMs: 1000, maxMs: 60_000, alertAfter: 5, alertAfterMs: 60_000 });
