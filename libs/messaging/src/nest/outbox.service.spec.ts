import { PRICE_CHANGED, PriceChangedEvent, sampleEvents, STOCK_CHANGED, StockChangedEvent } from '@omni/contracts';
import type { EntityManager } from 'typeorm';
import { EventValidationError, UndeclaredContractError } from '../common/errors';
import { OutboxWriter } from '../outbox/outbox-writer';
import type { MessagingModuleOptions } from './messaging.options';
import { Outbox } from './outbox.service';

/** A transaction's manager that records every statement sent on it (the queryRunner identifies the transaction). */
function fakeManager(queryRunner: object = {}) {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  const manager = { queryRunner, query: async (sql: string, params: unknown[]) => (statements.push({ sql, params }), []) } as unknown as EntityManager;
  return { manager, statements };
}

const stock = (available: number) => Object.assign(new StockChangedEvent(), sampleEvents.stockChanged({ available }));
const price = () => Object.assign(new PriceChangedEvent(), sampleEvents.priceChanged());

describe('Outbox.gathering (OutboxWriter.gathering)', () => {
  const outbox = new Outbox({ publishes: [STOCK_CHANGED, PRICE_CHANGED] } as unknown as MessagingModuleOptions, new OutboxWriter());

  it('writes the events added meanwhile in one statement, in order, after the work', async () => {
    const { manager, statements } = fakeManager();
    const ids: string[] = [];
    await outbox.gathering(manager, async () => {
      ids.push(await outbox.add(manager, STOCK_CHANGED, stock(1)));
      ids.push(await outbox.add(manager, PRICE_CHANGED, price()));
      ids.push(await outbox.add(manager, STOCK_CHANGED, stock(2)));
      expect(statements).toHaveLength(0);
    });
    expect(statements).toHaveLength(1);
    const [idParam, topics, , , payloads] = statements[0].params as string[][];
    expect(idParam).toEqual(ids);
    expect(topics).toEqual(['stock-changed', 'price-changed', 'stock-changed']);
    expect(payloads.map((p) => JSON.parse(p).available)).toEqual([1, undefined, 2]);
  });

  it('holds back what another manager of the same transaction adds, but not another transaction', async () => {
    const runner = {};
    const first = fakeManager(runner);
    const sameTx = fakeManager(runner);
    const otherTx = fakeManager();
    await outbox.gathering(first.manager, async () => {
      await outbox.add(sameTx.manager, STOCK_CHANGED, stock(3));
      await outbox.add(otherTx.manager, STOCK_CHANGED, stock(4));
    });
    expect(sameTx.statements).toHaveLength(0);
    expect(first.statements).toHaveLength(1);
    expect(otherTx.statements).toHaveLength(1);
    // After the gathering ends, add writes at once again.
    await outbox.add(first.manager, STOCK_CHANGED, stock(5));
    expect(first.statements).toHaveLength(2);
  });

  it('holds back what any writer of the process queues in the transaction (add, addMany, addAll), in call order', async () => {
    const { manager, statements } = fakeManager();
    const other = new OutboxWriter();
    await outbox.gathering(manager, async () => {
      await other.addMany(manager, STOCK_CHANGED, [{ payload: stock(10) }, { payload: stock(11) }]);
      await outbox.add(manager, PRICE_CHANGED, price());
      await other.addAll(manager, [{ contract: STOCK_CHANGED, payload: stock(12) }]);
    });
    expect(statements).toHaveLength(1);
    const [, topics, , , payloads] = statements[0].params as string[][];
    expect(topics).toEqual(['stock-changed', 'stock-changed', 'price-changed', 'stock-changed']);
    expect(payloads.map((p) => JSON.parse(p).available)).toEqual([10, 11, undefined, 12]);
  });

  it('refuses a bad payload or an undeclared contract at the call, and writes nothing when the work throws', async () => {
    const { manager, statements } = fakeManager();
    await expect(
      outbox.gathering(manager, async () => {
        await outbox.add(manager, STOCK_CHANGED, stock(6));
        await expect(outbox.add(manager, STOCK_CHANGED, stock(-1))).rejects.toBeInstanceOf(EventValidationError);
        await expect(outbox.add(manager, { ...STOCK_CHANGED, type: 'com.example.undeclared.v1' }, stock(7))).rejects.toBeInstanceOf(UndeclaredContractError);
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');
    expect(statements).toHaveLength(0);
  });

  it('writes nothing for a run that published nothing, and a nested gathering leaves the write to the outer one', async () => {
    const { manager, statements } = fakeManager();
    await outbox.gathering(manager, async () => undefined);
    expect(statements).toHaveLength(0);
    await outbox.gathering(manager, async () => {
      await outbox.gathering(manager, () => outbox.add(manager, STOCK_CHANGED, stock(8)));
      expect(statements).toHaveLength(0);
      await outbox.add(manager, STOCK_CHANGED, stock(9));
    });
    expect(statements).toHaveLength(1);
    expect((statements[0].params as string[][])[0]).toHaveLength(2);
  });
});
