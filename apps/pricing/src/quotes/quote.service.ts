import { DomainError, DomainErrorType } from '@omni/platform';
import type { Clock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { FlashSaleUsage, Quote, QuoteEngine } from '../domain';
import { notFound } from '../shared/definition-errors';
import { withIdempotency } from '@omni/platform';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import type { MemberTierProjection } from '../member-tiers/member-tier.projection';
import { CreateQuoteDto } from './quote.dto';
import { QuoteView } from './quote.views';

/**
 * Prices carts with the current snapshot (a member's tier from pricing's projection of tier-changed) and stores each quote (with an expiry) so the order saga
 * can lock it. Flash-sale caps come from the counters the quote lock keeps.
 */
export class QuoteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: PricingSnapshotLoader,
    private readonly tiers: MemberTierProjection,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Prices and stores a quote; 422 SKU_NOT_PRICED when a line has no price. */
  async create(body: CreateQuoteDto, idempotencyKey?: string): Promise<QuoteView> {
    const snapshot = await this.snapshots.current();
    const make = async (tx: SqlExecutor): Promise<QuoteView> => {
      const now = this.clock.now();
      // The member's tier is pricing's projection of tier-changed, whatever the caller believes it is.
      const memberTier = body.memberId ? await this.tiers.tierOf(tx, body.memberId) : null;
      const quote = this.price(snapshot.engine, snapshot.categories, body, memberTier, now, await this.flashSaleUsage(tx, snapshot.engine, now, body.memberId));
      const id = uuidv7();
      const expiresAt = new Date(now.getTime() + this.ttlMs);
      await tx.query(
        `INSERT INTO quotes (id, channel, member_id, request, result, total, currency, created_at, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9)`,
        [id, body.channel, body.memberId ?? null, JSON.stringify(body), JSON.stringify(quote), quote.total, quote.currency, now, expiresAt],
      );
      return this.view(id, expiresAt, body.memberId ?? null, quote);
    };
    // Without a key the quote is one insert; with one, the key and the quote commit together.
    if (idempotencyKey === undefined) return make(this.dataSource);
    return this.dataSource.transaction((tx) => withIdempotency(tx, idempotencyKey, `quote:${body.channel}`, body, () => make(tx)));
  }

  /** A stored quote, only for the channel it was made for (anyone else gets 404). */
  async get(id: string, channel: string): Promise<QuoteView> {
    const [row] = await queryRows<{ id: string; channel: string; member_id: string | null; result: Quote; expires_at: Date }>(
      this.dataSource,
      'SELECT id, channel, member_id, result, expires_at FROM quotes WHERE id = $1',
      [id],
    );
    if (!row || row.channel !== channel) throw notFound('QUOTE_NOT_FOUND', `no quote ${id} for channel ${channel}`);
    return this.view(row.id, new Date(row.expires_at), row.member_id, row.result);
  }

  private price(
    engine: QuoteEngine,
    categories: ReadonlyMap<string, string[]>,
    body: CreateQuoteDto,
    memberTier: string | null,
    now: Date,
    flashSaleUsage: Record<string, FlashSaleUsage>,
  ): Quote {
    const outcome = engine.quote({
      channel: body.channel,
      ...(body.storeId ? { storeId: body.storeId } : {}),
      ...(memberTier ? { memberTier } : {}),
      ...(body.memberId ? { memberId: body.memberId } : {}),
      lines: body.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, categoryIds: categories.get(line.sku) ?? [] })),
      couponCodes: body.couponCodes ?? [],
      now,
      flashSaleUsage,
    });
    if (!outcome.ok) {
      throw new DomainError(
        DomainErrorType.NotAllowed,
        'SKU_NOT_PRICED',
        `no price for ${outcome.skus.join(', ')}`,
        body.lines.flatMap((line, index) => (outcome.skus.includes(line.sku) ? [{ field: `lines.${index}.sku`, reason: `${line.sku} has no price` }] : [])),
      );
    }
    return outcome.quote;
  }

  /** Remaining cap of every active flash sale, and what this member already locked of each. */
  private async flashSaleUsage(tx: SqlExecutor, engine: QuoteEngine, now: Date, memberId?: string): Promise<Record<string, FlashSaleUsage>> {
    const ids = engine
      .activeRules(now)
      .filter((rule) => rule.definition.kind === 'flash-sale')
      .map((rule) => rule.definition.id);
    if (ids.length === 0) return {};
    const counters = await queryRows<{ rule_id: string; cap: number; sold: number; units: number | null }>(
      tx,
      `SELECT c.rule_id, c.cap, c.sold, u.units FROM flash_sale_counters c
       LEFT JOIN flash_sale_member_usage u ON u.rule_id = c.rule_id AND u.member_id = $2
       WHERE c.rule_id = ANY($1::text[])`,
      [ids, memberId ?? null],
    );
    return Object.fromEntries(counters.map((c) => [c.rule_id, { remainingCap: Math.max(0, c.cap - c.sold), memberPurchased: c.units ?? 0 }]));
  }

  private view(id: string, expiresAt: Date, memberId: string | null, quote: Quote): QuoteView {
    return { quoteId: id, expiresAt: expiresAt.toISOString(), ...(memberId ? { memberId } : {}), ...quote };
  }
}
