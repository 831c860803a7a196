import { DataSource } from 'typeorm';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { ensureMessagingSchema } from '@omni/messaging';
import { createTestDatabase, TestDatabase } from '@omni/testing';
import { Clock, SystemClock, TccBarrierMigration1763700000000 } from '@omni/tcc';
import { OutboxWriter, TopicNames } from '@omni/messaging';
import Redis from 'ioredis';
import { AtpCache } from '../src/redis-gate/atp-cache';
import { PgTxRunner } from '../src/reservation/persistence/pg-tx.runner';
import { ReservationService } from '../src/reservation/reservation.service';
import { OutboxStockChangedSink } from '../src/stock/outbox-stock-changed.sink';
import { StockLedger as Ledger } from '../src/stock/stock-ledger';
import { InventoryCore1763800000000 } from '../src/migrations/1763800000000-inventory-core.migration';
import { ReservationHotPath1763800000100 } from '../src/migrations/1763800000100-reservation-hot-path.migration';
import { ReservationHolds1765000000000 } from '../src/migrations/1765000000000-reservation-holds.migration';
import { StockChangedSink } from '../src/stock/stock-ledger';
import { type SqlExecutor } from '@omni/sql';
import { StockChangedEvent } from '@omni/contracts';

/** The migrations the reservation suites need, in order. */
export const RESERVATION_TEST_MIGRATIONS = [TccBarrierMigration1763700000000, InventoryCore1763800000000, ReservationHotPath1763800000100, ReservationHolds1765000000000];

/** A migrated inventory database for one suite, with a TypeORM DataSource and a raw pg pool. */
export interface InventoryTestDb {
  db: TestDatabase;
  dataSource: DataSource;
  pool: Pool;
  close(): Promise<void>;
}

/** Creates a database, runs the inventory core migrations and the messaging schema on it. */
export async function createInventoryTestDb(label: string, poolSize = 10): Promise<InventoryTestDb> {
  const db = await createTestDatabase(label);
  const dataSource = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: RESERVATION_TEST_MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await ensureMessagingSchema(dataSource.manager);
  const pool = db.pool(poolSize);
  // Idle connections may be terminated by the server (other suites restart or kill backends);
  // the pool replaces them, so an idle error must not crash the suite.
  pool.on('error', () => undefined);
  return {
    db,
    dataSource,
    pool,
    close: async () => {
      await pool.end();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Inserts a location and returns its id. */
export async function addLocation(tx: SqlExecutor, code: string, status: 'open' | 'closed' = 'open', type = 'warehouse'): Promise<string> {
  const id = uuidv7();
  await tx.query(`INSERT INTO locations (id, code, name, type, status) VALUES ($1, $2, $2, $3, $4)`, [id, code, type, status]);
  return id;
}

/** Inserts an owner and returns its id. */
export async function addOwner(tx: SqlExecutor, name: string, type: 'retailer' | 'consignor' = 'retailer'): Promise<string> {
  const id = uuidv7();
  await tx.query(`INSERT INTO owners (id, name, type) VALUES ($1, $2, $3)`, [id, name, type]);
  return id;
}

/** Sets a channel allocation rule for a SKU (the SKU row must exist). */
export async function setAllocation(tx: SqlExecutor, sku: string, channel: string, mode: 'shared' | 'dedicated', amount: number): Promise<void> {
  await tx.query(
    `INSERT INTO channel_allocations (sku, channel, mode, safety_stock, quota_remaining) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sku, channel) DO UPDATE SET mode = EXCLUDED.mode, safety_stock = EXCLUDED.safety_stock, quota_remaining = EXCLUDED.quota_remaining`,
    [sku, channel, mode, mode === 'shared' ? amount : 0, mode === 'dedicated' ? amount : 0],
  );
}

/** A sink that keeps the events in memory (for suites that check the ledger, not the outbox). */
export class RecordingSink implements StockChangedSink {
  readonly events: StockChangedEvent[] = [];
  async stockChanged(_tx: SqlExecutor, events: StockChangedEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** Levels that differ from the ledger sums (empty when the invariant holds), plus any negative level. */
export async function ledgerMismatches(tx: SqlExecutor): Promise<unknown[]> {
  const rows = await tx.query(`
    WITH sums AS (
      SELECT sku, location_id, owner_id, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved
        FROM stock_movements GROUP BY sku, location_id, owner_id)
    SELECT coalesce(l.sku, s.sku) AS sku, coalesce(l.location_id, s.location_id) AS location_id, coalesce(l.owner_id, s.owner_id) AS owner_id,
           l.on_hand AS level_on_hand, s.on_hand AS ledger_on_hand, l.reserved AS level_reserved, s.reserved AS ledger_reserved
      FROM stock_levels l FULL JOIN sums s ON s.sku = l.sku AND s.location_id = l.location_id AND s.owner_id = l.owner_id
     WHERE l.on_hand IS DISTINCT FROM coalesce(s.on_hand, 0) OR l.reserved IS DISTINCT FROM coalesce(s.reserved, 0)
        OR l.on_hand < 0 OR l.reserved < 0 OR l.reserved > l.on_hand`);
  return Array.isArray(rows) ? rows : rows.rows;
}

/** The reservation service wired to a suite's database (and Redis, when given), as the app wires it. */
export function buildReservationService(
  t: InventoryTestDb,
  opts: { redis?: Redis; clock?: Clock; activeChannels?: string[] } = {},
): { service: ReservationService; ledger: Ledger; cache: AtpCache | null } {
  const outbox = new OutboxWriter(new TopicNames());
  const clock = opts.clock ?? new SystemClock();
  const ledger = new Ledger(new OutboxStockChangedSink(outbox), { activeChannels: opts.activeChannels ?? [], clock });
  const cache = opts.redis ? new AtpCache(opts.redis) : null;
  const service = new ReservationService(new PgTxRunner(t.pool), outbox, ledger, cache, { clock, activeChannels: opts.activeChannels ?? [] });
  return { service, ledger, cache };
}
