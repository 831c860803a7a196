import { Injectable } from '@nestjs/common';
import { PRICING_BRANCH_REQUESTED, PricingBranchRequestedEvent, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { EventHandler, Outbox, TransactionalEventContext } from '@omni/messaging';
import { QuoteLockService } from './quote-lock.service';

/** Participant name on tcc-branch-replied. */
export const PRICING_PARTICIPANT = 'pricing';

/** The saga's quote-lock commands over Kafka: one phase and its reply commit with the inbox row (a run of a partition's commands in one transaction). */
@Injectable()
export class QuoteLockCommandHandler {
  constructor(
    private readonly locks: QuoteLockService,
    private readonly outbox: Outbox,
  ) {}

  /** Runs the phase, then queues the reply on tcc-branch-replied in the same transaction. */
  @EventHandler(PRICING_BRANCH_REQUESTED, { batched: true })
  async onCommand(command: PricingBranchRequestedEvent, ctx: TransactionalEventContext): Promise<void> {
    const reply = await this.locks.runIn(ctx.manager, command);
    await this.outbox.add(ctx.manager, TCC_BRANCH_REPLIED, {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      gid: reply.gid,
      branchId: reply.branchId,
      participant: PRICING_PARTICIPANT,
      op: reply.op,
      outcome: reply.outcome,
      reasons: reply.reasons,
      ...(reply.detail ? { detail: { ...reply.detail } } : {}),
    }, { source: 'pricing' });
  }
}
