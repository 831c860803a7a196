import { AtpBasis, atpBasis, ChannelAllocationRule, channelAtps, channelLocationAtp } from '../allocation/atp.calculator';
import { SqlRunner, sqlRows } from './sql-runner';

/** One stock level row as the reservation and ledger code see it. */
export interface LevelRow {
  sku: string;
  locationId: string;
  ownerId: string;
  ownerType: 'retailer' | 'consignor';
  open: boolean;
  onHand: number;
  reserved: number;
}

/** Everything known about one SKU's stock at one instant. */
export interface SkuStockState {
  sku: string;
  version: number;
  levels: LevelRow[];
  rules: ChannelAllocationRule[];
}

/** Reads the state of `skus` (SKUs without a sku_stock row are absent from the map). Lock first if you will write. */
export async function loadSkuStates(tx: SqlRunner, skus: readonly string[]): Promise<Map<string, SkuStockState>> {
  const [versions, levels, rules] = [
    await sqlRows(tx, `SELECT sku, version FROM sku_stock WHERE sku = ANY($1::text[])`, [skus]),
    await sqlRows(
      tx,
      `SELECT l.sku, l.location_id, l.owner_id, o.type AS owner_type, (loc.status = 'open') AS open, l.on_hand, l.reserved
         FROM stock_levels l JOIN locations loc ON loc.id = l.location_id JOIN owners o ON o.id = l.owner_id
        WHERE l.sku = ANY($1::text[]) ORDER BY l.sku, l.location_id, l.owner_id`,
      [skus],
    ),
    await sqlRows(
      tx,
      `SELECT sku, channel, mode, safety_stock, quota_remaining FROM channel_allocations WHERE sku = ANY($1::text[]) ORDER BY sku, channel`,
      [skus],
    ),
  ];
  const states = new Map<string, SkuStockState>();
  for (const v of versions) states.set(String(v.sku), { sku: String(v.sku), version: Number(v.version), levels: [], rules: [] });
  for (const l of levels) {
    states.get(String(l.sku))?.levels.push({
      sku: String(l.sku),
      locationId: String(l.location_id),
      ownerId: String(l.owner_id),
      ownerType: l.owner_type === 'consignor' ? 'consignor' : 'retailer',
      open: l.open === true,
      onHand: Number(l.on_hand),
      reserved: Number(l.reserved),
    });
  }
  for (const r of rules) {
    states.get(String(r.sku))?.rules.push({
      channel: String(r.channel),
      mode: r.mode === 'dedicated' ? 'dedicated' : 'shared',
      safetyStock: Number(r.safety_stock),
      quotaRemaining: Number(r.quota_remaining),
    });
  }
  return states;
}

/** The ATP basis of a loaded SKU (levels summed per location). */
export function basisOf(state: SkuStockState): AtpBasis {
  const byLocation = new Map<string, { locationId: string; open: boolean; onHand: number; reserved: number }>();
  for (const l of state.levels) {
    const entry = byLocation.get(l.locationId) ?? { locationId: l.locationId, open: l.open, onHand: 0, reserved: 0 };
    entry.onHand += l.onHand;
    entry.reserved += l.reserved;
    byLocation.set(l.locationId, entry);
  }
  return atpBasis([...byLocation.values()], state.rules);
}

/** The channels a SKU's stock-changed reports on: those with an allocation row plus the configured active ones. */
export function affectedChannels(state: SkuStockState, activeChannels: readonly string[]): string[] {
  return [...new Set([...state.rules.map((r) => r.channel), ...activeChannels])].sort();
}

/** A SKU's ATP per channel and per channel × location, as answered by the read APIs. */
export interface AtpView {
  sku: string;
  version: number;
  /** Free units over open locations. */
  available: number;
  channels: Array<{ channel: string; available: number }>;
  locations: Array<{ locationId: string; available: number; channels: Array<{ channel: string; available: number }> }>;
}

/** Builds the ATP view of a loaded SKU for `channels`. */
export function atpViewOf(state: SkuStockState, channels: readonly string[]): AtpView {
  const basis = basisOf(state);
  return {
    sku: state.sku,
    version: state.version,
    available: basis.available,
    channels: channelAtps(basis, channels),
    locations: [...basis.byLocation.entries()].map(([locationId, available]) => ({
      locationId,
      available,
      channels: channels.map((channel) => ({ channel, available: channelLocationAtp(basis, channel, locationId) })),
    })),
  };
}
