import Redis from 'ioredis';
import { testInfra, uniqueId } from '@omni/testing';
import { AtpCache } from '../src/redis-gate/atp-cache';

// The Redis gate against real Redis: version-stamped writes, refusals, misses, and the short
// in-process reuse of a sold-out answer.
let redis: Redis;
beforeAll(() => {
  // As the service's client is set up (libs/platform createRedisClient): commands of one tick share a write.
  redis = new Redis(testInfra.redisUrl, { keyPrefix: `${uniqueId('gate')}:`, enableAutoPipelining: true });
});
afterAll(() => redis.disconnect());

describe('AtpCache', () => {
  it('only replaces an entry with a newer version', async () => {
    const cache = new AtpCache(redis);
    expect(await cache.write([{ sku: 'G1', version: 5, channels: [{ channel: 'app', available: 3 }] }])).toBe(1);
    expect(await cache.write([{ sku: 'G1', version: 4, channels: [{ channel: 'app', available: 9 }] }])).toBe(0);
    expect(await cache.write([{ sku: 'G1', version: 5, channels: [{ channel: 'app', available: 9 }] }])).toBe(0);
    expect(await cache.read('G1')).toEqual({ sku: 'G1', version: 5, channels: [{ channel: 'app', available: 3 }] });
  });

  it('refuses only when every key is present and a line is short; a missing key or channel is a miss', async () => {
    const cache = new AtpCache(redis);
    await cache.write([
      { sku: 'G2', version: 1, channels: [{ channel: 'app', available: 2 }] },
      { sku: 'G3', version: 1, channels: [{ channel: 'app', available: 0 }] },
    ]);
    expect(await cache.gate('app', new Map([['G2', 2]]))).toEqual({ verdict: 'pass' });
    expect(await cache.gate('app', new Map([['G2', 1], ['G3', 1]]))).toEqual({ verdict: 'refuse', short: [{ sku: 'G3', available: 0 }] });
    expect(await cache.gate('app', new Map([['G3', 1], ['NOPE', 1]]))).toEqual({ verdict: 'miss', skus: ['NOPE'] });
    expect(await cache.gate('web', new Map([['G3', 1]]))).toEqual({ verdict: 'miss', skus: ['G3'] });
  });

  it('reuses a sold-out answer for a few milliseconds, and forgets it when it writes newer ATP', async () => {
    const cache = new AtpCache(redis, 'atp', 60_000);
    await cache.write([{ sku: 'G4', version: 1, channels: [{ channel: 'app', available: 0 }] }]);
    expect((await cache.gate('app', new Map([['G4', 1]]))).verdict).toBe('refuse');
    await redis.del(cache.key('G4'));
    // Redis no longer holds the key, but the answer it gave is reused.
    expect((await cache.gate('app', new Map([['G4', 1]]))).verdict).toBe('refuse');
    await cache.write([{ sku: 'G4', version: 2, channels: [{ channel: 'app', available: 5 }] }]);
    expect((await cache.gate('app', new Map([['G4', 1]]))).verdict).toBe('pass');
    const noMemo = new AtpCache(redis, 'atp', 0);
    await cache.write([{ sku: 'G5', version: 1, channels: [{ channel: 'app', available: 0 }] }]);
    expect((await noMemo.gate('app', new Map([['G5', 1]]))).verdict).toBe('refuse');
    await redis.del(noMemo.key('G5'));
    expect((await noMemo.gate('app', new Map([['G5', 1]]))).verdict).toBe('miss');
  });
});
