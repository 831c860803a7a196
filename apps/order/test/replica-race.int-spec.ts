import type { Server } from 'node:net';
import { uniqueId, waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
// The very code `npm run up -- --replicas` runs (plain JS in tools/dev, outside every Nx project), not a copy of it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { replicaName, replicaPorts, startBalancer } from '../../../tools/dev/replicas';
import { freePort, get, orderBody, post, SagaWorld, ServiceProcess, type JsonResponse } from './saga.harness';

// Scale-out on one machine, wired as `npm run up -- --replicas order=2,inventory=2` wires it: two
// order and two inventory replicas on their own ports (tools/dev/replicas: usual port + 10·k), buyers
// reaching order through the round-robin balancer on the usual port, inventory asking every order
// replica as its coordinator. 300 buyers race for 100 units of one hot SKU: exactly the stock is
// sold. Then a second race, where one order and one inventory replica are killed (-9) mid-race:
// every order is decided exactly once within a bounded time, nothing is oversold, units paid =
// units deducted, and the ledger agrees with the stock. All traffic goes to 127.0.0.1.
jest.setTimeout(600_000);

const world = new SagaWorld('order_repl');
const HOT = uniqueId('RPL').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const KILL = uniqueId('RPK').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const STOCK = 100;
const BUYERS = 300;
const CHANNELS = ['app', 'web', 'marketplace', 'social', 'store-pos'];
const inventories: ServiceProcess[] = [];
const orders: ServiceProcess[] = [];
let balancer: Server;
let entry = '';

const ORDER_ENV = { LOG_LEVEL: 'warn', ORDER_DECISION_TIMEOUT_MS: '20000', ORDER_DECISION_WAIT_MS: '2000' };

beforeAll(async () => {
  await world.init();
  // The usual ports of the pair (what a caller with one address knows), and the replicas' own ports after the scheme.
  const [orderUsual, inventoryUsual] = [await freePort(), await freePort()];
  world.orderPorts = replicaPorts(orderUsual, 2);
  const inventoryPorts = replicaPorts(inventoryUsual, 2);
  // One at a time: several services compiling at once on this machine is slow, and one has exited silently at start-up.
  for (const [k, port] of inventoryPorts.entries()) {
    inventories.push(await world.startInventory({ LOG_LEVEL: 'warn', PORT: String(port), TCC_HELD_BRANCH_CHECK_INTERVAL_MS: '500' }, replicaName('inventory', k, 2)));
  }
  for (const k of [0, 1]) orders.push(await world.startOrder(ORDER_ENV, k));
  balancer = await startBalancer(orderUsual, world.orderPorts);
  entry = `http://127.0.0.1:${orderUsual}`;
  await world.consumersJoined();
  await world.seed(inventories[0], { [HOT]: STOCK, [KILL]: STOCK });
});

afterAll(async () => {
  await new Promise((resolve) => balancer?.close(resolve));
  await world.close();
});

/**
 * A buyer's POST /orders through the balancer: a refused or cut connection (a replica just died)
 * or a 503 is sent again with the same Idempotency-Key, as a client does, for at most 60 s.
 */
async function buy(channel: string, sku: string): Promise<JsonResponse> {
  const key = uuidv7();
  const until = Date.now() + 60_000;
  for (;;) {
    const answer = await post(entry, '/orders', orderBody(channel, sku, 1, world.locationId), { 'idempotency-key': key }).catch(() => null);
    if (answer && answer.status !== 503) return answer;
    if (Date.now() > until) throw new Error(`order ${key} got no answer within 60 s: ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
  }
}

/** Waits until no order is `created` and no saga is still trying, within `timeoutMs`. */
async function allDecided(timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await world.orderPool.query(
        `SELECT (SELECT count(*) FROM orders WHERE status = 'created')::int AS created, (SELECT count(*) FROM tcc_global WHERE status = 'trying')::int AS trying`,
      );
      return rows[0].created === 0 && rows[0].trying === 0;
    },
    { timeoutMs, intervalMs: 250, what: 'every order to be decided' },
  );
}

/** Order ids of `sku` per status, read from order's tables. */
async function ordersOf(sku: string): Promise<Record<string, string[]>> {
  const { rows } = await world.orderPool.query(`SELECT o.id, o.status FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.sku = $1`, [sku]);
  const out: Record<string, string[]> = {};
  for (const r of rows as { id: string; status: string }[]) (out[r.status] ??= []).push(r.id);
  return out;
}

/** Pays every reserved order of `sku` through the live replica; returns how many were captured. */
async function payReserved(sku: string, via: ServiceProcess): Promise<number> {
  const ids = (await ordersOf(sku)).reserved ?? [];
  let captured = 0;
  for (let i = 0; i < ids.length; i += 25) {
    const batch = await Promise.all(ids.slice(i, i + 25).map((id) => get(via.url, `/orders/${id}`)));
    const paid = await Promise.all(batch.map((o) => world.pay(via.url, o.body as { id: string; payable: number; currency: string })));
    captured += paid.filter((p) => p.status === 200 && p.body.outcome === 'captured').length;
  }
  return captured;
}

/** Movements of `sku` per order and type in inventory's ledger. */
async function ledger(sku: string): Promise<{ gid: string; type: string; n: number; units: number }[]> {
  const { rows } = await world.inventoryPool.query(
    `SELECT split_part(ref, '/', 1) AS gid, type, count(*)::int AS n, sum(CASE type WHEN 'deduction' THEN -on_hand_delta WHEN 'release' THEN -reserved_delta ELSE reserved_delta END)::int AS units
       FROM stock_movements WHERE sku = $1 AND type IN ('reservation', 'deduction', 'release') GROUP BY 1, 2`,
    [sku],
  );
  return rows;
}

it('two order and two inventory replicas: 300 buyers race for 100 units and exactly 100 are sold and paid', async () => {
  const answers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => buy(CHANNELS[i % 5], HOT)));
  expect(answers.filter((a) => a.status !== 201 && a.status !== 202)).toEqual([]);
  expect(new Set(answers.map((a) => String(a.body.id))).size).toBe(BUYERS);
  await allDecided(120_000);
  const byStatus = await ordersOf(HOT);
  expect({ reserved: byStatus.reserved?.length, rejected: byStatus.rejected?.length }).toEqual({ reserved: STOCK, rejected: BUYERS - STOCK });
  expect(await world.stock(HOT)).toEqual({ onHand: STOCK, reserved: STOCK });

  expect(await payReserved(HOT, orders[0])).toBe(STOCK);
  await waitFor(async () => (await world.stock(HOT)).onHand === 0, { timeoutMs: 120_000, intervalMs: 250, what: 'every paid unit to be deducted' });
  expect(await world.stock(HOT)).toEqual({ onHand: 0, reserved: 0 });
  expect(await world.deducted(HOT)).toBe(STOCK);
});

it('one order and one inventory replica killed (-9) mid-race: every order is decided exactly once, nothing oversold, units sold = units paid', async () => {
  let sent = 0;
  let killed: Promise<void> | undefined;
  const answers = await Promise.all(
    Array.from({ length: BUYERS }, async (_, i) => {
      // Spread the buyers over ~3 s so the kill lands in the middle of the race.
      await new Promise((r) => setTimeout(r, Math.floor((i / BUYERS) * 3000)));
      if (++sent === BUYERS / 2) killed = Promise.all([orders[1].kill(), inventories[1].kill()]).then(() => undefined);
      return buy(CHANNELS[i % 5], KILL);
    }),
  );
  await killed;
  expect(orders[1].alive || inventories[1].alive).toBe(false);
  expect(answers.filter((a) => a.status !== 201 && a.status !== 202)).toEqual([]);
  expect(new Set(answers.map((a) => String(a.body.id))).size).toBe(BUYERS);

  // Bounded: the decision timeout (20 s) plus the time for the survivors to take over the partitions and leases.
  await allDecided(90_000);
  const byStatus = await ordersOf(KILL);
  const reserved = byStatus.reserved ?? [];
  const total = Object.values(byStatus).reduce((n, ids) => n + ids.length, 0);
  expect(total).toBe(BUYERS);
  expect(Object.keys(byStatus).every((s) => ['reserved', 'rejected', 'cancelled'].includes(s))).toBe(true);
  // Nothing oversold: what orders hold is what inventory holds, within the stock.
  expect(reserved.length).toBeLessThanOrEqual(STOCK);
  const held = await world.stock(KILL);
  expect(held).toEqual({ onHand: STOCK, reserved: reserved.length });
  // Every branch reserved at most once; each reservation of an order that did not reserve was released.
  const movements = await ledger(KILL);
  expect(movements.filter((m) => m.n !== 1 || m.units !== 1)).toEqual([]);
  const reservedIds = new Set(reserved);
  const released = new Set(movements.filter((m) => m.type === 'release').map((m) => m.gid));
  const reservations = movements.filter((m) => m.type === 'reservation').map((m) => m.gid);
  expect(reservations.filter((gid) => !reservedIds.has(gid) && !released.has(gid))).toEqual([]);
  expect(reserved.filter((gid) => released.has(gid))).toEqual([]);

  expect(await payReserved(KILL, orders[0])).toBe(reserved.length);
  await waitFor(async () => (await world.stock(KILL)).reserved === 0, { timeoutMs: 120_000, intervalMs: 250, what: 'every paid unit to be deducted' });
  const after = await world.stock(KILL);
  const deducted = await world.deducted(KILL);
  expect(deducted).toBe(reserved.length);
  expect(after.onHand + deducted).toBe(STOCK);
  // Each paid order deducted exactly its one unit, and no paid order was released.
  const deductions = (await ledger(KILL)).filter((m) => m.type === 'deduction');
  expect(deductions.map((m) => m.gid).sort()).toEqual([...reserved].sort());
  process.stdout.write(`replica race with kills: ${JSON.stringify({ statuses: Object.fromEntries(Object.entries(byStatus).map(([s, ids]) => [s, ids.length])), stock: after, deducted })}\n`);
});
