import { Inject, Injectable, Logger } from '@nestjs/common';
import { soldOutRefusal } from '@omni/contracts';
import { DomainError, DomainErrorType, REDIS_CLIENT, SERVICE_CONFIG } from '@omni/platform';
import type Redis from 'ioredis';
import type { GatewayEnv } from '../config/gateway.config';
import { ForwardedOrderKeys } from './forwarded-order-keys';
import { SoldOutFeed } from './sold-out.feed';
import { SoldOutMetrics, type ForwardedKeyOperation } from './sold-out.metrics';
import { SoldOutProjection } from './sold-out.projection';

/** At most one warning about Redis per this many ms. */
const WARN_EVERY_MS = 10_000;

/**
 * The first step of placing an order: refuse it at once (409 SOLD_OUT) when stock-changed last said
 * one of its SKUs has no ATP on the caller's channel, before pricing, member or order hear of it;
 * otherwise record its Idempotency-Key as forwarded and let it go on.
 *
 * A retry must get the first attempt's answer, and the order service holds that answer for any key
 * that reached it. So a sold-out order is refused only when its key is not recorded as forwarded:
 * a recorded key (or one Redis cannot tell about) goes on to the order service, which replays what
 * it stored. A refused key is never recorded, so its retry is judged afresh: 409 again while sold
 * out, placed once stock came back. Redis trouble never refuses or fails an order.
 */
@Injectable()
export class SoldOutFastPath {
  private readonly logger = new Logger('SoldOut');
  private readonly keys: ForwardedOrderKeys;
  private lastWarning = 0;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
    @Inject(REDIS_CLIENT) redis: Redis,
    private readonly projection: SoldOutProjection,
    private readonly feed: SoldOutFeed,
    private readonly metrics: SoldOutMetrics,
  ) {
    this.keys = new ForwardedOrderKeys(redis, { retentionMs: env.SOLD_OUT_KEY_RETENTION_MS, onFailure: (op, reason) => this.redisFailed(op, reason) });
  }

  /**
   * Throws 409 SOLD_OUT naming each sold-out line (`lines.<i>.sku`) when the order may be refused
   * now; else records `orderKey` (the channel-scoped key the order service will get) as forwarded.
   * Call it before any upstream call of the order.
   */
  async admit(channel: string, lines: ReadonlyArray<{ sku: string }>, orderKey: string): Promise<void> {
    if (!this.env.SOLD_OUT_FAST_PATH) return;
    const soldOut = this.feed.answering ? this.projection.soldOutLines(channel, lines) : [];
    if (soldOut.length === 0) {
      // Recorded before pricing, not just before the order call: a retry racing this attempt finds
      // the key as soon as this attempt is past the check.
      await this.keys.record(orderKey);
      return;
    }
    // Recorded: the order service may hold an answer for it. Unknown (Redis failed): the normal path.
    if ((await this.keys.wasForwarded(orderKey)) !== false) return;
    this.metrics.refused(channel);
    throw soldOutError(channel, soldOut);
  }

  private redisFailed(op: ForwardedKeyOperation, reason: string): void {
    this.metrics.keyFailed(op);
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    const effect = op === 'record' ? 'an order key was forwarded unrecorded (its retry during a sell-out may be answered 409)' : 'a sold-out order was forwarded to the order service';
    this.logger.warn({ msg: `sold-out fast path: Redis failed; ${effect}`, op, reason });
  }
}

/** 409 SOLD_OUT naming each sold-out line (`lines.<i>.sku`), its SKU and the channel. */
export function soldOutError(channel: string, soldOut: ReadonlyArray<{ index: number; sku: string }>): DomainError {
  const { code, message, details } = soldOutRefusal(channel, soldOut);
  return new DomainError(DomainErrorType.Conflict, code, message, details);
}
