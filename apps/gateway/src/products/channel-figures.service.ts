import { HttpException, Injectable, Logger } from '@nestjs/common';
import type { ChannelProductView as CachedChannelView } from '@omni/catalog-cache';
import type { ChannelPrincipal } from '../auth/principal';
import { PricingGateway } from '../pricing/pricing.gateway';
import { mapBounded } from '../upstream/bounded';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { stockHintRule } from './channel-listing';
import { VIEW_WARNINGS, type ChannelFigures } from './product-view.composer';
import type { SkuPriceView, StockHintView } from './product.view';

/** Availability calls one request may have in flight. */
const AVAILABILITY_CONCURRENCY = 8;

/** What inventory answers for GET /internal/availability/:sku. */
interface AvailabilityAnswer {
  hint: StockHintView;
}

/**
 * Fetches the caller's channel prices (pricing) and stock hints (inventory), per SKU with bounded
 * concurrency, for products being shown. Only the principal's channel and store are ever
 * sent upstream. An upstream that fails leaves its figures out and adds a warning: the catalog
 * part of the view is local and still answers.
 */
@Injectable()
export class ChannelFiguresService {
  private readonly logger = new Logger('ChannelFigures');

  constructor(
    private readonly upstreams: Upstreams,
    private readonly pricing: PricingGateway,
  ) {}

  /** Prices and hints for every SKU of `listed`, for the principal's channel. */
  async figures(principal: ChannelPrincipal, listed: readonly CachedChannelView[]): Promise<ChannelFigures> {
    const warnings: string[] = [];
    const skus = listed.flatMap((view) => view.skus.map(({ sku }) => sku));
    const [prices, hints] = await Promise.all([
      this.prices(principal, skus, warnings),
      this.hints(principal, listed, warnings),
    ]);
    return { prices, hints, warnings };
  }

  private async prices(principal: ChannelPrincipal, skus: string[], warnings: string[]): Promise<Map<string, SkuPriceView>> {
    if (skus.length === 0) return new Map();
    try {
      return await this.pricing.unitPrices(principal.channel, principal.locationId, skus);
    } catch (error) {
      this.logFailure('pricing', error);
      warnings.push(VIEW_WARNINGS.priceUnavailable);
      return new Map();
    }
  }

  private async hints(principal: ChannelPrincipal, listed: readonly CachedChannelView[], warnings: string[]): Promise<Map<string, StockHintView>> {
    const requests: Array<{ sku: string; query: Record<string, string | number | undefined> }> = [];
    for (const view of listed) {
      const rule = stockHintRule(view.display);
      if (rule.kind === 'store' && !principal.locationId) {
        if (!warnings.includes(VIEW_WARNINGS.stockNeedsStore)) warnings.push(VIEW_WARNINGS.stockNeedsStore);
        continue;
      }
      for (const { sku } of view.skus) {
        requests.push({
          sku,
          query: {
            channel: principal.channel,
            profile: rule.kind,
            threshold: rule.kind === 'online' ? rule.lowStockThreshold : undefined,
            location: rule.kind === 'store' ? (principal.locationId ?? undefined) : undefined,
          },
        });
      }
    }
    let failed = false;
    const answers = await mapBounded(requests, AVAILABILITY_CONCURRENCY, async ({ sku, query }) => {
      if (failed) return undefined;
      try {
        const { body } = await this.upstreams.inventory.call<AvailabilityAnswer>({ method: 'GET', path: `internal/availability/${segment(sku)}`, query });
        return body?.hint && typeof body.hint.code === 'string' ? body.hint : undefined;
      } catch (error) {
        // One failure is enough to know inventory is unwell: skip the remaining calls.
        if (!(error instanceof HttpException) || error.getStatus() >= 500) failed = true;
        this.logFailure('inventory', error);
        return undefined;
      }
    });
    if (failed) warnings.push(VIEW_WARNINGS.stockUnavailable);
    const hints = new Map<string, StockHintView>();
    requests.forEach(({ sku }, i) => {
      const hint = answers[i];
      if (hint) hints.set(sku, hint);
    });
    return hints;
  }

  private logFailure(service: string, error: unknown): void {
    const detail = error instanceof HttpException ? JSON.stringify(error.getResponse()) : String(error);
    this.logger.warn(`${service} figures left out: ${detail}`);
  }
}
