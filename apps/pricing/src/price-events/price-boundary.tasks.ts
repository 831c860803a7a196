import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { PricingEnv } from '../config/pricing.config';
import { PeriodicTask } from '../scheduling/periodic-task';
import { PricingWriteRunner } from '../shared/pricing-write.runner';
import { BoundaryTick, PriceBoundaryPublisher } from './price-boundary.publisher';

/**
 * Runs the boundary publisher in this replica until shutdown: at the next window edge of the
 * pricing data, PRICE_SCHEDULER_INTERVAL_MS apart at least and 5 × that at most (a write in another
 * replica that adds a nearer edge is seen within it); a write in this replica runs it again
 * PRICE_SCHEDULER_INTERVAL_MS later.
 */
@Injectable()
export class PriceBoundaryTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask<BoundaryTick>;

  constructor(
    publisher: PriceBoundaryPublisher,
    writes: PricingWriteRunner,
    @Inject(SERVICE_CONFIG) private readonly env: PricingEnv,
  ) {
    this.task = new PeriodicTask('price boundary tick', () => publisher.tick(), (_tick, intervalMs) => {
      const now = Date.now();
      const edge = publisher.nextEdgeAfter(now);
      return Math.min(5 * intervalMs, edge === null ? Infinity : edge - now);
    });
    writes.onCommitted(() => this.task.wake());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.PRICE_SCHEDULER_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
