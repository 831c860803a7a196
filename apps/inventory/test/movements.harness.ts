import { OutboxWriter } from '@omni/messaging';
import { IdempotencyRecords1764300000000 } from '@omni/platform';
import { LowStockAlertingSink } from '../src/alerts/low-stock-alerting.sink';
import { LowStockMonitor } from '../src/alerts/low-stock.monitor';
import { StockOperationRunner } from '../src/movements/stock-operation.runner';
import { StockOperationsService } from '../src/movements/stock-operations.service';
import { TransferService } from '../src/movements/transfer.service';
import { StockOperations1763900000000 } from '../src/migrations/1763900000000-stock-operations.migration';
import { InventoryIdempotencyRecords1764300000100 } from '../src/migrations/1764300000100-idempotency-records.migration';
import { PgTxRunner } from '../src/reservation/persistence/pg-tx.runner';
import { ReservationService } from '../src/reservation/reservation.service';
import { OutboxStockChangedSink } from '../src/stock/outbox-stock-changed.sink';
import { StockLedger } from '../src/stock/stock-ledger';
import { createInventoryTestDb, InventoryTestDb } from './reservation.harness';

/** The stock operation services wired over one test database, as the module wires them. */
export interface MovementsFixture {
  t: InventoryTestDb;
  ledger: StockLedger;
  lowStock: LowStockMonitor;
  operations: StockOperationsService;
  transfers: TransferService;
  /** The TCC participant on the same ledger (so its changes raise stock-low too), without Redis. */
  reservations: ReservationService;
}

/** A migrated database (core, stock operations and idempotency tables) with the services of the movements feature. */
export async function createMovementsFixture(label: string, activeChannels: string[] = ['app']): Promise<MovementsFixture> {
  const t = await createInventoryTestDb(label);
  await t.dataSource.transaction(async (tx) => {
    for (const migration of [new StockOperations1763900000000(), new IdempotencyRecords1764300000000(), new InventoryIdempotencyRecords1764300000100()]) await migration.up(tx.queryRunner!);
  });
  const outbox = new OutboxWriter();
  const lowStock = new LowStockMonitor(outbox);
  const ledger = new StockLedger(new LowStockAlertingSink(new OutboxStockChangedSink(outbox), lowStock), { activeChannels });
  const runner = new StockOperationRunner(t.dataSource, ledger);
  const reservations = new ReservationService(new PgTxRunner(t.pool), outbox, ledger, null, { activeChannels });
  return { t, ledger, lowStock, operations: new StockOperationsService(runner), transfers: new TransferService(runner), reservations };
}

/** Outbox rows of a topic, oldest first. */
export async function outboxPayloads<T = Record<string, unknown>>(t: InventoryTestDb, topic: string): Promise<T[]> {
  const { rows } = await t.pool.query(`SELECT payload FROM messaging_outbox WHERE topic = $1 ORDER BY seq`, [topic]);
  return rows.map((r) => r.payload as T);
}
