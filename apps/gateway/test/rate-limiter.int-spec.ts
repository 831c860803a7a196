import { RedisRateLimiter } from '../src/rate-limit/rate-limiter';
import { redisReplicas } from './support/redis-replicas';

jest.setTimeout(30_000);

/**
 * The request counter every gateway replica shares, against a real Redis, with the client settings
 * the gateway runs with (auto-pipelining on): one count across replicas, concurrent hits counted
 * once each, the window's reset, and the script surviving Redis forgetting it.
 */
describe('RedisRateLimiter (real Redis, two replicas)', () => {
  const replicas = redisReplicas('rate-limit');

  it('counts concurrent hits from two replicas against one limit: exactly `limit` are allowed', async () => {
    const a = new RedisRateLimiter(replicas.a);
    const b = new RedisRateLimiter(replicas.b);
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).hit('key-1', 25)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    // Every hit got its own count: the remaining counts down 24..0 once each, then stays 0.
    const remaining = decisions.map((d) => d.remaining).sort((x, y) => y - x);
    expect(remaining.slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    expect(remaining.slice(25).every((r) => r === 0)).toBe(true);
    for (const d of decisions) expect(d.resetMs).toBeGreaterThan(0);
  });

  it('starts a new window once the old one ends', async () => {
    const limiter = new RedisRateLimiter(replicas.a, 300);
    expect((await limiter.hit('key-2', 1)).allowed).toBe(true);
    expect((await limiter.hit('key-2', 1)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await limiter.hit('key-2', 1)).allowed).toBe(true);
  });

  it('keeps counting after Redis forgot the script (a restart or SCRIPT FLUSH)', async () => {
    const limiter = new RedisRateLimiter(replicas.b);
    expect((await limiter.hit('key-3', 2)).remaining).toBe(1);
    await replicas.b.script('FLUSH');
    const after = await limiter.hit('key-3', 2);
    expect(after).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.hit('key-3', 2)).allowed).toBe(false);
  });
});
