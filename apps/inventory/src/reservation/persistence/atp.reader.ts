import { Pool } from 'pg';
import { AtpView, atpViewOf, affectedChannels, loadSkuStates } from '../../stock/stock-reader';

/** Reads ATP from one consistent Postgres snapshot (the read API; Redis serves the gate). */
export class AtpReader {
  constructor(private readonly pool: Pool, private readonly activeChannels: readonly string[]) {}

  /** ATP of `sku` for its allocated + active channels, or null for an unknown SKU. */
  async view(sku: string): Promise<AtpView | null> {
    const state = (await loadSkuStates(this.pool, [sku])).get(sku);
    return state ? atpViewOf(state, affectedChannels(state, this.activeChannels)) : null;
  }
}
