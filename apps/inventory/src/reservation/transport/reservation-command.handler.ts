import { Inject, Injectable } from '@nestjs/common';
import { FaultInjector } from '@omni/platform';
import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { BatchEvent, EventBatchHandler, EventHandler, EventScreen, OutboxEvent, OutboxWriter, TransactionalEventContext } from '@omni/messaging';
import { EntityManager } from 'typeorm';
import { ReservationCommandService } from '../reservation-command.service';
import type { InventoryFaultPoint } from '../reservation.config';
import { INVENTORY_FAULTS } from '../../wiring/inventory.tokens';

/** Kafka edge of the participant: the payload is already validated by the consumer; one call. */
@Injectable()
export class ReservationCommandHandler {
  constructor(
    private readonly commands: ReservationCommandService,
    private readonly outbox: OutboxWriter,
    @Inject(INVENTORY_FAULTS) private readonly faults: FaultInjector<InventoryFaultPoint>,
  ) {}

  /** Try / Confirm / Cancel requested by the order saga; the reply goes out through the outbox. */
  @EventHandler(INVENTORY_BRANCH_REQUESTED)
  async onBranchRequested(payload: InventoryBranchRequestedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.commands.handle(ctx.manager, payload);
  }

  /**
   * Consecutive Try and Confirm commands of a partition in one transaction: a burst of orders and
   * payments costs one commit, one SKU lock and a few statements, not one of each per command.
   * Cancels stay one by one, in their place; a run that fails (RunNeedsOneByOne among others) is
   * applied one command at a time.
   */
  @EventBatchHandler(INVENTORY_BRANCH_REQUESTED, { accepts: (cmd) => cmd.op === 'try' || cmd.op === 'confirm', maxSize: 500 })
  async onRun(events: Array<BatchEvent<InventoryBranchRequestedEvent>>, manager: EntityManager): Promise<void> {
    const cmds = events.map((e) => e.payload);
    await this.commands.handleRun(manager, cmds);
    if (cmds.length > 1 && cmds.some((c) => c.op === 'confirm')) this.faults.hit('command-run');
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
