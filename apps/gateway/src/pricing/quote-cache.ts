import { reasonOf, withTimeout } from '@omni/platform';
import type Redis from 'ioredis';

/** How long a read or write may wait for Redis before the quote takes the normal path (as the rate limiter). */
export const QUOTE_CACHE_BUDGET_MS = 250;

/** The longest a quote is kept, whatever its expiry says. */
export const QUOTE_CACHE_MAX_TTL_MS = 3_600_000;

/** What a cache read found: the quote, nothing, or Redis did not answer. */
export type QuoteCacheOutcome = 'hit' | 'miss' | 'error';

/** A quote as pricing answers it (POST /internal/quotes and GET /internal/quotes/:id), as far as the cache checks it. */
export interface CachedQuote {
  quoteId: string;
  channel: string;
  expiresAt: string;
}

/**
 * The quotes this gateway relayed, in Redis until they expire (`quotes:<id>`, shared by every
 * replica), so placing an order with a quote reads it here instead of asking pricing for it again.
 * A quote never changes once pricing made it, so a copy cannot go stale; and the order's saga locks
 * the quote at pricing, which refuses one expired, locked or unknown, and charges what pricing holds.
 * A quote not found here (written by a replica whose Redis call failed, or evicted) is asked of
 * pricing as before. Redis trouble never fails a quote or an order: it is reported and passed by.
 */
export class QuoteCache {
  constructor(
    private readonly redis: Redis,
    private readonly onOutcome: (op: 'remember' | 'recall', outcome: QuoteCacheOutcome | 'stored', reason?: string) => void,
    private readonly budgetMs = QUOTE_CACHE_BUDGET_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `quote` (pricing's answer) until it expires; anything that is not a quote is left alone. */
  async remember(quote: unknown): Promise<void> {
    if (!isQuote(quote)) return;
    const ttlMs = Math.min(Date.parse(quote.expiresAt) - this.now(), QUOTE_CACHE_MAX_TTL_MS);
    if (!(ttlMs > 0)) return;
    try {
      await withTimeout(this.redis.set(quoteKey(quote.quoteId), JSON.stringify(quote), 'PX', ttlMs), this.budgetMs, 'Redis');
      this.onOutcome('remember', 'stored');
    } catch (error) {
      this.onOutcome('remember', 'error', reasonOf(error));
    }
  }

  /** The quote `quoteId` of `channel` as pricing answered it, or undefined (not here, another channel's, or Redis did not answer). */
  async recall<T extends CachedQuote>(channel: string, quoteId: string): Promise<T | undefined> {
    let stored: string | null;
    try {
      stored = await withTimeout(this.redis.get(quoteKey(quoteId)), this.budgetMs, 'Redis');
    } catch (error) {
      this.onOutcome('recall', 'error', reasonOf(error));
      return undefined;
    }
    const quote = stored === null ? undefined : parse(stored);
    // Another channel's quote is pricing's to refuse: it answers it as unknown.
    if (!quote || quote.quoteId !== quoteId || quote.channel !== channel) {
      this.onOutcome('recall', 'miss');
      return undefined;
    }
    this.onOutcome('recall', 'hit');
    return quote as T;
  }
}

/** The Redis key of a quote (the client's REDIS_KEY_PREFIX comes in front). */
export function quoteKey(quoteId: string): string {
  return `quotes:${quoteId}`;
}

function parse(stored: string): CachedQuote | undefined {
  try {
    const value: unknown = JSON.parse(stored);
    return isQuote(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isQuote(value: unknown): value is CachedQuote {
  if (!value || typeof value !== 'object') return false;
  const q = value as Record<string, unknown>;
  return typeof q.quoteId === 'string' && typeof q.channel === 'string' && typeof q.expiresAt === 'string' && !Number.isNaN(Date.parse(q.expiresAt)) && Array.isArray(q.lines);
}
