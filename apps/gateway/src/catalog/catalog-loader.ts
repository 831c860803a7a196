import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CatalogCache, type CatalogPage, type CatalogQuery, type ChannelProductView } from '@omni/catalog-cache';
import { sleep, type MessagingLogger } from '@omni/messaging';
import { kafkaSecurityOf, SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import type { CatalogSource } from './catalog-cache.reader';

/** Longest wait between two start attempts while catalog is unreachable. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Owns the gateway's catalog cache and starts it in the background: the gateway serves carts and
 * orders while catalog is still unreachable, and product routes answer 503 CATALOG_LOADING until
 * the first full export has loaded. A failed start is retried with a fresh cache and a capped
 * backoff; shutdown stops whichever cache is running or starting.
 */
@Injectable()
export class CatalogLoader implements CatalogSource, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CatalogCache');
  private ready?: CatalogCache;
  private starting?: CatalogCache;
  private stopped = false;
  /** Aborted at shutdown: cuts a backoff wait short. */
  private readonly stopping = new AbortController();
  private running?: Promise<void>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
    private readonly credentials: ServiceCredentials,
  ) {}

  /** True once a cache finished its first full load. */
  isReady(): boolean {
    return this.ready?.ready === true;
  }

  /** {@inheritDoc CatalogSource.getForChannel} */
  getForChannel(productId: string, channel: string): ChannelProductView | undefined {
    return this.ready?.getForChannel(productId, channel);
  }

  /** {@inheritDoc CatalogSource.list} */
  list(query: CatalogQuery): CatalogPage {
    return this.ready ? this.ready.list(query) : { items: [], nextAfter: null };
  }

  /** Starts loading without holding up the application's start. */
  onApplicationBootstrap(): void {
    this.running = this.run();
  }

  /** Stops the running or starting cache and the retry loop. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await Promise.all([this.starting?.stop(), this.ready?.stop()]);
    await this.running;
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      const cache = this.createCache();
      this.starting = cache;
      try {
        await cache.start();
        this.starting = undefined;
        if (this.stopped) {
          await cache.stop();
          return;
        }
        this.ready = cache;
        this.logger.log({ msg: 'catalog cache ready', products: cache.size });
        return;
      } catch (error) {
        this.starting = undefined;
        if (this.stopped) return;
        this.logger.warn({ msg: 'catalog cache could not load; product routes answer 503 until it does', retryInMs: backoff, error: (error as Error).message });
        await sleep(backoff, this.stopping.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private createCache(): CatalogCache {
    const logger: MessagingLogger = {
      info: (msg, fields) => this.logger.log({ msg, ...fields }),
      warn: (msg, fields) => this.logger.warn({ msg, ...fields }),
      error: (msg, fields) => this.logger.error({ msg, ...fields }),
    };
    return new CatalogCache({
      catalogUrl: this.env.CATALOG_URL,
      catalogHeaders: () => ({ ...this.credentials.headerFor('catalog') }),
      brokers: this.env.KAFKA_BROKERS,
      security: kafkaSecurityOf(this.env),
      topicPrefix: this.env.KAFKA_TOPIC_PREFIX,
      service: 'gateway',
      // One export attempt per cache: this loader owns the retrying.
      reloadAttempts: 1,
      logger,
    });
  }
}
