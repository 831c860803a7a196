import { STOCK_CHANGED, StockChangedEvent } from '@omni/contracts';
import { OutboxWriter } from '@omni/messaging';
import { StockChangedSink } from './stock-ledger';
import { type SqlExecutor } from '@omni/sql';

/** Writes stock-changed events to the transactional outbox, keyed by SKU. */
export class OutboxStockChangedSink implements StockChangedSink {
  constructor(private readonly outbox: OutboxWriter) {}

  async stockChanged(tx: SqlExecutor, events: StockChangedEvent[]): Promise<void> {
    for (const event of events) await this.outbox.add(tx, STOCK_CHANGED, event);
  }
}
