import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HELD_BRANCH_SETTINGS, HeldBranchResolver, HeldBranchSettings } from '@omni/tcc';

/**
 * Runs the held-branch resolver every TCC_HELD_BRANCH_CHECK_INTERVAL_MS in this replica until
 * shutdown: branches frozen past their deadline are settled by asking the order saga's coordinator.
 */
@Injectable()
export class MemberBranchTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MemberBranches');

  constructor(
    private readonly resolver: HeldBranchResolver,
    @Inject(HELD_BRANCH_SETTINGS) private readonly settings: HeldBranchSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.resolver.start(this.settings.intervalMs, (error) => this.logger.warn(`held member branch check failed: ${(error as Error).message}`));
  }

  onApplicationShutdown(): Promise<void> {
    return this.resolver.stop();
  }
}
