import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT } from '../platform.tokens';
import { KAFKA_READINESS } from './kafka-readiness';
import { READINESS_CHECK_TIMEOUT_MS, reasonOf, withTimeout, type ReadinessProbe } from './readiness';
import { PublicRoute } from '../service-auth/public-route.decorator';

/** Liveness and readiness endpoints for Kubernetes probes. */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(KAFKA_READINESS) private readonly kafka: ReadinessProbe,
  ) {}

  /** 200 while the process runs; checks nothing else on purpose (a dependency outage must not restart pods). */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when database, Redis and Kafka answer; 503 naming the ones that do not. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.redisCheck(), () => this.kafkaCheck()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private async database(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('database');
    try {
      if (!this.dataSource.isInitialized) return session.down({ message: 'not connected' });
      await withTimeout(this.dataSource.query('SELECT 1'), READINESS_CHECK_TIMEOUT_MS, 'database');
      return session.up();
    } catch (error) {
      return session.down({ message: reasonOf(error) });
    }
  }

  private async redisCheck(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    try {
      if (this.redis.status !== 'ready') return session.down({ message: `connection ${this.redis.status}` });
      await withTimeout(this.redis.ping(), READINESS_CHECK_TIMEOUT_MS, 'redis');
      return session.up();
    } catch (error) {
      return session.down({ message: reasonOf(error) });
    }
  }

  private async kafkaCheck(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('kafka');
    try {
      const { up, details } = await withTimeout(this.kafka.check(READINESS_CHECK_TIMEOUT_MS), READINESS_CHECK_TIMEOUT_MS + 250, 'kafka');
      return up ? session.up(details ?? {}) : session.down(details ?? { message: 'down' });
    } catch (error) {
      return session.down({ message: reasonOf(error) });
    }
  }
}
