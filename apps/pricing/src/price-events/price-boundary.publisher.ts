import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { listPriceChanges } from '../domain';
import { PRICING_WRITE_LOCK } from '../shared/pricing-write.runner';
import { queryRows } from '@omni/sql';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { EffectivePriceSync, PublishedPriceChange } from './effective-price.sync';

/** What one tick did. */
export type BoundaryTick =
  | { status: 'busy' }
  | { status: 'started'; at: string }
  | { status: 'published'; from: string; to: string; changes: PublishedPriceChange[] };

/** The window edges of the pricing data at one revision (every write bumps pricing_revision). */
interface KnownEdges {
  revision: string;
  edges: number[];
}

/**
 * Publishes price-changed at scheduled boundaries (a rule or price-list window starting or ending).
 * Each tick covers [cursor, now] once: the cursor row, the write lock (tried, so a busy replica
 * skips) and the last-published prices commit with the outbox rows, so every boundary is published
 * exactly once however many replicas tick.
 */
export class PriceBoundaryPublisher {
  /** The edges of the revision last loaded here: while the revision stands, a tick with no edge in its range loads nothing. */
  private known?: KnownEdges;

  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: PricingSnapshotLoader,
    private readonly sync: EffectivePriceSync,
    private readonly clock: Clock,
  ) {}

  /** Publishes every effective-price change whose boundary lies in (last tick, now]. */
  tick(): Promise<BoundaryTick> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (tx) => {
      const [lock] = await queryRows<{ ok: boolean }>(tx, 'SELECT pg_try_advisory_xact_lock($1) AS ok', [PRICING_WRITE_LOCK]);
      if (!lock.ok) return { status: 'busy' };
      const [cursor] = await queryRows<{ published_through: Date }>(tx, 'SELECT published_through FROM price_schedule_cursor WHERE id = 1 FOR UPDATE');
      const to = new Date(now.getTime() + 1);
      if (!cursor) {
        // First tick ever: writes have published the current prices; boundaries count from here on.
        await tx.query('INSERT INTO price_schedule_cursor (id, published_through) VALUES (1, $1)', [to]);
        return { status: 'started', at: now.toISOString() };
      }
      const from = new Date(cursor.published_through);
      if (from.getTime() >= to.getTime()) return { status: 'published', from: from.toISOString(), to: to.toISOString(), changes: [] };
      const [{ revision }] = await queryRows<{ revision: string }>(tx, 'SELECT revision::text AS revision FROM pricing_revision WHERE id = 1');
      if (this.known?.revision === revision && !this.known.edges.some((edge) => edge >= from.getTime() && edge < to.getTime())) {
        // The data has not changed since its edges were read, and none lies in the range: nothing to publish.
        await tx.query('UPDATE price_schedule_cursor SET published_through = $1 WHERE id = 1', [to]);
        return { status: 'published', from: from.toISOString(), to: to.toISOString(), changes: [] };
      }
      const snapshot = await this.snapshots.load(tx);
      this.known = { revision, edges: snapshot.engine.windowEdges() };
      const skus = snapshot.skus.map((sku) => ({ sku, categoryIds: snapshot.categories.get(sku) ?? [] }));
      const points = snapshot.channels.map((channel) => ({ channel }));
      const published: PublishedPriceChange[] = [];
      for (const change of listPriceChanges(snapshot.engine, { skus, points, from, to })) {
        const done = await this.sync.apply(tx, change.currency, change.sku, change.channel, change.price, change.effectiveFrom);
        if (done) published.push(done);
      }
      await tx.query('UPDATE price_schedule_cursor SET published_through = $1 WHERE id = 1', [to]);
      return { status: 'published', from: from.toISOString(), to: to.toISOString(), changes: published };
    });
  }

  /** The first window edge after `after` in the data last loaded here (epoch ms), or null when none is known. */
  nextEdgeAfter(after: number): number | null {
    const next = this.known?.edges.filter((edge) => edge > after).reduce((a, b) => Math.min(a, b), Infinity) ?? Infinity;
    return next === Infinity ? null : next;
  }
}
