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
  /** Shortest time between scans, ms (default 500): a visit that falls due waits at most this long. */
  intervalMs?: number;
  /**
   * Longest sleep when no visit is due sooner, ms (default 5000): how late the loop may see a visit
   * it was not told of (one scheduled by another replica, or committed after it last looked). The
   * visits this process's coordinator schedules wake it on time.
   */
  maxIdleMs?: number;
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
 * unfinished transaction due and scans at once: after a crash or a restart everything resumes.
 *
 * Between scans it sleeps until the next scheduled visit (read with each scan), or until its
 * coordinator schedules an earlier one, never less than `intervalMs` and never more than
 * `maxIdleMs`: an idle coordinator scans every few seconds instead of twice a second, and a busy one
 * as often as before. A wake-up that is missed (another replica's schedule) costs latency only.
 */
export class TccRecoveryLoop {
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  /** When the timer fires (coordinator clock, epoch ms). */
  private timerAt = Infinity;
  private running?: Promise<void>;
  private scanning = false;
  /** The earliest visit the coordinator scheduled while a scan ran (epoch ms). */
  private wakeDuringScan = Infinity;
  /** The next scheduled visit the last scan read (epoch ms; Infinity when none). */
  private nextVisit = Infinity;
  private unsubscribe?: () => void;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly maxIdleMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: TccRecoveryLoopOptions) {
    this.owner = options.owner ?? `${hostname()}/${process.pid}/${uuidv7().slice(-8)}`;
    this.intervalMs = options.intervalMs ?? 500;
    this.maxIdleMs = Math.max(this.intervalMs, options.maxIdleMs ?? 5000);
    this.leaseMs = options.leaseMs ?? 10_000;
    this.batchSize = options.batchSize ?? 50;
  }

  /** Resumes every unfinished transaction and starts scanning (the first scan at once). */
  async start(): Promise<void> {
    const { coordinator } = this.options;
    await this.options.runInTransaction((tx) => coordinator.sql.resumeAll(tx, coordinator.now));
    this.stopped = false;
    this.unsubscribe = coordinator.onVisitScheduled((at) => this.wakeAt(at.getTime()));
    this.schedule(0);
  }

  /** Stops scanning and waits for the visit in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One scan: lease a batch and visit each; returns how many were visited (tests drive this directly). */
  async tick(): Promise<number> {
    const { coordinator } = this.options;
    const now = coordinator.now;
    const { gids, nextVisit } = await this.options.runInTransaction(async (tx) => {
      const leased = await coordinator.sql.leaseDue(tx, this.owner, now, new Date(now.getTime() + this.leaseMs), this.batchSize);
      // A full batch is scanned again at once; otherwise the loop sleeps until the next visit. The
      // ones leased now are left out: visiting them schedules their next visit (and wakes the loop).
      return { gids: leased, nextVisit: leased.length < this.batchSize ? await coordinator.sql.nextVisitAt(tx, leased) : null };
    });
    // A full batch leaves more behind: the next scan comes after intervalMs at most, as always.
    this.nextVisit = gids.length >= this.batchSize ? -Infinity : (nextVisit?.getTime() ?? Infinity);
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

  /** The coordinator scheduled a visit at `at`: scan then, unless a scan is due sooner. */
  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.wakeDuringScan = Math.min(this.wakeDuringScan, at);
      return;
    }
    // Not sooner than intervalMs: the visit's transaction commits meanwhile (it is told before).
    const delay = Math.max(this.intervalMs, at - this.options.coordinator.now.getTime());
    if (this.options.coordinator.now.getTime() + delay < this.timerAt) this.schedule(delay);
  }

  /** How long to sleep after a scan that visited `visited` transactions. */
  private delayAfter(visited: number): number {
    if (visited >= this.batchSize) return 0;
    const now = this.options.coordinator.now.getTime();
    const next = Math.min(this.nextVisit, this.wakeDuringScan, now + this.maxIdleMs);
    return Math.max(this.intervalMs, next - now);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = this.options.coordinator.now.getTime() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.scanning = true;
      this.wakeDuringScan = Infinity;
      this.running = this.tick()
        .catch((error: unknown) => {
          this.report(error);
          return null;
        })
        .then((visited) => {
          // Decided here, in the same turn as `scanning` ends, so no wake-up falls in between.
          const next = visited === null ? this.intervalMs : this.delayAfter(visited);
          this.scanning = false;
          this.schedule(next);
        });
    }, delay);
    this.timer.unref?.();
  }

  private report(error: unknown, gid?: string): void {
    if (this.options.onError) this.options.onError(error, gid);
    else process.stderr.write(`tcc recovery failed${gid ? ` for ${gid}` : ''}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
