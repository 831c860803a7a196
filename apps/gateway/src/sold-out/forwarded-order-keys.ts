import type Redis from 'ioredis';
import type { ForwardedKeyOperation } from './sold-out.metrics';

/** How long the record may wait for Redis before the order takes the normal path (as the rate limiter). */
export const FORWARDED_KEY_BUDGET_MS = 250;

/** Settings of the forwarded-key record. */
export interface ForwardedOrderKeysOptions {
  /** How long a key is remembered, ms (rounded up to whole seconds). */
  retentionMs: number;
  /** Longest wait for Redis per call, ms (default FORWARDED_KEY_BUDGET_MS). */
  budgetMs?: number;
  /** Called when Redis failed or did not answer in time; the caller logs and counts. */
  onFailure: (op: ForwardedKeyOperation, reason: string) => void;
}

/**
 * The order Idempotency-Keys (channel-scoped, as sent to the order service) that may have reached
 * the order service, in Redis: `SET orders:forwarded:<key> 1 NX EX <retention>`, shared by every
 * gateway replica. A key present here may hold a stored answer at the order service, so a retry of
 * it must go there even when its SKUs are sold out. Redis trouble never fails an order: a record
 * that fails is reported and the order goes on; a check that fails answers `undefined` (unknown).
 */
export class ForwardedOrderKeys {
  private readonly retentionSeconds: number;
  private readonly budgetMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: ForwardedOrderKeysOptions,
  ) {
    this.retentionSeconds = Math.ceil(options.retentionMs / 1000);
    this.budgetMs = options.budgetMs ?? FORWARDED_KEY_BUDGET_MS;
  }

  /** Records that `orderKey` is about to go to the order service; false when Redis did not take it. */
  async record(orderKey: string): Promise<boolean> {
    const answer = await this.bounded('record', () => this.redis.set(redisKey(orderKey), '1', 'EX', this.retentionSeconds, 'NX'));
    // 'OK' when set, null when it was there already: both mean the key is recorded.
    return answer !== undefined;
  }

  /** True when `orderKey` was recorded, false when not, undefined when Redis did not answer. */
  async wasForwarded(orderKey: string): Promise<boolean | undefined> {
    const count = await this.bounded('check', () => this.redis.exists(redisKey(orderKey)));
    return count === undefined ? undefined : count > 0;
  }

  /** Runs a Redis command within the budget; undefined (reported) when it failed or took longer. */
  private async bounded<T>(op: ForwardedKeyOperation, command: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timed out');
    try {
      const answer = await Promise.race([
        command(),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), this.budgetMs);
        }),
      ]);
      if (answer === timedOut) {
        this.options.onFailure(op, `Redis did not answer within ${this.budgetMs} ms`);
        return undefined;
      }
      return answer;
    } catch (error) {
      this.options.onFailure(op, (error as Error).message);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The Redis key of an order key (the client's REDIS_KEY_PREFIX comes in front). */
export function redisKey(orderKey: string): string {
  return `orders:forwarded:${orderKey}`;
}
