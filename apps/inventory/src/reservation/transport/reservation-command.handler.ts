import { Injectable } from '@nestjs/common';
import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { BatchEvent, EventBatchHandler, EventHandler, EventScreen, OutboxEvent, OutboxWriter, TransactionalEventContext } from '@omni/messaging';
import { EntityManager } from 'typeorm';
import { ReservationCommandService } from '../reservation-command.service';

/** Kafka edge of the participant: the payload is already validated by the consumer; one call. */
@Injectable()
export class ReservationCommandHandler {
  constructor(
    private readonly commands: ReservationCommandService,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Try / Confirm / Cancel requested by the order saga; the reply goes out through the outbox. */
  @EventHandler(INVENTORY_BRANCH_REQUESTED)
  async onBranchRequested(payload: InventoryBranchRequestedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.commands.handle(ctx.manager, payload);
  }

  /**
   * Consecutive Try commands of a partition in one transaction: a burst of orders costs one commit,
   * one SKU lock and a few statements, not one of each per Try. Confirm and Cancel stay one by one,
   * in their place.
   */
  @EventBatchHandler(INVENTORY_BRANCH_REQUESTED, { accepts: (cmd) => cmd.op === 'try', maxSize: 500 })
  async onTryBatch(events: Array<BatchEvent<InventoryBranchRequestedEvent>>, manager: EntityManager): Promise<void> {
    await this.commands.handleTries(manager, events.map((e) => e.payload));
  }

  /**
   * Before a run of Try commands opens its transaction, the ones refused without the database
   * (sold out at the Redis gate, or past their deadline) are answered straight to Kafka: a sold-out
   * SKU's flood of orders costs no inbox row, no outbox row and no commit in Postgres.
   */
  @EventScreen(INVENTORY_BRANCH_REQUESTED)
  async screenTries(commands: InventoryBranchRequestedEvent[]): Promise<Array<OutboxEvent[] | null>> {
    const replies = await this.commands.screen(commands);
    return replies.map((reply) => (reply ? [this.outbox.event(TCC_BRANCH_REPLIED, reply)] : null));
  }
}
