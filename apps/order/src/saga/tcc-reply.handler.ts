import { Inject, Injectable } from '@nestjs/common';
import { TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { BatchEvent, EventBatchHandler, EventHandler, TransactionalEventContext } from '@omni/messaging';
import { TccCoordinator, type TccReply } from '@omni/tcc';
import type { EntityManager } from 'typeorm';
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
    await this.apply(ctx.manager, reply);
  }

  /**
   * Consecutive replies of a partition in one transaction, applied in order exactly as one by one:
   * a burst of decisions costs one commit and one inbox statement, not one of each per reply.
   * Replies are keyed by saga, so batches on other partitions lock other sagas: no lock cycle with
   * them, and the payment, cancel and recovery paths lock one saga at a time. If the batch fails it
   * rolls back whole and each reply is applied alone.
   */
  @EventBatchHandler(TCC_BRANCH_REPLIED, { accepts: () => true, maxSize: 200 })
  async onReplyBatch(events: Array<BatchEvent<TccBranchRepliedEvent>>, manager: EntityManager): Promise<void> {
    await this.coordinator.onReplies(
      manager,
      events.map(({ payload }) => replyOf(payload)),
      (reply, i) => {
        this.appliedFault(reply);
        if (i === 0 && events.length > 1) this.faults.hit('reply-batch');
      },
    );
  }

  private async apply(manager: EntityManager, reply: TccBranchRepliedEvent): Promise<void> {
    await this.coordinator.onReply(manager, replyOf(reply));
    this.appliedFault(reply);
  }

  private appliedFault(reply: Pick<TccReply, 'op'>): void {
    if (reply.op === 'try') this.faults.hit('try-reply');
    if (reply.op === 'confirm') this.faults.hit('confirm-reply');
  }
}

function replyOf(reply: TccBranchRepliedEvent): TccReply {
  return { gid: reply.gid, branchId: reply.branchId, op: reply.op, outcome: reply.outcome, reasons: reply.reasons, ...(reply.detail ? { detail: reply.detail } : {}) };
}
