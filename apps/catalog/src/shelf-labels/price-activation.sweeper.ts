import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { DataSource } from 'typeorm';
import type { CatalogEnv } from '../config/catalog.config';
import { queryRows } from '@omni/sql';
import { prunePrices } from './price-stock.handlers';
import { ShelfLabelWriter } from './shelf-label.writer';

/**
 * Prices announced ahead of time take effect on the shelf when their instant passes: every
 * interval, prices that became effective are marked active and their SKUs' labels refreshed in
 * the same transaction (a restart simply picks them up on the next sweep).
 */
@Injectable()
export class PriceActivationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PriceActivationSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly labels: ShelfLabelWriter,
    @Inject(SERVICE_CONFIG) private readonly env: CatalogEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'price activation sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.env.PRICE_ACTIVATION_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Activates due prices; returns how many labels changed. */
  sweep(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const due = await queryRows<{ sku: string; channel: string; version: string }>(
        tx,
        `UPDATE sku_prices SET activated = true WHERE NOT activated AND effective_from <= now() RETURNING sku, channel, version`,
      );
      for (const price of due) await prunePrices(tx, price.sku, price.channel, Number(price.version));
      return due.length === 0 ? 0 : this.labels.refresh(tx, { skus: due.map((d) => d.sku) });
    });
  }
}
