import { Injectable } from '@nestjs/common';
import { movesAvailability, STOCK_CHANGED, type StockChangedEvent } from '@omni/contracts';
import { EventHandler, EventScreen, PermanentEventError, type TransactionalEventContext } from '@omni/messaging';
import { StockSyncService } from './stock-sync.service';

/** Largest value of the integer quantity column. */
const MAX_INT4 = 2_147_483_647;

/** Whether the columns hold a stock change's figures. */
function fits(event: StockChangedEvent): boolean {
  return Number.isSafeInteger(event.version) && event.atp.every((entry) => entry.available <= MAX_INT4);
}

/** stock-changed → the platforms' wanted stock, in the inbox transaction (a run of a partition's events in one). */
@Injectable()
export class StockChangedHandler {
  constructor(private readonly sync: StockSyncService) {}

  /**
   * Records and offers each platform channel's ATP; a value no column can hold is dead-lettered at
   * once. A shipped reservation changes no platform's figure and is passed by.
   */
  @EventHandler(STOCK_CHANGED, { batched: true })
  async onStockChanged(event: StockChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    if (!fits(event)) throw new PermanentEventError('version or an ATP value is out of range', 'EVENT_OUT_OF_RANGE');
    if (movesAvailability(event)) await this.sync.onStockChanged(event, ctx.manager);
  }

  /** Passes a run's shipped reservations by before its transaction (one out of range is left to the handler, which dead-letters it). */
  @EventScreen(STOCK_CHANGED)
  async passByStock(events: readonly StockChangedEvent[]): Promise<Array<[] | null>> {
    return events.map((event) => (movesAvailability(event) || !fits(event) ? null : []));
  }
}
