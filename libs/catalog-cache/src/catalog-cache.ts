import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createKafka, errorMessage, stderrLogger, TopicNames, type KafkaSecurity, type MessagingLogger } from '@omni/messaging';
import type { Kafka } from 'kafkajs';
import { CatalogCacheStore, type CatalogPage, type CatalogQuery, type MergeOutcome, type ProductState } from './catalog-cache.store';
import { CatalogExportClient, type ExportResult } from './catalog-export.client';
import type { CachedProduct, ChannelProductView } from './channel-view';
import { ProductChangeFeed } from './product-change.feed';

/** Settings of a catalog cache. */
export interface CatalogCacheOptions {
  /** Catalog's base URL for the full export, e.g. http://catalog:3001. */
  catalogUrl: string;
  /** Headers each export request carries: the host's service credential for catalog (its export is an internal route). */
  catalogHeaders?: () => Record<string, string>;
  /** Kafka bootstrap brokers. */
  brokers: string[];
  /** SASL and TLS towards the brokers (the host's KAFKA_SASL_* and KAFKA_SSL*); omitted: plaintext. */
  security?: KafkaSecurity;
  /** KAFKA_TOPIC_PREFIX of the environment ('' in production). */
  topicPrefix?: string;
  /** Host service name, e.g. `gateway`; the consumer group is `<service>.catalog-cache.<instance>`. */
  service: string;
  /** Instance suffix of the consumer group (default: host name, pid and a random part). */
  instanceId?: string;
  /** Export page size (default 500). */
  pageSize?: number;
  /** Attempts of the start-up reload before `start` fails (default 5, with doubling backoff from 500 ms). */
  reloadAttempts?: number;
  /** Longest a fetch waits for new deltas, in ms (default CONSUMER_MAX_WAIT_MS from @omni/messaging: a long poll, answered as soon as a delta arrives). */
  maxWaitTimeInMs?: number;
  logger?: MessagingLogger;
  /** A ready kafkajs client (default: one made from brokers). */
  kafka?: Kafka;
}

/** Counters of what the cache did, for metrics and tests. */
export interface CatalogCacheStats {
  deltasApplied: number;
  deltasStale: number;
  reloadedProducts: number;
  reloadStale: number;
  /** Export high-water mark of the last reload. */
  highWaterMark: number;
  /** When the last delta was applied (ms since epoch), 0 before any. */
  lastDeltaAt: number;
}

/** Called after a product changed in the cache (applied deltas only, not the reload). */
export type CatalogChangeListener = (productId: string, version: number) => void;

/**
 * A consumer-side copy of the catalog: at start it begins reading product-changed from the
 * topic's current end, then reloads everything over catalog's export, merging both by
 * per-product version (see CatalogCacheStore), so deltas written during the reload are neither
 * lost nor applied out of order. Reads never call catalog.
 */
export class CatalogCache {
  private readonly store = new CatalogCacheStore();
  private readonly feed: ProductChangeFeed;
  private readonly exporter: CatalogExportClient;
  private readonly logger: MessagingLogger;
  private readonly listeners = new Set<CatalogChangeListener>();
  private isReady = false;
  readonly stats: CatalogCacheStats = { deltasApplied: 0, deltasStale: 0, reloadedProducts: 0, reloadStale: 0, highWaterMark: 0, lastDeltaAt: 0 };

  constructor(private readonly options: CatalogCacheOptions) {
    this.logger = options.logger ?? stderrLogger;
    const kafka = options.kafka ?? createKafka({ clientId: `${options.service}-catalog-cache`, brokers: options.brokers, security: options.security, logger: this.logger });
    const instance = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.feed = new ProductChangeFeed({
      kafka,
      groupId: `${options.service}.catalog-cache.${instance}`,
      topics: new TopicNames(options.topicPrefix ?? ''),
      logger: this.logger,
      maxWaitTimeInMs: options.maxWaitTimeInMs,
      // Without deltas the copy silently ages: report not ready so the host's readiness says so.
      onFailed: () => {
        this.isReady = false;
      },
    });
    this.exporter = new CatalogExportClient({ baseUrl: options.catalogUrl, pageSize: options.pageSize, headers: options.catalogHeaders });
  }

  /** True once the start-up reload completed, and false again if the delta feed failed for good or the cache stopped. */
  get ready(): boolean {
    return this.isReady;
  }

  /** Number of live products held. */
  get size(): number {
    return this.store.size;
  }

  /** Starts the delta feed, then reloads everything; rejects when the reload keeps failing. */
  async start(): Promise<void> {
    await this.feed.start((state) => this.applyDelta(state));
    try {
      await this.reloadWithRetries();
    } catch (error) {
      await this.feed.stop();
      throw error;
    }
    this.isReady = true;
  }

  /** Stops the delta feed. */
  async stop(): Promise<void> {
    this.isReady = false;
    await this.feed.stop();
  }

  /** Reads the full export again (e.g. on an operator's request); deltas keep flowing meanwhile. */
  async reload(): Promise<ExportResult> {
    let stale = 0;
    const result = await this.exporter.readAll((state) => {
      if (this.store.merge(state) === 'stale') stale += 1;
    });
    this.stats.reloadedProducts = result.products;
    this.stats.reloadStale = stale;
    this.stats.highWaterMark = result.highWaterMark;
    return result;
  }

  /** Merges one delta; exposed so hosts with their own consumer can feed the cache. */
  applyDelta(state: ProductState): MergeOutcome {
    const outcome = this.store.merge(state);
    if (outcome === 'stale') {
      this.stats.deltasStale += 1;
      return outcome;
    }
    this.stats.deltasApplied += 1;
    this.stats.lastDeltaAt = Date.now();
    for (const listener of this.listeners) {
      try {
        listener(state.productId, state.version);
      } catch (error) {
        this.logger.warn('catalog cache listener failed', { productId: state.productId, error: errorMessage(error) });
      }
    }
    return outcome;
  }

  /** Registers a listener for applied deltas; returns its removal. */
  onChange(listener: CatalogChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A product as catalog published it (all channels), or undefined. */
  get(productId: string): CachedProduct | undefined {
    return this.store.get(productId);
  }

  /** A product as `channel` shows it, or undefined when unknown or not visible there. */
  getForChannel(productId: string, channel: string): ChannelProductView | undefined {
    return this.store.getForChannel(productId, channel);
  }

  /** The product that has SKU `sku` (all channels), or undefined. */
  getBySku(sku: string): CachedProduct | undefined {
    return this.store.getBySku(sku);
  }

  /** The product with SKU `sku` as `channel` shows it, or undefined when unknown or not visible there. */
  getForChannelBySku(sku: string, channel: string): ChannelProductView | undefined {
    return this.store.getForChannelBySku(sku, channel);
  }

  /** Products visible in a channel by category subtree, tag and text, paged by product id. */
  list(query: CatalogQuery): CatalogPage {
    return this.store.list(query);
  }

  /** Highest version held for a product (0 when never seen). */
  versionOf(productId: string): number {
    return this.store.versionOf(productId);
  }

  private async reloadWithRetries(): Promise<void> {
    const attempts = this.options.reloadAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.reload();
        this.logger.info('catalog cache reloaded', { products: result.products, pages: result.pages, highWaterMark: result.highWaterMark });
        return;
      } catch (error) {
        if (attempt >= attempts) throw new Error(`catalog cache reload failed after ${attempts} attempts: ${errorMessage(error)}`);
        this.logger.warn('catalog cache reload failed; retrying', { attempt, error: errorMessage(error) });
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** (attempt - 1), 8_000)));
      }
    }
  }
}
