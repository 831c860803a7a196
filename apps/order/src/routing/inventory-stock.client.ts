import type { ServiceCredentials } from '@omni/platform';
import type { RoutingLocation, StockByLocation } from './routing.planner';

interface AtpView {
  sku: string;
  /** Free units over open locations: no channel can sell more. */
  available: number;
  /** ATP per channel with a rule or listed as active: what inventory's gate and stock-changed say. */
  channels: Array<{ channel: string; available: number }>;
  locations: Array<{ locationId: string; available: number; channels: Array<{ channel: string; available: number }> }>;
}

/** What routing needs from inventory for one order. */
export interface RoutingStock {
  locations: RoutingLocation[];
  stock: StockByLocation;
  /**
   * The channel's ATP of each SKU inventory stocks, as its gate counts it; for a channel inventory
   * does not list (no rule, not active), the SKU's free units, which no channel can exceed.
   */
  channelAtp: Map<string, number>;
}

/**
 * Reads locations and per-location ATP from inventory's internal HTTP API (the design allows
 * internal calls for what must be answered now). Bounded by a time budget: a slow or failing
 * inventory yields null and the order lets inventory choose the locations ('any').
 */
export class InventoryStockClient {
  private cached?: { at: number; locations: RoutingLocation[] };

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: ServiceCredentials,
    private readonly timeoutMs: number,
    private readonly locationsTtlMs = 30_000,
  ) {}

  /** Locations and available units per location for `skus` as `channel` may sell them. */
  async stockFor(skus: readonly string[], channel: string): Promise<RoutingStock | null> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const [locations, views] = await Promise.all([this.locations(signal), Promise.all(skus.map((sku) => this.atp(sku, signal)))]);
      const stock = new Map<string, Map<string, number>>();
      const channelAtp = new Map<string, number>();
      for (const view of views) {
        if (!view) continue;
        for (const l of view.locations) {
          const forChannel = l.channels.find((c) => c.channel === channel)?.available ?? l.available;
          const bySku = stock.get(l.locationId) ?? new Map<string, number>();
          bySku.set(view.sku, forChannel);
          stock.set(l.locationId, bySku);
        }
        channelAtp.set(view.sku, view.channels.find((c) => c.channel === channel)?.available ?? view.available);
      }
      return { locations, stock, channelAtp };
    } catch {
      return null;
    }
  }

  private async locations(signal: AbortSignal): Promise<RoutingLocation[]> {
    if (this.cached && Date.now() - this.cached.at < this.locationsTtlMs) return this.cached.locations;
    const res = await fetch(`${this.baseUrl}/internal/locations`, { signal, headers: { ...this.credentials.headerFor('inventory') } });
    if (!res.ok) throw new Error(`inventory locations answered ${res.status}`);
    const locations = ((await res.json()) as RoutingLocation[]).map((l) => ({ id: l.id, type: l.type, lat: l.lat, lng: l.lng, status: l.status, shipsInDays: l.shipsInDays }));
    this.cached = { at: Date.now(), locations };
    return locations;
  }

  private async atp(sku: string, signal: AbortSignal): Promise<AtpView | null> {
    const res = await fetch(`${this.baseUrl}/internal/atp/${encodeURIComponent(sku)}`, { signal, headers: { ...this.credentials.headerFor('inventory') } });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`inventory atp answered ${res.status}`);
    return (await res.json()) as AtpView;
  }
}
