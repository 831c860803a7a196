import { AtpBasis, atpBasis, ChannelAllocationRule, channelAtps, channelLocationAtp } from '../allocation/atp.calculator';
import { type SqlExecutor, queryRows } from '@omni/sql';

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

type LevelTuple = [string, string, string, string, boolean, number, number];
type RuleTuple = [string, string, string, number, number];

/**
 * Reads the state of `skus` in one round trip (SKUs without a sku_stock row are absent from the
 * map). With `lock`, their sku_stock rows are first locked FOR UPDATE in sku order, and what is read
 * includes every change committed before the locks were granted (inventory_load_skus, see the
 * ReservationHotPath migration); without it, one consistent snapshot.
 */
export async function loadSkuStates(tx: SqlExecutor, skus: readonly string[], options: { lock?: boolean } = {}): Promise<Map<string, SkuStockState>> {
  const [row] = await queryRows(tx, `SELECT inventory_load_skus($1::text[], $2) AS s`, [[...new Set(skus)].sort(), options.lock === true]);
  const data = row.s as { skus: Array<[string, number]>; levels: LevelTuple[]; rules: RuleTuple[] };
  const states = new Map<string, SkuStockState>();
  for (const [sku, version] of data.skus) states.set(sku, { sku, version: Number(version), levels: [], rules: [] });
  for (const [sku, locationId, ownerId, ownerType, open, onHand, reserved] of data.levels) {
    states.get(sku)?.levels.push({
      sku,
      locationId,
      ownerId,
      ownerType: ownerType === 'consignor' ? 'consignor' : 'retailer',
      open: open === true,
      onHand: Number(onHand),
      reserved: Number(reserved),
    });
  }
  for (const [sku, channel, mode, safetyStock, quotaRemaining] of data.rules) {
    states.get(sku)?.rules.push({ channel, mode: mode === 'dedicated' ? 'dedicated' : 'shared', safetyStock: Number(safetyStock), quotaRemaining: Number(quotaRemaining) });
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
