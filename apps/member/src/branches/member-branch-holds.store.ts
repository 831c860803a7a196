import { HeldBranch, HeldBranchStore, HeldBranchTable, HeldBranchTableOptions } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import type { MemberBranchService } from './member-branch.service';

/** Member branches as held TCC branches: a frozen branch holds coupons, points and a gift-card amount. */
export const MEMBER_BRANCH_HOLDS: HeldBranchTableOptions = { table: 'member_branches', heldStatus: 'frozen' };

/**
 * Member's held branches for the shared resolver: a branch past its deadline is never unfrozen by
 * member alone; the resolver asks the coordinator, and a release goes through the Cancel path
 * (barrier first), so a Confirm that got there first wins.
 */
export class MemberBranchHolds implements HeldBranchStore {
  private readonly table: HeldBranchTable;

  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: MemberBranchService,
  ) {
    this.table = new HeldBranchTable(dataSource, MEMBER_BRANCH_HOLDS);
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
    await this.dataSource.transaction((tx) => this.branches.cancelIn(tx, branch));
  }
}
