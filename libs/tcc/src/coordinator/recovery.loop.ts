import { hostname } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import type { SqlExecutor } from '../barrier/sql-executor';
import type { TccCoordinator } from './tcc-coordinator';

/** Runs work in one transaction (commit on resolve, roll back on throw). */
export type TccTransactionRunner = <R>(work: (tx: SqlExecutor) => Promise<R>) => Promise<R>;

/** Options of the recovery loop. */
export interface TccRecoveryLoopOptions {
  coordinator: TccCoordinator;
  runInTransaction: TccTransactionRunner;
  /** Identifies this replica in lease_owner (default hostname/pid/random). */
  owner?: string;
  /** Time between scans when nothing was due, ms (default 500). */
  intervalMs?: number;
  /** How long a lease protects a transaction from other replicas, ms (default 10000). */
  leaseMs?: number;
  /** Transactions leased per scan (default 50). */
  batchSize?: number;
  /** Where failures of a visit are reported (default stderr). */
  onError?: (error: unknown, gid?: string) => void;
}

/**
 * Leases due unfinished global transactions (FOR UPDATE SKIP LOCKED, owner + lease time) so several
 * replicas share the work, and visits each in its own transaction. `start` first makes every
 * unfinished transaction due: after a crash everything resumes.
 */
export class TccRecoveryLoop {
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: TccRecoveryLoopOptions) {
    this.owner = options.owner ?? `${hostname()}/${process.pid}/${uuidv7().slice(-8)}`;
    this.intervalMs = options.intervalMs ?? 500;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.batchSize = options.batchSize ?? 50;
  }

  /** Resumes every unfinished transaction and starts scanning. */
  async start(): Promise<void> {
    const { coordinator } = this.options;
    await this.options.runInTransaction((tx) => coordinator.sql.resumeAll(tx, coordinator.now));
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scanning and waits for the visit in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One scan: lease a batch and visit each; returns how many were visited (tests drive this directly). */
  async tick(): Promise<number> {
    const { coordinator } = this.options;
    const now = coordinator.now;
    const gids = await this.options.runInTransaction((tx) =>
      coordinator.sql.leaseDue(tx, this.owner, now, new Date(now.getTime() + this.leaseMs), this.batchSize),
    );
    let visited = 0;
    for (const gid of gids) {
      try {
        if (await this.options.runInTransaction((tx) => coordinator.recover(tx, gid, this.owner))) visited++;
      } catch (error) {
        this.report(error, gid);
      }
    }
    return visited;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((n) => this.schedule(n >= this.batchSize ? 0 : this.intervalMs))
        .catch((error) => {
          this.report(error);
          this.schedule(this.intervalMs);
        });
    }, delay);
    this.timer.unref?.();
  }

  private report(error: unknown, gid?: string): void {
    if (this.options.onError) this.options.onError(error, gid);
    else process.stderr.write(`tcc recovery failed${gid ? ` for ${gid}` : ''}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
