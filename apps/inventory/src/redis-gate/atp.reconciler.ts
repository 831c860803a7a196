import { Pool } from 'pg';
import { loadSkuStatesFast } from '../reservation/try-batch.writer';
import { sqlRows } from '../stock/sql-runner';
import { skuChangeOf } from '../stock/stock-ledger';
import { AtpCache, AtpSnapshot } from './atp-cache';

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
  constructor(
    private readonly pool: Pool,
    private readonly cache: AtpCache,
    private readonly activeChannels: readonly string[] = [],
    private readonly batchSize = 500,
  ) {}

  /** Rebuilds the cache of every SKU (start-up). */
  rebuildAll(): Promise<ReconcileReport> {
    return this.pass(true);
  }

  /** Rebuilds SKUs whose cached version is missing or older than Postgres'. */
  reconcile(): Promise<ReconcileReport> {
    return this.pass(false);
  }

  /** Rebuilds the given SKUs now (after a gate miss). */
  async rebuild(skus: readonly string[]): Promise<number> {
    if (skus.length === 0) return 0;
    const states = await loadSkuStatesFast(this.pool, skus, false);
    return this.cache.write([...states.values()].map((s) => snapshotOfState(s, this.activeChannels)));
  }

  private async pass(force: boolean): Promise<ReconcileReport> {
    let after = '';
    let checked = 0;
    let rebuilt = 0;
    for (;;) {
      const rows = await sqlRows(this.pool, `SELECT sku, version FROM sku_stock WHERE sku > $1 ORDER BY sku LIMIT $2`, [after, this.batchSize]);
      if (rows.length === 0) break;
      after = String(rows[rows.length - 1].sku);
      checked += rows.length;
      const cached = force ? new Map<string, number>() : await this.cache.versions(rows.map((r) => String(r.sku)));
      const stale = rows.filter((r) => force || (cached.get(String(r.sku)) ?? 0) < Number(r.version)).map((r) => String(r.sku));
      rebuilt += stale.length > 0 ? (await this.rebuild(stale), stale.length) : 0;
    }
    return { checked, rebuilt };
  }
}

function snapshotOfState(state: Parameters<typeof skuChangeOf>[0], activeChannels: readonly string[]): AtpSnapshot {
  const change = skuChangeOf(state, new Map(), new Map(), activeChannels);
  return { sku: change.sku, version: change.version, channels: change.atp };
}
