import { Injectable } from '@nestjs/common';
import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent } from '@omni/contracts';
import { BatchEvent, EventBatchHandler, EventHandler, TransactionalEventContext } from '@omni/messaging';
import { EntityManager } from 'typeorm';
import { ReservationCommandService } from './reservation-command.service';

/** Kafka edge of the participant: the payload is already validated by the consumer; one call. */
@Injectable()
export class ReservationCommandHandler {
  constructor(private readonly commands: ReservationCommandService) {}

  /** Try / Confirm / Cancel requested by the order saga; the reply goes out through the outbox. */
  @EventHandler(INVENTORY_BRANCH_REQUESTED)
  async onBranchRequested(payload: InventoryBranchRequestedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.commands.handle(ctx.manager, payload);
  }

  /**
   * Consecutive Try commands of a partition in one transaction: a burst of orders (or of refusals
   * once a SKU sells out) costs one commit, one SKU lock and a few statements, not one of each per
   * Try. Confirm and Cancel stay one by one, in their place.
   */
  @EventBatchHandler(INVENTORY_BRANCH_REQUESTED, { accepts: (cmd) => cmd.op === 'try', maxSize: 500 })
  async onTryBatch(events: Array<BatchEvent<InventoryBranchRequestedEvent>>, manager: EntityManager): Promise<void> {
    await this.commands.handleTries(manager, events.map((e) => e.payload));
  }
}
