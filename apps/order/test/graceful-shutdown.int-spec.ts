import { uniqueId, waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';

// SIGTERM under load, for order and for inventory, with real processes on real servers: buyers
// keep placing orders while the signal arrives. The process stops intake, lets the requests and
// messages in flight finish, flushes its outbox and exits 0 within its one budget
// (SHUTDOWN_TIMEOUT_MS). Afterwards nothing sits unsent in its outbox, no buyer got a 5xx, and,
// once it is back, every order placed is decided and stock agrees with the orders.
jest.setTimeout(600_000);

const BUDGET_MS = 8_000;
const world = new SagaWorld('order_stop');
const SKU = uniqueId('STOP').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const ORDER_ENV = { SHUTDOWN_TIMEOUT_MS: String(BUDGET_MS), ORDER_DECISION_WAIT_MS: '3000', ORDER_DECISION_TIMEOUT_MS: '20000' };
const INVENTORY_ENV = { SHUTDOWN_TIMEOUT_MS: String(BUDGET_MS) };
let inventory: ServiceProcess;
let order: ServiceProcess;

beforeAll(async () => {
  await world.init();
  inventory = await world.startInventory(INVENTORY_ENV);
  order = await world.startOrder(ORDER_ENV);
  await world.consumersJoined();
  await world.seed(inventory, { [SKU]: 100_000 });
});

afterAll(async () => {
  await world.close();
});

/** What buyers saw while a process was stopped under them. */
interface LoadResult {
  /** Orders answered 201/202: they exist. */
  placed: string[];
  /** Answers with a 5xx status (must stay empty). */
  serverErrors: string[];
}

/**
 * `buyers` loops each placing orders against the order replica at `url()` until `stop` resolves; a
 * refused connection (the process stopped listening) ends that buyer. Every request goes to 127.0.0.1.
 */
async function load(url: () => string, buyers: number, stop: Promise<void>): Promise<LoadResult> {
  const result: LoadResult = { placed: [], serverErrors: [] };
  let stopped = false;
  void stop.then(() => (stopped = true));
  await Promise.all(
    Array.from({ length: buyers }, async () => {
      const deadline = Date.now() + 60_000;
      while (!stopped && Date.now() < deadline) {
        const answer = await post(url(), '/orders', orderBody('app', SKU, 1, world.locationId), { 'idempotency-key': uuidv7() }).catch(() => null);
        if (answer === null) return; // connection refused or closed: intake stopped
        if (answer.status >= 500) result.serverErrors.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        else if (answer.status === 201 || answer.status === 202) result.placed.push(String(answer.body.id));
      }
    }),
  );
  return result;
}

/** Sends SIGTERM after `afterMs` of load; resolves to the exit and how long shutdown took. */
async function terminate(p: ServiceProcess, afterMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; tookMs: number }> {
  await new Promise((r) => setTimeout(r, afterMs));
  const at = Date.now();
  p.signal('SIGTERM');
  const exit = await p.exited;
  const tookMs = Date.now() - at;
  process.stdout.write(`${p.name} stopped in ${tookMs} ms (${JSON.stringify(exit)})\n`);
  return { ...exit, tookMs };
}

async function unsentOutbox(pool: { query: (sql: string) => Promise<{ rows: { n: number }[] }> }): Promise<number> {
  return (await pool.query('SELECT count(*)::int AS n FROM messaging_outbox WHERE sent_at IS NULL')).rows[0].n;
}

/** Every order decided (none created, no saga trying) and inventory holding exactly what reserved orders hold. */
async function everyOrderDecided(): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await world.orderPool.query(
        `SELECT (SELECT count(*) FROM orders WHERE status = 'created')::int AS created, (SELECT count(*) FROM tcc_global WHERE status = 'trying')::int AS trying`,
      );
      return rows[0].created === 0 && rows[0].trying === 0;
    },
    { timeoutMs: 90_000, intervalMs: 250, what: 'every order to be decided' },
  );
  const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'reserved'`);
  await waitFor(async () => (await world.stock(SKU)).reserved === rows[0].n, { timeoutMs: 30_000, intervalMs: 250, what: 'inventory to hold what orders hold' });
}

it('order: SIGTERM under load exits 0 within SHUTDOWN_TIMEOUT_MS, answers every request in flight, leaves no unsent outbox row, and every order is decided', async () => {
  let release!: () => void;
  const stop = new Promise<void>((r) => (release = r));
  const buyers = load(() => order.url, 12, stop);
  const exit = await terminate(order, 3_000);
  release();
  const seen = await buyers;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(exit.tookMs).toBeLessThan(BUDGET_MS);
  expect(seen.serverErrors).toEqual([]);
  expect(seen.placed.length).toBeGreaterThan(0);
  // Flushed before exit: every saga command and order event written was published.
  expect(await unsentOutbox(world.orderPool)).toBe(0);
  const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])`, [seen.placed]);
  expect(rows[0].n).toBe(seen.placed.length);

  order = await world.startOrder(ORDER_ENV);
  await everyOrderDecided();
});

it('inventory: SIGTERM under load exits 0 within SHUTDOWN_TIMEOUT_MS, leaves no unsent outbox row, and every order is decided once it is back', async () => {
  let release!: () => void;
  const stop = new Promise<void>((r) => (release = r));
  const buyers = load(() => order.url, 12, stop);
  const exit = await terminate(inventory, 3_000);
  // Buyers keep going a moment without inventory (their orders wait for it), then stop.
  await new Promise((r) => setTimeout(r, 1_000));
  release();
  const seen = await buyers;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(exit.tookMs).toBeLessThan(BUDGET_MS);
  expect(seen.serverErrors).toEqual([]);
  expect(await unsentOutbox(world.inventoryPool)).toBe(0);

  inventory = await world.startInventory(INVENTORY_ENV);
  await everyOrderDecided();
  // The ledger agrees with the stock: each reservation is held, released or deducted, never twice.
  const { rows } = await world.inventoryPool.query(
    `SELECT count(*)::int AS n FROM (SELECT ref, type FROM stock_movements WHERE sku = $1 AND type IN ('reservation', 'release', 'deduction') GROUP BY ref, type HAVING count(*) > 1) twice`,
    [SKU],
  );
  expect(rows[0].n).toBe(0);
});
