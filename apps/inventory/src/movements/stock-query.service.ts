import type { DataSource } from 'typeorm';
import { queryRows, type SqlRow } from '@omni/sql';
import type { LevelView, MovementPage } from './stock-query.dto';

/** Most levels one read returns (a location's whole assortment fits). */
export const MAX_LEVELS = 5_000;
/** Default ledger page size. */
export const DEFAULT_MOVEMENTS_PAGE = 100;

/** Read side of stock for the ops console: levels per location × owner and the movement ledger. */
export class StockQueryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Levels of a SKU and/or at a location, by SKU, location and owner. */
  async levels(sku: string | undefined, locationId: string | undefined): Promise<LevelView[]> {
    const rows = await queryRows<SqlRow>(
      this.dataSource,
      `SELECT l.sku, l.location_id, l.owner_id, o.type AS owner_type, l.on_hand, l.reserved
         FROM stock_levels l JOIN owners o ON o.id = l.owner_id
        WHERE ($1::text IS NULL OR l.sku = $1) AND ($2::uuid IS NULL OR l.location_id = $2)
        ORDER BY l.sku, l.location_id, l.owner_id LIMIT ${MAX_LEVELS}`,
      [sku ?? null, locationId ?? null],
    );
    return rows.map((r) => ({
      sku: String(r.sku),
      locationId: String(r.location_id),
      ownerId: String(r.owner_id),
      ownerType: r.owner_type === 'consignor' ? 'consignor' : 'retailer',
      onHand: Number(r.on_hand),
      reserved: Number(r.reserved),
      available: Number(r.on_hand) - Number(r.reserved),
    }));
  }

  /** A page of one SKU's ledger in seq order (optionally at one location). */
  async movements(sku: string, locationId: string | undefined, after = 0, limit = DEFAULT_MOVEMENTS_PAGE): Promise<MovementPage> {
    const rows = await queryRows<SqlRow>(
      this.dataSource,
      `SELECT seq, id, sku, location_id, owner_id, type, on_hand_delta, reserved_delta, channel, ref, sku_version, created_at
         FROM stock_movements
        WHERE sku = $1 AND ($2::uuid IS NULL OR location_id = $2) AND seq > $3
        ORDER BY seq LIMIT $4`,
      [sku, locationId ?? null, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        seq: Number(r.seq),
        id: String(r.id),
        sku: String(r.sku),
        locationId: String(r.location_id),
        ownerId: String(r.owner_id),
        type: String(r.type),
        onHandDelta: Number(r.on_hand_delta),
        reservedDelta: Number(r.reserved_delta),
        channel: (r.channel as string | null) ?? null,
        ref: (r.ref as string | null) ?? null,
        skuVersion: Number(r.sku_version),
        createdAt: new Date(r.created_at as string).toISOString(),
      })),
      nextAfter: rows.length > limit ? Number(page[page.length - 1].seq) : null,
    };
  }
}
