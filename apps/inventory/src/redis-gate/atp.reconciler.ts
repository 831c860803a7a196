import { Pool } from 'pg';
import { queryRows } from '@omni/sql';
import { skuChangeOf } from '../stock/stock-ledger';
import { loadSkuStates } from '../stock/stock-reader';
import { AtpCache, AtpSnapshot } from './atp-cache';

/** What started a rebuild: the start-up pass, the periodic drift pass, or named SKUs (after a write or a gate miss). */
export type AtpRebuildTrigger = 'start-up' | 'reconcile' | 'skus';

/** Told how each rebuild of the gate ended (metrics); a full pass that succeeded means Redis matched Postgres then. */
export interface AtpRebuildObserver {
  succeeded(trigger: AtpRebuildTrigger): void;
  failed(trigger: AtpRebuildTrigger, error: unknown): void;
}

const UNOBSERVED: AtpRebuildObserver = { succeeded: () => undefined, failed: () => undefined };

/** Tuning of an AtpReconciler. */
export interface AtpReconcilerOptions {
  /** SKUs read per page of a full pass (default 500). */
  batchSize?: number;
  /** How long rebuildSoon waits, so the rebuild reads what the caller is about to commit (default 50 ms). */
  soonDelayMs?: number;
  /** Told how each rebuild ended (default: nobody). */
  observer?: AtpRebuildObserver;
}

/** Result of one reconciliation pass. */
export interface ReconcileReport {
  checked: number;
  rebuilt: number;
}

/**
 * Keeps Redis in step with Postgres: at start-up every SKU is rebuilt; periodically the cached
 * version of each SKU is compared with sku_stock.version and stale or missing entries are rebuilt
 * from one consistent snapshot (versions can only move forward, so a rebuild never undoes a newer write).
 */
export class AtpReconciler {
  /** SKUs rebuildSoon owes a rebuild: due at `first`, and again at `last` if asked again meanwhile. */
  private readonly dueSoon = new Map<string, { first: number; last: number }>();
  private soonTimer?: NodeJS.Timeout;
  private readonly batchSize: number;
  /** How long rebuildSoon waits, so the rebuild reads what the caller is about to commit. */
  private readonly soonDelayMs: number;
  private readonly observer: AtpRebuildObserver;

  constructor(
    private readonly pool: Pool,
    private readonly cache: AtpCache,
    private readonly activeChannels: readonly string[] = [],
    options: AtpReconcilerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.soonDelayMs = options.soonDelayMs ?? 50;
    this.observer = options.observer ?? UNOBSERVED;
  }

  /** Rebuilds the cache of every SKU (start-up). */
  rebuildAll(): Promise<ReconcileReport> {
    return this.observed('start-up', () => this.pass(true));
  }

  /** Rebuilds SKUs whose cached version is missing or older than Postgres'. */
  reconcile(): Promise<ReconcileReport> {
    return this.observed('reconcile', () => this.pass(false));
  }

  /**
   * Rebuilds `skus` a moment from now, for a caller whose transaction has not committed yet (Redis
   * may only learn committed state). Every SKU is rebuilt at least `soonDelayMs` after each call
   * that named it, and the SKUs due together share one rebuild: one read of Postgres and
   * one write to Redis for all the commands that touched them, so a hot SKU is rebuilt about once
   * per delay rather than once per command. Version stamps make a rebuild that still reads the old
   * state harmless, and the periodic pass repairs what a failed rebuild leaves stale.
   */
  rebuildSoon(skus: Iterable<string>): void {
    // Due times are rounded up to a fifth of the delay, so calls close together share a rebuild.
    const grain = Math.max(1, Math.round(this.soonDelayMs / 5));
    const due = Math.ceil((Date.now() + this.soonDelayMs) / grain) * grain;
    for (const sku of skus) {
      const owed = this.dueSoon.get(sku);
      if (owed) owed.last = due;
      else this.dueSoon.set(sku, { first: due, last: due });
    }
    this.scheduleSoon();
  }

  /** Rebuilds the given SKUs now (after a gate miss). */
  rebuild(skus: readonly string[]): Promise<number> {
    return skus.length === 0 ? Promise.resolve(0) : this.observed('skus', () => this.write(skus));
  }

  /** Runs one rebuild and tells the observer how it ended; the error still reaches the caller. */
  private async observed<T>(trigger: AtpRebuildTrigger, rebuild: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await rebuild();
    } catch (error) {
      this.observer.failed(trigger, error);
      throw error;
    }
    this.observer.succeeded(trigger);
    return result;
  }

  private async write(skus: readonly string[]): Promise<number> {
    const states = await loadSkuStates(this.pool, skus);
    return this.cache.write([...states.values()].map((s) => snapshotOfState(s, this.activeChannels)));
  }

  private scheduleSoon(): void {
    if (this.soonTimer || this.dueSoon.size === 0) return;
    let next = Infinity;
    for (const owed of this.dueSoon.values()) next = Math.min(next, owed.first);
    this.soonTimer = setTimeout(() => this.rebuildDue(), Math.max(0, next - Date.now()));
    this.soonTimer.unref();
  }

  private rebuildDue(): void {
    this.soonTimer = undefined;
    const now = Date.now();
    const skus: string[] = [];
    for (const [sku, owed] of this.dueSoon) {
      if (owed.first > now) continue;
      skus.push(sku);
      // Asked again since this rebuild was scheduled: that call is owed a rebuild of its own.
      if (owed.last > now) owed.first = owed.last;
      else this.dueSoon.delete(sku);
    }
    if (skus.length > 0) this.rebuild(skus).catch(() => undefined);
    this.scheduleSoon();
  }

  private async pass(force: boolean): Promise<ReconcileReport> {
    let after = '';
    let checked = 0;
    let rebuilt = 0;
    for (;;) {
      const rows = await queryRows(this.pool, `SELECT sku, version FROM sku_stock WHERE sku > $1 ORDER BY sku LIMIT $2`, [after, this.batchSize]);
      if (rows.length === 0) break;
      after = String(rows[rows.length - 1].sku);
      checked += rows.length;
      const cached = force ? new Map<string, number>() : await this.cache.versions(rows.map((r) => String(r.sku)));
      const stale = rows.filter((r) => force || (cached.get(String(r.sku)) ?? 0) < Number(r.version)).map((r) => String(r.sku));
      rebuilt += stale.length > 0 ? (await this.write(stale), stale.length) : 0;
    }
    return { checked, rebuilt };
  }
}

function snapshotOfState(state: Parameters<typeof skuChangeOf>[0], activeChannels: readonly string[]): AtpSnapshot {
  const change = skuChangeOf(state, new Map(), new Map(), activeChannels);
  return { sku: change.sku, version: change.version, channels: change.atp };
}
