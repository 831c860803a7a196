import { DomainError, DomainErrorType } from '@omni/platform';
import type { DataSource } from 'typeorm';
import { locationNotFound } from '../locations/location.service';
import { queryRows } from '@omni/sql';
import { lockSkus } from '../stock/stock-ledger';
import type { LowStockMonitor } from './low-stock.monitor';
import type { ThresholdView } from './threshold.dto';

const VIEW = `SELECT t.sku, t.location_id, t.threshold, t.below,
  COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l WHERE l.sku = t.sku AND l.location_id = t.location_id), 0)::int AS available
  FROM low_stock_thresholds t WHERE t.sku = $1 AND t.location_id = $2`;

interface ViewRow {
  sku: string;
  location_id: string;
  threshold: number;
  below: boolean;
  available: number;
}

function toView(row: ViewRow): ThresholdView {
  return { sku: row.sku, locationId: row.location_id, threshold: row.threshold, available: row.available, below: row.below };
}

/** Low-stock thresholds per SKU × location. */
export class ThresholdService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly monitor: LowStockMonitor,
  ) {}

  /**
   * Sets a threshold and evaluates it at once under the SKU lock: a threshold set above the
   * current available fires `stock-low` once, like any other crossing. Changing the threshold
   * keeps the flag, so an alert already fired is not repeated while stock stays below.
   */
  async put(sku: string, locationId: string, threshold: number): Promise<ThresholdView> {
    return this.dataSource.transaction(async (tx) => {
      const [location] = await queryRows(tx, `SELECT id FROM locations WHERE id = $1`, [locationId]);
      if (!location) throw locationNotFound(locationId, 'locationId');
      await lockSkus(tx, [sku], true);
      await tx.query(
        `INSERT INTO low_stock_thresholds (sku, location_id, threshold) VALUES ($1, $2, $3)
         ON CONFLICT (sku, location_id) DO UPDATE SET threshold = EXCLUDED.threshold, updated_at = now()`,
        [sku, locationId, threshold],
      );
      await this.monitor.evaluate(tx, [{ sku, locationId }]);
      const [row] = await queryRows<ViewRow>(tx, VIEW, [sku, locationId]);
      return toView(row);
    });
  }

  /** The threshold of a SKU at a location; 404 when none is set. */
  async get(sku: string, locationId: string): Promise<ThresholdView> {
    const [row] = await queryRows<ViewRow>(this.dataSource, VIEW, [sku, locationId]);
    if (!row) {
      throw new DomainError(DomainErrorType.NotFound, 'THRESHOLD_NOT_FOUND', `No low-stock threshold for ${sku} at ${locationId}`);
    }
    return toView(row);
  }

  /** Removes a threshold (no more alerts for the pair). */
  async remove(sku: string, locationId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM low_stock_thresholds WHERE sku = $1 AND location_id = $2`, [sku, locationId]);
  }
}
