import { STOCK_CHANGED, StockChangedEvent } from '@omni/contracts';
import { OutboxWriter } from '@omni/messaging';
import { StockChangedSink } from './stock-ledger';
import { type SqlExecutor } from '@omni/sql';

/** Writes stock-changed events to the transactional outbox, keyed by SKU: one statement for all of a change's events, in order. */
export class OutboxStockChangedSink implements StockChangedSink {
  constructor(private readonly outbox: OutboxWriter) {}

  async stockChanged(tx: SqlExecutor, events: StockChangedEvent[]): Promise<void> {
    await this.outbox.addMany(tx, STOCK_CHANGED, events.map((payload) => ({ payload })));
  }
}
