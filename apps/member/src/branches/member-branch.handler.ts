import { Injectable } from '@nestjs/common';
import { MEMBER_BRANCH_REQUESTED, MemberBranchRequestedEvent, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { EventHandler, Outbox, TransactionalEventContext } from '@omni/messaging';
import { MemberBranchService } from './member-branch.service';

/** Participant name on tcc-branch-replied. */
export const MEMBER_PARTICIPANT = 'member';

/** The saga's member commands over Kafka: one phase and its reply commit with the inbox row (a run of a partition's commands in one transaction). */
@Injectable()
export class MemberBranchCommandHandler {
  constructor(
    private readonly branches: MemberBranchService,
    private readonly outbox: Outbox,
  ) {}

  /** Runs the phase, then queues the reply on tcc-branch-replied in the same transaction. */
  @EventHandler(MEMBER_BRANCH_REQUESTED, { batched: true })
  async onCommand(command: MemberBranchRequestedEvent, ctx: TransactionalEventContext): Promise<void> {
    const reply = await this.branches.runIn(ctx.manager, command);
    await this.outbox.add(ctx.manager, TCC_BRANCH_REPLIED, {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      gid: reply.gid,
      branchId: reply.branchId,
      participant: MEMBER_PARTICIPANT,
      op: reply.op,
      outcome: reply.outcome,
      reasons: reply.reasons,
      ...(reply.detail ? { detail: { ...reply.detail } } : {}),
    }, { source: 'member' });
  }
}
