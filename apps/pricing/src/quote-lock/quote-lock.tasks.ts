import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HELD_BRANCH_SETTINGS, HeldBranchResolver, HeldBranchSettings } from '@omni/tcc';

/**
 * Runs the held-lock resolver every TCC_HELD_BRANCH_CHECK_INTERVAL_MS in this replica until
 * shutdown: quote locks past their deadline are settled by asking the order saga's coordinator.
 */
@Injectable()
export class QuoteLockTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QuoteLocks');

  constructor(
    private readonly resolver: HeldBranchResolver,
    @Inject(HELD_BRANCH_SETTINGS) private readonly settings: HeldBranchSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.resolver.start(this.settings.intervalMs, (error) => this.logger.warn(`held quote lock check failed: ${(error as Error).message}`));
  }

  onApplicationShutdown(): Promise<void> {
    return this.resolver.stop();
  }
}
