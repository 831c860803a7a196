import { movesAvailability, type StockChangedEvent } from '@omni/contracts';
import { type SqlExecutor } from '@omni/sql';
import type { StockChangedSink } from '../stock/stock-ledger';
import type { LowStockMonitor } from './low-stock.monitor';

/**
 * Wraps the stock-changed sink so every stock change — Try, Confirm, Cancel, expiry, receipts,
 * transfers… — evaluates low-stock thresholds in its own transaction, from the same figures the
 * stock-changed events carry. Build the StockLedger with it and no writer can forget the alert.
 */
export class LowStockAlertingSink implements StockChangedSink {
  constructor(
    private readonly inner: StockChangedSink,
    private readonly monitor: LowStockMonitor,
  ) {}

  /** Writes the stock-changed events, then any stock-low they cause (a deduction leaves availability, so it causes none). */
  async stockChanged(tx: SqlExecutor, events: StockChangedEvent[]): Promise<void> {
    await this.inner.stockChanged(tx, events);
    const moving = events.filter(movesAvailability);
    if (moving.length === 0) return;
    await this.monitor.evaluateEvents(tx, moving);
  }
}
