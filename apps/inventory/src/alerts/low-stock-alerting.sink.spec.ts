import { sampleEvents, type StockChangedEvent } from '@omni/contracts';
import type { SqlExecutor } from '@omni/sql';
import type { StockChangedSink } from '../stock/stock-ledger';
import { LowStockAlertingSink } from './low-stock-alerting.sink';
import type { LowStockMonitor } from './low-stock.monitor';

describe('LowStockAlertingSink', () => {
  const written: StockChangedEvent[][] = [];
  const evaluated: Array<Array<Pick<StockChangedEvent, 'sku' | 'locationId' | 'available'>>> = [];
  const inner: StockChangedSink = { stockChanged: async (_tx, events) => void written.push(events) };
  const monitor = { evaluateEvents: async (_tx: SqlExecutor, events: StockChangedEvent[]) => (evaluated.push(events), []) } as unknown as LowStockMonitor;
  const sink = new LowStockAlertingSink(inner, monitor);
  const tx = {} as SqlExecutor;
  const event = (sku: string, cause: StockChangedEvent['cause']) => sampleEvents.stockChanged({ sku, cause }) as StockChangedEvent;

  beforeEach(() => {
    written.splice(0);
    evaluated.splice(0);
  });

  it('writes every event, and evaluates thresholds for those that may move availability', async () => {
    await sink.stockChanged(tx, [event('A', 'reservation'), event('B', 'deduction'), event('C', 'release')]);
    expect(written.map((batch) => batch.map((e) => e.sku))).toEqual([['A', 'B', 'C']]);
    expect(evaluated.map((batch) => batch.map((e) => e.sku))).toEqual([['A', 'C']]);
  });

  it('evaluates nothing for deductions alone (they leave available as it was)', async () => {
    await sink.stockChanged(tx, [event('A', 'deduction')]);
    expect(written).toHaveLength(1);
    expect(evaluated).toEqual([]);
  });
});
