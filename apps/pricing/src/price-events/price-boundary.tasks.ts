import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { PricingEnv } from '../config/pricing.config';
import { PeriodicTask } from '../scheduling/periodic-task';
import { PriceBoundaryPublisher } from './price-boundary.publisher';

/** Runs the boundary publisher every PRICE_SCHEDULER_INTERVAL_MS in this replica until shutdown. */
@Injectable()
export class PriceBoundaryTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    publisher: PriceBoundaryPublisher,
    @Inject(SERVICE_CONFIG) private readonly env: PricingEnv,
  ) {
    this.task = new PeriodicTask('price boundary tick', () => publisher.tick());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.PRICE_SCHEDULER_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
