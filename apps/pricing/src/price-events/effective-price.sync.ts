import { PRICE_CHANGED, PriceChangedEvent } from '@omni/contracts';
import type { EntityManager } from 'typeorm';
import type { PricingSnapshot } from '../snapshot/pricing-snapshot.loader';
import { queryRows } from '@omni/sql';
import { toInt } from '../shared/sql.util';
import { PriceEventSink } from './price-event.sink';

/** One published delta. */
export interface PublishedPriceChange {
  sku: string;
  channel: string;
  amount: number;
  effectiveFrom: string;
  version: number;
}

/**
 * Keeps `effective_prices` (the last price-changed published per SKU × channel) in step with the
 * data, publishing a price-changed delta through the outbox whenever an effective price moves.
 * Callers hold the pricing write lock, so two writers never publish the same change twice.
 */
export class EffectivePriceSync {
  constructor(private readonly events: PriceEventSink) {}

  /**
   * Compares the effective price at `at` of each SKU in `skus` (all priced SKUs when omitted) for
   * every channel with what was last published, and publishes the differences effective from `at`.
   */
  async publishDeltas(tx: EntityManager, snapshot: PricingSnapshot, at: Date, skus?: readonly string[]): Promise<PublishedPriceChange[]> {
    const scope = skus ?? snapshot.skus;
    const published = await this.lastPublished(tx, scope);
    // A channel that has dropped out of the data (its only rule disabled, its price list emptied)
    // still has a published price to correct, so it stays in scope.
    const channels = new Set(snapshot.channels);
    for (const key of published.keys()) channels.add(key.slice(key.indexOf('\n') + 1));
    const changes: PublishedPriceChange[] = [];
    for (const sku of scope) {
      const categories = snapshot.categories.get(sku) ?? [];
      for (const channel of [...channels].sort()) {
        const price = snapshot.engine.effectiveUnitPrice(sku, categories, channel, null, at) ?? null;
        const change = await this.apply(tx, snapshot.engine.currency, sku, channel, price, at.toISOString(), published.get(`${sku}\n${channel}`));
        if (change) changes.push(change);
      }
    }
    return changes;
  }

  /**
   * Records that `sku` in `channel` costs `price` from `effectiveFrom`, publishing a delta when it
   * differs from what was last published (`previous`, or read now when undefined). A SKU that is
   * no longer priced publishes nothing (price-changed has no removal) and its row is dropped.
   */
  async apply(
    tx: EntityManager,
    currency: string,
    sku: string,
    channel: string,
    price: number | null,
    effectiveFrom: string,
    previous?: number | null,
  ): Promise<PublishedPriceChange | undefined> {
    const last = previous !== undefined ? previous : (await this.lastPublished(tx, [sku], channel)).get(`${sku}\n${channel}`) ?? null;
    if (last === price) return undefined;
    if (price === null) {
      await tx.query('DELETE FROM effective_prices WHERE sku = $1 AND channel = $2', [sku, channel]);
      return undefined;
    }
    const [row] = await queryRows<{ version: string }>(tx, `SELECT nextval('price_change_version_seq') AS version`);
    const version = toInt(row.version);
    await tx.query(
      `INSERT INTO effective_prices (sku, channel, amount, currency, version, effective_from) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (sku, channel) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, version = EXCLUDED.version,
         effective_from = EXCLUDED.effective_from`,
      [sku, channel, price, currency, version, effectiveFrom],
    );
    const payload: PriceChangedEvent = {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      sku,
      channel,
      price: { amount: price, currency },
      effectiveFrom,
      version,
    };
    await this.events.add(tx, PRICE_CHANGED, payload);
    return { sku, channel, amount: price, effectiveFrom, version };
  }

  private async lastPublished(tx: EntityManager, skus: readonly string[], channel?: string): Promise<Map<string, number | null>> {
    const rows = await queryRows<{ sku: string; channel: string; amount: string | null }>(
      tx,
      `SELECT sku, channel, amount FROM effective_prices WHERE sku = ANY($1::text[])${channel ? ' AND channel = $2' : ''}`,
      channel ? [skus, channel] : [skus],
    );
    return new Map(rows.map((r) => [`${r.sku}\n${r.channel}`, r.amount === null ? null : toInt(r.amount)]));
  }
}
