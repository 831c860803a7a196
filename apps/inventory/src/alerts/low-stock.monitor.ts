import { STOCK_LOW, type StockChangedEvent, type StockLowEvent } from '@omni/contracts';
import { OutboxWriter } from '@omni/messaging';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { evaluateLowStock } from './low-stock.policy';

/** A SKU at a location whose available stock may have changed. */
export interface SkuLocation {
  readonly sku: string;
  readonly locationId: string;
}

/** A SKU's available units at a location right after a change (as stock-changed reports it). */
export interface AvailableAt extends SkuLocation {
  readonly available: number;
}

interface ThresholdRow {
  sku: string;
  location_id: string;
  threshold: number;
  below: boolean;
}

/**
 * Evaluates low-stock thresholds inside the transaction of a stock change, so `stock-low` is
 * written to the outbox exactly once per crossing and commits (or not) with the change. It runs
 * under the SKU lock of the change (LowStockAlertingSink, ThresholdService), so flags never race.
 */
export class LowStockMonitor {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Re-evaluates the thresholds of the given pairs against current levels (summed over owners);
   * used where the caller has no figures of its own (a threshold was just set). Returns the events written.
   */
  async evaluate(tx: SqlExecutor, pairs: readonly SkuLocation[]): Promise<StockLowEvent[]> {
    const list = unique(pairs);
    if (list.length === 0) return [];
    const rows = await queryRows<ThresholdRow & { available: string | number }>(
      tx,
      `SELECT t.sku, t.location_id, t.threshold, t.below,
              COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l
                        WHERE l.sku = t.sku AND l.location_id = t.location_id), 0) AS available
       FROM low_stock_thresholds t
       JOIN unnest($1::text[], $2::uuid[]) AS p(sku, location_id) ON p.sku = t.sku AND p.location_id = t.location_id`,
      [list.map((p) => p.sku), list.map((p) => p.locationId)],
    );
    return this.decide(tx, rows.map((r) => ({ ...r, available: Number(r.available) })));
  }

  /**
   * The same decision from availability the caller already knows (the figures of its
   * stock-changed events), for every stock change through {@link LowStockAlertingSink}. Inside
   * the SKU lock it costs one plain index read (a write only when a flag flips), so the hot
   * reservation path stays short.
   */
  async evaluateAvailable(tx: SqlExecutor, observed: readonly AvailableAt[]): Promise<StockLowEvent[]> {
    // The last figure of a pair is its state at commit.
    const latest = new Map(observed.map((o) => [pairKey(o), o]));
    if (latest.size === 0) return [];
    const list = [...latest.values()];
    // A simple ANY/ANY read plans in a fraction of a join over unnest; extra pairs are dropped below.
    const rows = await queryRows<ThresholdRow>(
      tx,
      `SELECT sku, location_id, threshold, below FROM low_stock_thresholds
        WHERE sku = ANY($1::text[]) AND location_id = ANY($2::uuid[])`,
      [[...new Set(list.map((o) => o.sku))], [...new Set(list.map((o) => o.locationId))]],
    );
    return this.decide(
      tx,
      rows.flatMap((r) => {
        const seen = latest.get(pairKey({ sku: r.sku, locationId: r.location_id }));
        return seen ? [{ ...r, available: seen.available }] : [];
      }),
    );
  }

  /**
   * Evaluates the pairs of stock-changed events about to be written in `tx` (their `available` is
   * the figure at commit). For writers that emit stock-changed without the StockLedger sink, e.g.
   * a batched Try: call once per batch, after the levels are written, inside the SKU lock.
   */
  evaluateEvents(tx: SqlExecutor, events: readonly Pick<StockChangedEvent, 'sku' | 'locationId' | 'available'>[]): Promise<StockLowEvent[]> {
    return this.evaluateAvailable(
      tx,
      events.map((e) => ({ sku: e.sku, locationId: e.locationId, available: e.available })),
    );
  }

  /** Applies the policy to each threshold, flips changed flags in one statement and writes the alerts. */
  private async decide(tx: SqlExecutor, rows: ReadonlyArray<ThresholdRow & { available: number }>): Promise<StockLowEvent[]> {
    const flips: { sku: string; locationId: string; below: boolean }[] = [];
    const events: StockLowEvent[] = [];
    for (const row of rows) {
      const decision = evaluateLowStock({ threshold: row.threshold, wasBelow: row.below, available: row.available });
      if (decision.below !== row.below) flips.push({ sku: row.sku, locationId: row.location_id, below: decision.below });
      if (decision.publish) {
        events.push({
          schemaVersion: STOCK_LOW.version,
          occurredAt: this.now().toISOString(),
          sku: row.sku,
          locationId: row.location_id,
          available: Math.max(0, row.available),
          threshold: row.threshold,
        });
      }
    }
    if (flips.length > 0) {
      await tx.query(
        `UPDATE low_stock_thresholds t SET below = f.below, updated_at = now()
         FROM unnest($1::text[], $2::uuid[], $3::boolean[]) AS f(sku, location_id, below)
         WHERE t.sku = f.sku AND t.location_id = f.location_id`,
        [flips.map((f) => f.sku), flips.map((f) => f.locationId), flips.map((f) => f.below)],
      );
    }
    for (const event of events) await this.outbox.add(tx, STOCK_LOW, event);
    return events;
  }
}

function pairKey(p: SkuLocation): string {
  return `${p.sku}\u0000${p.locationId}`;
}

function unique(pairs: readonly SkuLocation[]): SkuLocation[] {
  return [...new Map(pairs.map((p) => [pairKey(p), p])).values()];
}
