import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import type { ServiceEnv } from '../config/service-env';
import { REDIS_CLIENT, SERVICE_CONFIG } from '../platform.tokens';

/** Creates the service's ioredis client; it connects at module init, not at construction. */
export function createRedisClient(config: ServiceEnv, service: string): Redis {
  return new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectionName: service,
    lazyConnect: true,
    connectTimeout: 3_000,
    // Commands issued in the same tick (concurrent requests' rate-limit counts, ATP gates) go out in
    // one write: on a busy replica a socket write per command is a large share of the CPU.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 2,
    // Keep reconnecting with a capped backoff: readiness reports the outage meanwhile.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** Provider of the {@link REDIS_CLIENT} token. */
export function redisClientProvider(service: string): Provider {
  return { provide: REDIS_CLIENT, inject: [SERVICE_CONFIG], useFactory: (config: ServiceEnv) => createRedisClient(config, service) };
}

/** Connects the shared Redis client when the app starts and closes it when the app stops. */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  /** Fails start-up if Redis cannot be reached. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
  }

  /** Sends QUIT, or drops the connection if Redis is gone. */
  async onApplicationShutdown(): Promise<void> {
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch (error) {
      this.logger.warn(`closing Redis failed: ${(error as Error).message}`);
      this.redis.disconnect();
    }
  }
}
