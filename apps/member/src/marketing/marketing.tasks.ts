import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MARKETING_INTERVAL_MS } from './marketing.tokens';
import { MarketingService } from './marketing.service';

/**
 * Runs scheduled marketing every MEMBER_MARKETING_INTERVAL_MS in this replica until shutdown (never
 * two runs at once in one replica; replicas may overlap, the wallet's occasion keys make that safe).
 */
@Injectable()
export class MarketingTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MemberMarketing');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly marketing: MarketingService,
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
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
