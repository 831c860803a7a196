import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { MetricsService, REDIS_CLIENT } from '@omni/platform';
import type Redis from 'ioredis';
import type { SkuPriceView } from '../products/product.view';
import { mapBounded } from '../upstream/bounded';
import { segment } from '../upstream/upstream.client';
import { registeredCounter } from '../metrics/registered-metrics';
import { Upstreams } from '../upstream/upstreams';
import { QuoteCache } from './quote-cache';

/** A line of a quote request as pricing takes it. */
export interface QuoteLineRequest {
  sku: string;
  quantity: number;
}

/** What pricing answers for GET /internal/prices/:sku. */
interface EffectivePriceAnswer {
  sku: string;
  channel: string;
  currency: string;
  listPrice: number;
  unitPrice: number;
  effectivePrice: number;
}

/** The parts of a stored quote (GET /internal/quotes/:id) an order is built from. */
export interface StoredQuote {
  quoteId: string;
  channel: string;
  /** The member the quote was made for, when one was signed in. */
  memberId?: string;
  currency: string;
  expiresAt: string;
  lines: Array<{
    sku: string;
    quantity: number;
    /** Price per unit after the price stage. */
    unitPrice: number;
    /** Discounts on this line (order-level ones: its allocated share). */
    discounts: Array<{ ruleId: string; amount: number; couponCode?: string }>;
    discountTotal: number;
  }>;
  subtotal: number;
  discountTotal: number;
  total: number;
}

/** Price reads one request may have in flight. */
const PRICE_CONCURRENCY = 8;

/** At most one warning about the quote cache's Redis per this many ms. */
const WARN_EVERY_MS = 10_000;

/** The gateway's use of pricing's internal API. Only the caller's channel (and store) is ever sent. */
@Injectable()
export class PricingGateway {
  private readonly logger = new Logger('PricingGateway');
  private readonly quotes: QuoteCache;
  private lastWarning = 0;

  constructor(
    private readonly upstreams: Upstreams,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    const counted = registeredCounter(
      metrics.registry,
      'gateway_quote_cache_total',
      'Quotes kept in Redis when relayed (op=remember) and looked up there when an order names one (op=recall): hit, miss (asked of pricing), stored, error',
      ['op', 'outcome'],
    );
    this.quotes = new QuoteCache(redis, (op, outcome, reason) => {
      counted.inc({ op, outcome });
      if (reason !== undefined && Date.now() - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`quote cache ${op} passed by: ${reason}`);
      }
    });
  }

  /**
   * Asks pricing for a quote of `lines` on `channel` (at `storeId` for store keys), for `memberId`
   * when a member is signed in (pricing resolves the member's tier itself); relays pricing's answer.
   */
  async quote(channel: string, storeId: string | null, lines: QuoteLineRequest[], couponCodes: string[], memberId?: string): Promise<unknown> {
    const { body } = await this.upstreams.pricing.call<unknown>({
      method: 'POST',
      path: 'internal/quotes',
      body: { channel, ...(storeId ? { storeId } : {}), ...(memberId ? { memberId } : {}), lines, couponCodes },
    });
    // Kept for the order that usually follows (see QuoteCache): one ask of pricing fewer.
    await this.quotes.remember(body);
    return body;
  }

  /**
   * A stored quote of `channel`, or null when pricing has none by that id for that channel: from
   * the quotes this gateway relayed when it has it, else asked of pricing.
   */
  async storedQuote(channel: string, quoteId: string): Promise<StoredQuote | null> {
    const kept = await this.quotes.recall<StoredQuote>(channel, quoteId);
    if (kept) return kept;
    try {
      // Pricing answers another channel's quote as unknown, so a key learns nothing about other channels.
      const { body } = await this.upstreams.pricing.call<StoredQuote>({ method: 'GET', path: `internal/quotes/${segment(quoteId)}`, query: { channel } });
      // Defence in depth: never price an order from another channel's quote.
      return body.channel === channel ? body : null;
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 404) return null;
      throw error;
    }
  }

  /**
   * The shelf price of one unit of each SKU on `channel` (item-level promotions included) and its
   * list price. SKUs pricing has no price for (404) are left out; any other failure throws.
   */
  async unitPrices(channel: string, storeId: string | null, skus: readonly string[]): Promise<Map<string, SkuPriceView>> {
    const unique = [...new Set(skus)];
    const answers = await mapBounded(unique, PRICE_CONCURRENCY, async (sku) => {
      try {
        const { body } = await this.upstreams.pricing.call<EffectivePriceAnswer>({
          method: 'GET',
          path: `internal/prices/${segment(sku)}`,
          query: { channel, storeId: storeId ?? undefined },
        });
        return body;
      } catch (error) {
        if (error instanceof HttpException && error.getStatus() === 404) return undefined;
        throw error;
      }
    });
    const prices = new Map<string, SkuPriceView>();
    for (const answer of answers) {
      if (!answer) continue;
      // Defence in depth: a figure for any other channel never reaches the caller.
      if (answer.channel !== channel) throw new Error(`pricing answered for channel ${answer.channel}, asked ${channel}`);
      prices.set(answer.sku, {
        unit: { amount: answer.effectivePrice, currency: answer.currency },
        list: { amount: answer.listPrice, currency: answer.currency },
      });
    }
    return prices;
  }
}
