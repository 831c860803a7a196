import type { Clock } from '@omni/tcc';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { EffectivePriceSync } from '../price-events/effective-price.sync';
import { fieldError, notFound } from '../shared/definition-errors';
import { withIdempotency } from '@omni/platform';
import { PricingWriteRunner } from '../shared/pricing-write.runner';
import { queryRows } from '@omni/sql';
import { isoOrUndefined, toInt } from '../shared/sql.util';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { BasePriceDto, ChannelPriceDto } from './price-list.dto';
import { BasePriceView, ChannelPriceView, EffectivePriceView } from './price-list.views';

interface BaseRow {
  sku: string;
  amount: string;
  category_ids: string[];
  version: number;
  updated_at: Date;
}

interface ChannelRow {
  channel: string;
  sku: string;
  amount: string;
  effective_from: Date | null;
  effective_to: Date | null;
  version: number;
  updated_at: Date;
}

/**
 * Base prices and channel price lists. Every write runs under the pricing write lock and publishes
 * a price-changed delta for each channel whose effective price it moves, in the same transaction.
 */
export class PriceListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: PricingWriteRunner,
    private readonly snapshots: PricingSnapshotLoader,
    private readonly sync: EffectivePriceSync,
    private readonly clock: Clock,
    private readonly currency: string,
  ) {}

  /** Creates or replaces a SKU's base price (categories unchanged when not given). */
  putBasePrice(sku: string, body: BasePriceDto, idempotencyKey?: string): Promise<BasePriceView> {
    return this.writes.run((tx) =>
      withIdempotency(tx, idempotencyKey, `base-price:${sku}`, body, async () => {
        const [row] = await queryRows<BaseRow>(
          tx,
          `INSERT INTO base_prices (sku, amount, category_ids) VALUES ($1, $2, COALESCE($3::text[], '{}'))
           ON CONFLICT (sku) DO UPDATE SET amount = EXCLUDED.amount, category_ids = COALESCE($3::text[], base_prices.category_ids),
             version = base_prices.version + 1, updated_at = now()
           RETURNING *`,
          [sku, body.amount, body.categoryIds ?? null],
        );
        await this.publish(tx, sku);
        return this.baseView(row);
      }),
    );
  }

  /** A SKU's base price. */
  async getBasePrice(sku: string): Promise<BasePriceView> {
    const [row] = await queryRows<BaseRow>(this.dataSource, 'SELECT * FROM base_prices WHERE sku = $1', [sku]);
    if (!row) throw notFound('BASE_PRICE_NOT_FOUND', `SKU ${sku} has no base price`);
    return this.baseView(row);
  }

  /** Creates or replaces a channel's exclusive price for a SKU. */
  putChannelPrice(channel: string, sku: string, body: ChannelPriceDto, idempotencyKey?: string): Promise<ChannelPriceView> {
    if (body.effectiveFrom && body.effectiveTo && Date.parse(body.effectiveTo) <= Date.parse(body.effectiveFrom)) {
      throw fieldError('effectiveTo', 'must be after effectiveFrom (windows are [from, to))');
    }
    return this.writes.run((tx) =>
      withIdempotency(tx, idempotencyKey, `channel-price:${channel}:${sku}`, body, async () => {
        const [row] = await queryRows<ChannelRow>(
          tx,
          `INSERT INTO channel_prices (channel, sku, amount, effective_from, effective_to) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (channel, sku) DO UPDATE SET amount = EXCLUDED.amount, effective_from = EXCLUDED.effective_from,
             effective_to = EXCLUDED.effective_to, version = channel_prices.version + 1, updated_at = now()
           RETURNING *`,
          [channel, sku, body.amount, body.effectiveFrom ?? null, body.effectiveTo ?? null],
        );
        await this.publish(tx, sku);
        return this.channelView(row);
      }),
    );
  }

  /** Removes a channel's exclusive price (the channel falls back to the base price). */
  deleteChannelPrice(channel: string, sku: string): Promise<{ deleted: boolean }> {
    return this.writes.run(async (tx) => {
      const rows = await queryRows(tx, 'DELETE FROM channel_prices WHERE channel = $1 AND sku = $2 RETURNING sku', [channel, sku]);
      if (rows.length === 0) throw notFound('CHANNEL_PRICE_NOT_FOUND', `channel ${channel} has no price for ${sku}`);
      await this.publish(tx, sku);
      return { deleted: true };
    });
  }

  /** One channel's price list (never another channel's entries). */
  async listChannelPrices(channel: string): Promise<ChannelPriceView[]> {
    const rows = await queryRows<ChannelRow>(this.dataSource, 'SELECT * FROM channel_prices WHERE channel = $1 ORDER BY sku', [channel]);
    return rows.map((row) => this.channelView(row));
  }

  /** One channel's entry for a SKU. */
  async getChannelPrice(channel: string, sku: string): Promise<ChannelPriceView> {
    const [row] = await queryRows<ChannelRow>(this.dataSource, 'SELECT * FROM channel_prices WHERE channel = $1 AND sku = $2', [channel, sku]);
    if (!row) throw notFound('CHANNEL_PRICE_NOT_FOUND', `channel ${channel} has no price for ${sku}`);
    return this.channelView(row);
  }

  /** What `channel` (and store) pays for one unit of `sku` now, computed from the asking channel's data only. */
  async effectivePrice(sku: string, channel: string, storeId?: string): Promise<EffectivePriceView> {
    const snapshot = await this.snapshots.current();
    const at = this.clock.now();
    const categories = snapshot.categories.get(sku) ?? [];
    const unit = snapshot.engine.unitPrice(sku, categories, channel, storeId ?? null, at);
    const effective = snapshot.engine.effectiveUnitPrice(sku, categories, channel, storeId ?? null, at);
    if (!unit || effective === undefined) throw notFound('SKU_NOT_PRICED', `SKU ${sku} has no price`);
    return {
      sku,
      channel,
      ...(storeId ? { storeId } : {}),
      currency: snapshot.engine.currency,
      listPrice: unit.listPrice,
      listPriceSource: unit.listSource,
      unitPrice: unit.unitPrice,
      ...(unit.rule ? { priceRuleId: unit.rule.definition.id } : {}),
      effectivePrice: effective,
      pricedAt: at.toISOString(),
    };
  }

  private async publish(tx: EntityManager, sku: string): Promise<void> {
    const snapshot = await this.snapshots.load(tx);
    await this.sync.publishDeltas(tx, snapshot, this.clock.now(), [sku]);
  }

  private baseView(row: BaseRow): BasePriceView {
    return {
      sku: row.sku,
      amount: toInt(row.amount),
      currency: this.currency,
      categoryIds: row.category_ids ?? [],
      version: row.version,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  private channelView(row: ChannelRow): ChannelPriceView {
    const from = isoOrUndefined(row.effective_from);
    const to = isoOrUndefined(row.effective_to);
    return {
      channel: row.channel,
      sku: row.sku,
      amount: toInt(row.amount),
      currency: this.currency,
      ...(from ? { effectiveFrom: from } : {}),
      ...(to ? { effectiveTo: to } : {}),
      version: row.version,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
