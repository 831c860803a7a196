import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { locationNotFound } from '../locations/location.service';
import { queryRows } from '@omni/sql';
import { suggestReplenishment } from './replenishment.calculator';
import type { ReplenishmentReport } from './replenishment.dto';

interface Row {
  sku: string;
  units_sold: number;
  on_hand: number;
  reserved: number;
  inbound: number;
}

/** The figures per SKU at a location: deductions in the window, levels, and transfers in transit to it. */
const FIGURES = `
  WITH sold AS (
    SELECT sku, (-SUM(on_hand_delta))::int AS units_sold FROM stock_movements
     WHERE location_id = $1 AND type = 'deduction' AND created_at >= $2 AND created_at < $3
     GROUP BY sku),
  lv AS (
    SELECT sku, SUM(on_hand)::int AS on_hand, SUM(reserved)::int AS reserved FROM stock_levels WHERE location_id = $1 GROUP BY sku),
  inb AS (
    SELECT l.sku, SUM(l.quantity)::int AS inbound FROM stock_transfers t JOIN stock_transfer_lines l ON l.transfer_id = t.id
     WHERE t.to_location_id = $1 AND t.status = 'in_transit' GROUP BY l.sku)
  SELECT sku, COALESCE(units_sold, 0) AS units_sold, COALESCE(on_hand, 0) AS on_hand, COALESCE(reserved, 0) AS reserved,
         COALESCE(inbound, 0) AS inbound
    FROM sold FULL JOIN lv USING (sku) FULL JOIN inb USING (sku)`;

/** Replenishment suggestions per store × SKU from the ledger's recent deductions. */
export class ReplenishmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Suggestions for every SKU sold, stocked or inbound at `locationId`, largest first. */
  async suggest(locationId: string, windowDays: number, targetDaysOfCover: number, leadTimeDays?: number): Promise<ReplenishmentReport> {
    const [location] = await queryRows(this.dataSource, `SELECT id FROM locations WHERE id = $1`, [locationId]);
    if (!location) throw locationNotFound(locationId, 'locationId');
    const lead = leadTimeDays ?? (await this.defaultLeadTime());
    const now = this.clock.now();
    const from = new Date(now.getTime() - windowDays * 86_400_000);
    const rows = await queryRows<Row>(this.dataSource, FIGURES, [locationId, from.toISOString(), now.toISOString()]);
    const suggestions = rows
      .map((r) =>
        suggestReplenishment({
          sku: r.sku,
          unitsSold: Math.max(0, Number(r.units_sold)),
          windowDays,
          leadTimeDays: lead,
          targetDaysOfCover,
          onHand: Number(r.on_hand),
          reserved: Number(r.reserved),
          inbound: Number(r.inbound),
        }),
      )
      .sort((a, b) => b.suggestedQuantity - a.suggestedQuantity || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    return { locationId, windowDays, leadTimeDays: lead, targetDaysOfCover, generatedAt: now.toISOString(), suggestions };
  }

  /** What a restock from the fastest open warehouse takes; 0 when there is none. */
  private async defaultLeadTime(): Promise<number> {
    const [row] = await queryRows<{ days: number | null }>(
      this.dataSource,
      `SELECT MIN(ships_in_days)::int AS days FROM locations WHERE type = 'warehouse' AND status = 'open'`,
    );
    return row?.days ?? 0;
  }
}
