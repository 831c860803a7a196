import { sampleEvents, type StockChangedEvent } from '@omni/contracts';
import { PermanentEventError, type TransactionalEventContext } from '@omni/messaging';
import { StockChangedHandler } from './stock-changed.handler';
import type { StockSyncService } from './stock-sync.service';

describe('StockChangedHandler', () => {
  const recorded: StockChangedEvent[] = [];
  const sync = { onStockChanged: async (event: StockChangedEvent) => void recorded.push(event) } as unknown as StockSyncService;
  const handler = new StockChangedHandler(sync);
  const ctx = { manager: {} } as TransactionalEventContext;
  const event = (overrides: Partial<StockChangedEvent>) => sampleEvents.stockChanged(overrides) as StockChangedEvent;

  beforeEach(() => recorded.splice(0));

  it('records every change that may move a platform figure, and passes a shipped reservation by', async () => {
    for (const cause of ['reservation', 'release', 'receipt', 'allocation', 'deduction'] as const) await handler.onStockChanged(event({ cause }), ctx);
    expect(recorded.map((e) => e.cause)).toEqual(['reservation', 'release', 'receipt', 'allocation']);
  });

  it("screens a run before its transaction: shipped reservations answered with nothing, the rest left to the handler", async () => {
    const run = [event({ cause: 'reservation' }), event({ cause: 'deduction' }), event({ cause: 'deduction', version: Number.MAX_SAFE_INTEGER + 2 }), event({ cause: 'release' })];
    expect(await handler.passByStock(run)).toEqual([null, [], null, null]);
  });

  it('dead-letters an out-of-range deduction like any other change', async () => {
    await expect(handler.onStockChanged(event({ cause: 'deduction', version: Number.MAX_SAFE_INTEGER + 2 }), ctx)).rejects.toBeInstanceOf(PermanentEventError);
    expect(recorded).toEqual([]);
  });
});
