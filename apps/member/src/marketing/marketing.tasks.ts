import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PointsService } from '../points/points.service';
import { MARKETING_INTERVAL_MS } from './marketing.tokens';
import { MarketingService } from './marketing.service';

/** Members reviewed per transaction by the period-end tier review. */
const TIER_REVIEW_BATCH = 500;

/**
 * Runs the member schedule every MEMBER_MARKETING_INTERVAL_MS in this replica until shutdown (never
 * two runs at once in one replica): member-day and birthday coupons (replicas may overlap, the
 * wallet's occasion keys make that safe), then the period-end tier review (downgrades of members
 * whose period ended; replicas share it with SKIP LOCKED).
 */
@Injectable()
export class MarketingTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MemberMarketing');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly marketing: MarketingService,
    private readonly points: PointsService,
    @Inject(MARKETING_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.marketing
      .run()
      .then((runs) => {
        for (const run of runs) if (run.issued > 0 || run.skipped) this.logger.log(`occasion ${run.occasion} (template ${run.templateId}): ${run.issued} coupon(s) issued${run.skipped ? `, skipped: ${run.skipped}` : ''}`);
      })
      .catch((error: unknown) => this.logger.warn(`scheduled member marketing failed: ${(error as Error).message}`))
      .then(() => this.reviewTiers())
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async reviewTiers(): Promise<void> {
    try {
      let reviewed = 0;
      for (let batch = TIER_REVIEW_BATCH; batch === TIER_REVIEW_BATCH; reviewed += batch) batch = await this.points.reviewDueTiers(TIER_REVIEW_BATCH);
      if (reviewed > 0) this.logger.log(`tier review at period end: ${reviewed} member(s) reviewed`);
    } catch (error) {
      this.logger.warn(`scheduled tier review failed: ${(error as Error).message}`);
    }
  }
}
