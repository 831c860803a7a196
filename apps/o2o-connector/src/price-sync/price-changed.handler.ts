import { Injectable } from '@nestjs/common';
import { PRICE_CHANGED, type PriceChangedEvent } from '@omni/contracts';
import { EventHandler, PermanentEventError, type TransactionalEventContext } from '@omni/messaging';
import { PriceSyncService } from './price-sync.service';

/** price-changed → the platforms' wanted prices, in the inbox transaction (a run of a partition's events in one). */
@Injectable()
export class PriceChangedHandler {
  constructor(private readonly sync: PriceSyncService) {}

  /** Records a platform channel's price; a number no column can hold is dead-lettered at once. */
  @EventHandler(PRICE_CHANGED, { batched: true })
  async onPriceChanged(event: PriceChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    if (!Number.isSafeInteger(event.version) || !Number.isSafeInteger(event.price.amount)) {
      throw new PermanentEventError('version or price amount is out of range', 'EVENT_OUT_OF_RANGE');
    }
    await this.sync.onPriceChanged(event, ctx.manager);
  }
}
