import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { PricingEnv } from '../config/pricing.config';
import { PeriodicTask } from '../scheduling/periodic-task';
import { QuoteLockExpirySweeper } from './quote-lock-expiry.sweeper';

/** Runs the quote-lock expiry sweeper every QUOTE_LOCK_SWEEP_INTERVAL_MS in this replica until shutdown. */
@Injectable()
export class QuoteLockTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    sweeper: QuoteLockExpirySweeper,
    @Inject(SERVICE_CONFIG) private readonly env: PricingEnv,
  ) {
    this.task = new PeriodicTask('quote-lock expiry sweep', () => sweeper.sweepOnce());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.QUOTE_LOCK_SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
