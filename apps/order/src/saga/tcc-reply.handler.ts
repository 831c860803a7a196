import { Inject, Injectable } from '@nestjs/common';
import { TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
import { TccCoordinator } from '@omni/tcc';
import { FaultInjector } from '../fault/fault-injector';

/**
 * Consumes participants' replies (inventory's, pricing's and member's, all on tcc-branch-replied) and hands
 * each to the coordinator in the inbox transaction; the coordinator finds the branch by gid and
 * branch id, whichever participant answers.
 */
@Injectable()
export class TccReplyHandler {
  constructor(
    private readonly coordinator: TccCoordinator,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
  ) {}

  /** One reply → one coordinator step (duplicates are dropped by the inbox, stale ones by the CAS). */
  @EventHandler(TCC_BRANCH_REPLIED)
  async onReply(reply: TccBranchRepliedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.coordinator.onReply(ctx.manager, { gid: reply.gid, branchId: reply.branchId, op: reply.op, outcome: reply.outcome, reasons: reply.reasons, ...(reply.detail ? { detail: reply.detail } : {}) });
    if (reply.op === 'try') this.faults.hit('try-reply');
    if (reply.op === 'confirm') this.faults.hit('confirm-reply');
  }
}
