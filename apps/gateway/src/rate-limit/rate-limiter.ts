import type Redis from 'ioredis';

/** Outcome of counting one request against a subject's window. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** INCR then arm the window on the first hit, atomically, so every replica shares one count. */
const COUNT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

type CountingRedis = Redis & { omniRateLimitCount(key: string, windowMs: string): Promise<[number, number]> };

/**
 * Fixed-window request counter in Redis (window starts at the subject's first request). Shared by
 * all gateway replicas through the one Redis; the client's key prefix isolates environments.
 */
export class RedisRateLimiter {
  private readonly redis: CountingRedis;

  constructor(
    redis: Redis,
    private readonly windowMs = 60_000,
  ) {
    // Sent by its SHA (EVALSHA), not its text, on every request; ioredis loads it again after a Redis restart.
    if (!('omniRateLimitCount' in redis)) redis.defineCommand('omniRateLimitCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.redis = redis as CountingRedis;
  }

  /** Counts one request of `subject` against `limit` per window. */
  async hit(subject: string, limit: number): Promise<RateLimitDecision> {
    const [count, ttl] = await this.redis.omniRateLimitCount(`ratelimit:${subject}`, String(this.windowMs));
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: Math.max(0, ttl) };
  }
}
