import { HeldBranch, HeldBranchStore, HeldBranchTable, HeldBranchTableOptions } from '@omni/tcc';
import type { ReservationService } from '../reservation.service';
import type { TxRunner } from './pg-tx.runner';

/** Reservations as held TCC branches: a Tried reservation holds stock until Confirm or Cancel. */
export const RESERVATION_HOLDS: HeldBranchTableOptions = { table: 'reservations', heldStatus: 'tried' };

/**
 * Inventory's held branches for the shared resolver: the schedule lives on the reservation rows,
 * and a release goes through the Cancel path (barrier, quota, ledger, stock-released, Redis), so a
 * Confirm that got there first wins and a later one finds the branch cancelled.
 */
export class ReservationHolds implements HeldBranchStore {
  private readonly table: HeldBranchTable;

  constructor(
    db: TxRunner,
    private readonly service: ReservationService,
  ) {
    this.table = new HeldBranchTable(db, RESERVATION_HOLDS);
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

  async cancel(branch: HeldBranch, reason: 'cancelled' | 'expired'): Promise<void> {
    await this.service.cancel(branch, reason);
  }
}
