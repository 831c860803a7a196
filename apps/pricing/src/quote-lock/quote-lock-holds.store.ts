import { HeldBranch, HeldBranchStore, HeldBranchTable, HeldBranchTableOptions } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import type { QuoteLockService } from './quote-lock.service';

/** Quote locks as held TCC branches: a locked quote holds its prices and flash-sale units. */
export const QUOTE_LOCK_HOLDS: HeldBranchTableOptions = { table: 'quote_locks', heldStatus: 'locked' };

/**
 * Pricing's held branches for the shared resolver: the schedule lives on the lock rows, and a
 * release goes through the Cancel path (barrier, flash-sale units back to the cap), so a Confirm
 * that got there first wins.
 */
export class QuoteLockHolds implements HeldBranchStore {
  private readonly table: HeldBranchTable;

  constructor(
    private readonly dataSource: DataSource,
    private readonly locks: QuoteLockService,
  ) {
    this.table = new HeldBranchTable(dataSource, QUOTE_LOCK_HOLDS);
  }

  claimDue(now: Date, claimUntil: Date, limit: number): Promise<HeldBranch[]> {
    return this.table.claimDue(now, claimUntil, limit);
  }

  recheckAt(branches: readonly HeldBranch[], at: Date): Promise<void> {
    return this.table.recheckAt(branches, at);
  }

  nextDueAt(): Promise<Date | null> {
    return this.table.nextDueAt();
  }

  async cancel(branch: HeldBranch): Promise<void> {
    await this.dataSource.transaction((tx) => this.locks.cancelIn(tx, branch));
  }
}
