import { testInfra, uniqueId } from '@omni/testing';
import Redis from 'ioredis';

/** Two gateway replicas' Redis clients, open while the suite's tests run. */
export interface RedisReplicas {
  a: Redis;
  b: Redis;
}

/**
 * Registers, in the calling `describe`, two Redis clients connected as two gateway replicas are
 * (auto-pipelining on) to the real Redis, under a key prefix of their own: opened before the
 * tests, their keys deleted and both closed after.
 */
export function redisReplicas(name: string): RedisReplicas {
  const prefix = `${uniqueId(name)}:`;
  const connect = (): Redis => new Redis(testInfra.redisUrl, { keyPrefix: prefix, enableAutoPipelining: true });
  const replicas = {} as RedisReplicas;
  beforeAll(() => {
    replicas.a = connect();
    replicas.b = connect();
  });
  afterAll(async () => {
    const keys = await replicas.a.keys(`${prefix}*`);
    if (keys.length > 0) await replicas.a.del(...keys.map((k) => k.slice(prefix.length)));
    replicas.a.disconnect();
    replicas.b.disconnect();
  });
  return replicas;
}
