import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { O2oConnectorEnv, platformSettingsFrom } from '../config/o2o-connector.config';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import type { TokenBucket } from '../domain/token-bucket';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { PushLeadership } from '../stock-sync/push-leadership';
import { platformBucket } from './push.engine';

/** One feature that pushes while this replica leads (stock, prices). */
export interface LeaderDuty {
  /** The notification channel its wanted values are announced on. */
  channel: string;
  /** This replica became the pusher: build engines and resync from the tables. */
  won(): Promise<void>;
  /** A wanted value announced by any replica. */
  announced(payload: string): void;
  /** Leadership was lost: stop pushing. */
  lost(): void;
}

/**
 * One replica pushes to the platforms, every kind of value alike, so each platform's rate limit is
 * one budget: this holds the leadership (a Postgres advisory lock, see PushLeadership) for every
 * registered duty, and the one token bucket per platform that all of them spend.
 */
@Injectable()
export class PushLeadershipService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushLeadershipService.name);
  private readonly duties: LeaderDuty[] = [];
  private readonly buckets = new Map<string, TokenBucket>();
  private leadership?: PushLeadership;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly env: O2oConnectorEnv,
    @Inject(PLATFORM_ADAPTERS) private readonly adapters: PlatformAdapter[],
  ) {}

  /** Adds a duty; call before the application bootstraps. */
  register(duty: LeaderDuty): void {
    this.duties.push(duty);
  }

  /** The platform's one rate budget, shared by its stock and price pushes. */
  bucketOf(platform: string): TokenBucket {
    let bucket = this.buckets.get(platform);
    if (!bucket) {
      const settings = platformSettingsFrom(this.env).find((candidate) => candidate.channel === platform);
      bucket = platformBucket(settings?.ratePerSecond ?? 1, this.env.O2O_PUSH_CONCURRENCY, Date.now());
      this.buckets.set(platform, bucket);
    }
    return bucket;
  }

  /** Tries for leadership (the winner resyncs every duty); standbys keep trying. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.adapters.length === 0) return;
    this.leadership = new PushLeadership(
      this.env.DATABASE_URL,
      {
        won: async () => {
          for (const duty of this.duties) await duty.won();
          this.logger.log('push leadership won: platforms resynced');
        },
        announced: (channel, payload) => {
          for (const duty of this.duties) if (duty.channel === channel) duty.announced(payload);
        },
        lost: () => {
          for (const duty of this.duties) duty.lost();
          this.logger.warn('push leadership lost');
        },
      },
      (error) => this.logger.warn(`push leadership: ${error.message}`),
      1_000,
      [...new Set(this.duties.map((duty) => duty.channel))],
    );
    await this.leadership.start();
  }

  /** Gives leadership up; unacknowledged values are pushed again by the next leader. */
  async onApplicationShutdown(): Promise<void> {
    await this.leadership?.stop();
  }
}
