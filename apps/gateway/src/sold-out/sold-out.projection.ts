/** What the projection needs of a stock-changed event. */
export interface StockAtp {
  sku: string;
  /** Grows by one per change of the SKU. */
  version: number;
  /** ATP of every channel inventory reports on at this version. */
  atp: ReadonlyArray<{ channel: string; available: number }>;
}

/** What applying an event did: `stale` when the projection already held that version or a newer one. */
export type ApplyOutcome = 'applied' | 'stale';

/** One SKU's newest known ATP. */
interface SkuAtp {
  version: number;
  available: Map<string, number>;
}

/**
 * Which SKUs inventory last said a channel cannot sell, from stock-changed: per SKU, the channel
 * ATPs of the newest version seen. An event not newer than what is held (a redelivery, an old
 * event replayed) changes nothing, so arrival order does not matter.
 *
 * A newer event replaces the SKU's channel figures as a whole: a channel it does not name becomes
 * unknown. Inventory names the channels with an allocation rule, INVENTORY_CHANNELS and the channels
 * of the Try batch at hand, so a channel may be named at one version and not at the next; keeping
 * its older 0 would hold a false "sold out" that nothing might ever correct (the gateway refuses the
 * orders whose reservations would announce it again).
 *
 * Unknown (a SKU that has not changed since this replica started, or a channel the newest event does
 * not name) is never sold out: the order takes the normal path.
 */
export class SoldOutProjection {
  private readonly skus = new Map<string, SkuAtp>();
  private soldOutCount = 0;

  /** Applies one event; a version not above the one held is stale and changes nothing. */
  apply(event: StockAtp): ApplyOutcome {
    const held = this.skus.get(event.sku);
    if (held && event.version <= held.version) return 'stale';
    const available = new Map(event.atp.map((a) => [a.channel, a.available]));
    this.soldOutCount += zeros(available) - (held ? zeros(held.available) : 0);
    this.skus.set(event.sku, { version: event.version, available });
    return 'applied';
  }

  /** The channel's ATP of the SKU at the newest version seen, or undefined when unknown. */
  availableOf(sku: string, channel: string): number | undefined {
    return this.skus.get(sku)?.available.get(channel);
  }

  /** Newest version seen of the SKU (0 when never seen). */
  versionOf(sku: string): number {
    return this.skus.get(sku)?.version ?? 0;
  }

  /** True when the newest event of the SKU says the channel has no ATP. */
  isSoldOut(sku: string, channel: string): boolean {
    return this.availableOf(sku, channel) === 0;
  }

  /** The lines (index and SKU) whose SKU is sold out on the channel, in line order; empty when none is. */
  soldOutLines(channel: string, lines: ReadonlyArray<{ sku: string }>): Array<{ index: number; sku: string }> {
    const soldOut: Array<{ index: number; sku: string }> = [];
    lines.forEach((line, index) => {
      if (this.isSoldOut(line.sku, channel)) soldOut.push({ index, sku: line.sku });
    });
    return soldOut;
  }

  /** Number of SKUs held. */
  get size(): number {
    return this.skus.size;
  }

  /** Number of (SKU, channel) pairs held as sold out. */
  get soldOutPairs(): number {
    return this.soldOutCount;
  }

  /** Forgets everything (every SKU becomes unknown). */
  clear(): void {
    this.skus.clear();
    this.soldOutCount = 0;
  }
}

function zeros(available: ReadonlyMap<string, number>): number {
  let count = 0;
  for (const units of available.values()) if (units === 0) count += 1;
  return count;
}
