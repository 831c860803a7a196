import { DataSource } from 'typeorm';
import {
  ChannelPriceEntry,
  CouponTemplateDefinition,
  PriceRuleDefinition,
  QuoteEngine,
} from '../domain';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { isoOrUndefined, toInt } from '../shared/sql.util';

/** Everything a replica prices from at one revision of the pricing data. */
export interface PricingSnapshot {
  /** The pricing_revision this snapshot was read at. */
  revision: number;
  /** Quote engine over base prices, channel prices, enabled rules and coupon templates. */
  engine: QuoteEngine;
  /** Categories of each priced SKU (rule targets match on them). */
  categories: ReadonlyMap<string, string[]>;
  /** Every SKU with a base price or a channel price. */
  skus: string[];
  /** Channels that get effective-price deltas: configured ones plus every channel named by data. */
  channels: string[];
}

interface RuleRow {
  definition: PriceRuleDefinition;
}

/**
 * Reads pricing data into a QuoteEngine. Outside a write the snapshot is cached per revision (a
 * one-row read per quote decides whether to rebuild), so every replica prices from committed data.
 */
export class PricingSnapshotLoader {
  private cached?: PricingSnapshot;
  private loading?: Promise<PricingSnapshot>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly currency: string,
    private readonly configuredChannels: readonly string[],
  ) {}

  /** The snapshot of the committed data, rebuilt only when the revision moved. */
  async current(): Promise<PricingSnapshot> {
    const [row] = await queryRows<{ revision: string }>(this.dataSource, 'SELECT revision FROM pricing_revision WHERE id = 1');
    const revision = toInt(row.revision);
    if (this.cached && this.cached.revision >= revision) return this.cached;
    if (!this.loading) {
      this.loading = this.dataSource
        .transaction('REPEATABLE READ', (tx) => this.load(tx))
        .then((snapshot) => {
          if (!this.cached || snapshot.revision > this.cached.revision) this.cached = snapshot;
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    const loaded = await this.loading;
    return loaded.revision >= revision ? loaded : this.current();
  }

  /** Reads the data visible to `tx` (inside a write: including its own uncommitted changes). */
  async load(tx: SqlExecutor): Promise<PricingSnapshot> {
    const [rev] = await queryRows<{ revision: string }>(tx, 'SELECT revision FROM pricing_revision WHERE id = 1');
    const base = await queryRows<{ sku: string; amount: string; category_ids: string[] }>(tx, 'SELECT sku, amount, category_ids FROM base_prices');
    const channelRows = await queryRows<{ channel: string; sku: string; amount: string; effective_from: Date | null; effective_to: Date | null }>(
      tx,
      'SELECT channel, sku, amount, effective_from, effective_to FROM channel_prices',
    );
    const rules = await queryRows<RuleRow>(
      tx,
      `SELECT v.definition FROM price_rules r JOIN price_rule_versions v ON v.id = r.id AND v.version = r.latest_version WHERE r.enabled`,
    );
    const coupons = await queryRows<{ definition: CouponTemplateDefinition }>(
      tx,
      `SELECT v.definition FROM coupon_templates t JOIN coupon_template_versions v ON v.id = t.id AND v.version = t.latest_version WHERE t.enabled`,
    );
    const channelPrices: ChannelPriceEntry[] = channelRows.map((r) => ({
      sku: r.sku,
      channel: r.channel,
      amount: toInt(r.amount),
      ...(r.effective_from ? { effectiveFrom: isoOrUndefined(r.effective_from) } : {}),
      ...(r.effective_to ? { effectiveTo: isoOrUndefined(r.effective_to) } : {}),
    }));
    const engine = new QuoteEngine({
      priceBook: { currency: this.currency, basePrices: base.map((b) => ({ sku: b.sku, amount: toInt(b.amount) })), channelPrices },
      rules: rules.map((r) => r.definition),
      couponTemplates: coupons.map((c) => c.definition),
    });
    const categories = new Map(base.map((b) => [b.sku, b.category_ids ?? []]));
    const skus = [...new Set([...base.map((b) => b.sku), ...channelRows.map((r) => r.sku)])].sort();
    const channels = new Set(this.configuredChannels);
    for (const r of channelRows) channels.add(r.channel);
    for (const { definition } of rules) {
      const named = (definition as { channels?: string[] }).channels;
      for (const channel of named ?? []) channels.add(channel);
    }
    return { revision: toInt(rev.revision), engine, categories, skus, channels: [...channels].sort() };
  }
}
