import { Injectable } from '@nestjs/common';
import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
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
}
