import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainError, DomainErrorType, REDIS_CLIENT, SERVICE_CONFIG } from '@omni/platform';
import type { Response } from 'express';
import type Redis from 'ioredis';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { rateLimitSubject } from '../auth/principal';
import type { GatewayEnv } from '../config/gateway.config';
import { RedisRateLimiter, type RateLimitDecision } from './rate-limiter';

/** How long the limiter may wait for Redis before letting the request through. */
const REDIS_BUDGET_MS = 250;

/**
 * Limits each authenticated principal (channel key or staff member) per minute, counted in Redis
 * so replicas share the budget. Over the limit: 429 RATE_LIMITED with Retry-After. If Redis is slow
 * or down the request passes (availability over strictness) and a warning is logged.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private readonly limiter: RedisRateLimiter;
  private lastWarning = 0;

  constructor(
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
  ) {
    this.limiter = new RedisRateLimiter(redis);
  }

  /** Counts the request; throws 429 over the limit. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = req.principal;
    if (!principal) return true;
    const limit = (principal.kind === 'channel' ? principal.rateLimitPerMinute : null) ?? this.env.RATE_LIMIT_PER_MINUTE;
    const decision = await this.decide(rateLimitSubject(principal), limit);
    if (!decision) return true;
    const res = context.switchToHttp().getResponse<Response>();
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (!decision.allowed) {
      res.setHeader('Retry-After', String(resetSeconds));
      throw new DomainError(DomainErrorType.RateLimited, 'RATE_LIMITED', `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${resetSeconds} s`);
    }
    return true;
  }

  private async decide(subject: string, limit: number): Promise<RateLimitDecision | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.limiter.hit(subject, limit),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), REDIS_BUDGET_MS);
        }),
      ]).then((decision) => {
        if (!decision) this.warn('Redis did not answer in time');
        return decision;
      });
    } catch (error) {
      this.warn((error as Error).message);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private warn(reason: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(`rate limiting skipped: ${reason}`);
  }
}
