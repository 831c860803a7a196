import type { PlatformOrderLine, PlatformStockUpdate } from './platform-adapter.port';

// Our SKU and store ids ↔ one platform's ids. A missing mapping is reported, never guessed: a wrong
// guess would sell another product's stock.

/** One platform's mappings, as stored. */
export interface PlatformMappings {
  /** Our SKU code → the platform's SKU id. */
  skus: ReadonlyArray<{ sku: string; platformSku: string }>;
  /** Our location id → the platform's store or warehouse id. */
  stores: ReadonlyArray<{ locationId: string; platformStore: string }>;
}

/** A mapped order line in our ids. */
export interface MappedOrderLine {
  /** Our SKU code. */
  sku: string;
  /** Units. */
  quantity: number;
  /** Unit price in minor units. */
  unitAmount: number;
}

/** Both directions of one platform's id mappings. */
export class IdMapper {
  private readonly skuOut = new Map<string, string>();
  private readonly skuIn = new Map<string, string>();
  private readonly storeOut = new Map<string, string>();
  private readonly storeIn = new Map<string, string>();

  /** Indexes the stored mappings; a platform id mapped twice is refused, since an order could not be traced back. */
  constructor(mappings: PlatformMappings) {
    for (const { sku, platformSku } of mappings.skus) {
      if (this.skuIn.has(platformSku) && this.skuIn.get(platformSku) !== sku) throw new Error(`platform SKU ${platformSku} mapped twice`);
      this.skuOut.set(sku, platformSku);
      this.skuIn.set(platformSku, sku);
    }
    for (const { locationId, platformStore } of mappings.stores) {
      if (this.storeIn.has(platformStore) && this.storeIn.get(platformStore) !== locationId) {
        throw new Error(`platform store ${platformStore} mapped twice`);
      }
      this.storeOut.set(locationId, platformStore);
      this.storeIn.set(platformStore, locationId);
    }
  }

  /** Our stock value for SKU × location as a platform update, or which side is unmapped. */
  stockUpdate(
    sku: string,
    locationId: string,
    quantity: number,
    version: number,
  ): { ok: true; update: PlatformStockUpdate } | { ok: false; unmapped: 'sku' | 'store' } {
    const platformSku = this.skuOut.get(sku);
    if (platformSku === undefined) return { ok: false, unmapped: 'sku' };
    const platformStore = this.storeOut.get(locationId);
    if (platformStore === undefined) return { ok: false, unmapped: 'store' };
    return { ok: true, update: { platformSku, platformStore, quantity, version } };
  }

  /** The platform SKU of one of ours, if mapped. */
  platformSkuOf(sku: string): string | undefined {
    return this.skuOut.get(sku);
  }

  /** Whether our location is sold on this platform. */
  sellsAt(locationId: string): boolean {
    return this.storeOut.has(locationId);
  }

  /** A platform order's store and lines in our ids, or every platform id we do not know. */
  orderInOurIds(
    platformStore: string,
    lines: PlatformOrderLine[],
  ): { ok: true; locationId: string; lines: MappedOrderLine[] } | { ok: false; unknownStore?: string; unknownSkus: string[] } {
    const locationId = this.storeIn.get(platformStore);
    const unknownSkus = [...new Set(lines.filter((line) => !this.skuIn.has(line.platformSku)).map((line) => line.platformSku))];
    if (locationId === undefined || unknownSkus.length) {
      return { ok: false, ...(locationId === undefined ? { unknownStore: platformStore } : {}), unknownSkus };
    }
    return {
      ok: true,
      locationId,
      lines: lines.map((line) => ({ sku: this.skuIn.get(line.platformSku)!, quantity: line.quantity, unitAmount: line.unitAmount })),
    };
  }
}
