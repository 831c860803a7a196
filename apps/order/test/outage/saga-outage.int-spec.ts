import { KafkaBrokerProcess, uniqueId, waitFor } from '@omni/testing';
import { freePort, SagaWorld, ServiceProcess } from '../saga.harness';
import { latencies, OutageLoad, PlacedOrder, promptMsBefore, recoveryMs, sleep } from './outage-load';

// The saga's promise under real faults, with the processes run as production runs them: two order
// and two inventory replicas on a broker of this suite's own, buyers placing and paying orders the
// whole time. Replicas are killed (-9) and frozen (SIGSTOP); the broker is frozen, then killed for
// 10 s, 45 s and 120 s, with orders paid just before and during each outage. Afterwards every unit
// deducted was paid for, nothing paid was ever released, nothing stays reserved and every saga ended.
// The recovery times are printed and written to tmp/outage-report.json.
jest.setTimeout(1_200_000);

const world = new SagaWorld('outage');
const SKU = uniqueId('OUT').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const RECEIVED = 20_000;
let broker: KafkaBrokerProcess;
const inventories: ServiceProcess[] = [];
const orders: ServiceProcess[] = [];
let load: OutageLoad;
const report: Record<string, unknown> = {};

const ORDER_ENV = {
  LOG_LEVEL: 'warn',
  ORDER_PAYMENT_WINDOW_MS: '15000',
  ORDER_PAYMENT_GRACE_MS: '5000',
  ORDER_DECISION_TIMEOUT_MS: '20000',
  ORDER_DECISION_WAIT_MS: '2000',
};
const INVENTORY_ENV = { LOG_LEVEL: 'warn', TCC_HELD_BRANCH_CHECK_INTERVAL_MS: '500' };

async function startInventory(i: number): Promise<ServiceProcess> {
  const p = await world.startInventory({ ...INVENTORY_ENV, PORT: String(await freePort()) }, `inventory-${i + 1}`);
  inventories[i] = p;
  return p;
}

async function startOrder(i: number): Promise<ServiceProcess> {
  const p = await world.startOrder(ORDER_ENV, i);
  orders[i] = p;
  return p;
}

/** Milliseconds from `since` until the replica's readiness answers 200. */
async function readyAfter(p: ServiceProcess, since: number): Promise<number> {
  await waitFor(async () => (await fetch(`${p.url}/health/ready`).catch(() => null))?.status === 200, { timeoutMs: 120_000, intervalMs: 100, what: `${p.name} to be ready` });
  return Date.now() - since;
}

/** The orders created in [from, to). */
const createdIn = (from: number, to: number): PlacedOrder[] => load.placed.filter((p) => p.createdAt >= from && p.createdAt < to && p.id);

/** Saga commands the coordinator wrote per order, over the orders created in [from, to). */
async function commandsPerOrder(from: number, to: number): Promise<number> {
  const ids = createdIn(from, to).map((p) => p.id);
  const { rows } = await world.orderPool.query(
    `SELECT count(*)::int AS n FROM messaging_outbox WHERE topic LIKE '%branch-requested' AND key = ANY($1::text[])`,
    [ids],
  );
  return Number(rows[0].n) / Math.max(1, ids.length);
}

/** Reserves `n` orders outside the buyers' loop (to pay at a chosen moment). */
async function reserveSome(n: number): Promise<PlacedOrder[]> {
  const placed = await Promise.all(Array.from({ length: n }, () => load.placeOne(1)));
  return placed.filter((p) => p.status === 'reserved');
}

/** Kills the broker under load for `outageMs`, paying orders just before and during it; returns what it measured. */
async function brokerOutage(name: string, outageMs: number, mode: 'kill' | 'freeze', observeMs = 25_000): Promise<{ recoveryAfterBrokerBackMs: number | null; commandsPerOrder: number }> {
  const held = await reserveSome(10);
  const before = held.slice(0, 5);
  const during = held.slice(5);
  await Promise.all(before.map((o) => load.pay(o)));
  const from = Date.now();
  const promptMs = promptMsBefore(load.placed, from);
  if (mode === 'kill') await broker.kill();
  else broker.pause();
  await sleep(Math.min(5000, outageMs / 2));
  await Promise.all(during.map((o) => load.pay(o)));
  await sleep(from + outageMs - Date.now());
  if (mode === 'kill') await broker.restart();
  else broker.resume();
  const back = Date.now();
  await sleep(observeMs);
  const measured = {
    faultAt: from,
    backAt: back,
    outageMs: back - from,
    latencyBefore: latencies(load.placed, from - 20_000, from),
    promptMs,
    recoveryAfterBrokerBackMs: recoveryMs(load.placed, back, promptMs),
    commandsPerOrder: Number((await commandsPerOrder(from - 5000, back + observeMs)).toFixed(2)),
    ordersDuring: createdIn(from, back).length,
  };
  report[name] = measured;
  process.stdout.write(`outage ${name}: ${JSON.stringify(measured)}\n`);
  // When orders did not flow again, what each replica last complained about says why.
  if (measured.recoveryAfterBrokerBackMs === null) {
    for (const p of [...inventories, ...orders]) process.stdout.write(`${p.name} last errors:\n${p.errorLines(8)}\n`);
  }
  // The payments of the held orders were all captured: paid in time, whatever Kafka did.
  expect([...before, ...during].map((o) => o.payment?.outcome)).toEqual(Array(held.length).fill('captured'));
  return measured;
}

beforeAll(async () => {
  broker = await KafkaBrokerProcess.start();
  world.kafkaBrokers = broker.brokers;
  await world.init();
  await Promise.all([startInventory(0), startInventory(1)]);
  await Promise.all([startOrder(0), startOrder(1)]);
  await world.seed(inventories[0], { [SKU]: RECEIVED });
  await world.consumersJoined();
  load = new OutageLoad(world, () => orders, SKU, { buyers: 4, payShare: 0.7, requestTimeoutMs: 8000, hardStopAt: Date.now() + 1_100_000 });
  load.start();
  await sleep(5000);
  report.steadyLatency = latencies(load.placed, 0, Date.now());
});

afterAll(async () => {
  await load?.stop().catch(() => undefined);
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync('tmp', { recursive: true });
  const t0 = load?.placed[0]?.createdAt ?? 0;
  const samples = (load?.placed ?? []).map((p) => [p.createdAt - t0, p.decidedAt === undefined ? null : p.decidedAt - p.createdAt, p.status ?? null]);
  writeFileSync('tmp/outage-report.json', `${JSON.stringify({ ...report, t0, samples }, null, 1)}\n`);
  await world.close();
  await broker?.close();
});

it('one order and one inventory replica killed (-9) mid-load: new orders are decided again within 10 s; restarted, each is ready within seconds', async () => {
  const kill = Date.now();
  const promptMs = promptMsBefore(load.placed, kill);
  await Promise.all([orders[0].kill(), inventories[0].kill()]);
  await sleep(20_000);
  const recovery = recoveryMs(load.placed, kill, promptMs);
  const restart = Date.now();
  const [order, inventory] = await Promise.all([startOrder(0), startInventory(0)]);
  const ready = { order: await readyAfter(order, restart), inventory: await readyAfter(inventory, restart) };
  await sleep(10_000);
  report.replicaKill = { faultAt: kill, promptMs, recoveryAfterKillMs: recovery, restartedReadyMs: ready, recoveryAfterRestartMs: recoveryMs(load.placed, restart, promptMs) };
  process.stdout.write(`replica kill: ${JSON.stringify(report.replicaKill)}\n`);
  expect(recovery).not.toBeNull();
  expect(recovery!).toBeLessThanOrEqual(10_000);
});

// A frozen replica is harder than a dead one: its TCP sessions stay open (the kernel answers for
// it), so the broker drops it only after the session timeout (6 s), and what it held in Postgres (a
// transaction's row locks, the outbox relay's leadership) is released only when Postgres ends its
// idle sessions (5 s). Those run side by side: about 8 s on a quiet machine, up to 12 s beside
// another suite; 15 s bounds it.
it('an inventory replica frozen (SIGSTOP) for 20 s: its partitions move, new orders are decided again within 15 s, and it rejoins when thawed', async () => {
  const freeze = Date.now();
  const promptMs = promptMsBefore(load.placed, freeze);
  inventories[1].signal('SIGSTOP');
  await sleep(20_000);
  inventories[1].signal('SIGCONT');
  const thaw = Date.now();
  await sleep(10_000);
  report.replicaFreeze = {
    faultAt: freeze,
    thawAt: thaw,
    promptMs,
    recoveryAfterFreezeMs: recoveryMs(load.placed.filter((p) => p.createdAt < thaw), freeze, promptMs),
    recoveryAfterThawMs: recoveryMs(load.placed, thaw, promptMs),
  };
  process.stdout.write(`replica freeze: ${JSON.stringify(report.replicaFreeze)}\n`);
  const frozenRecovery = (report.replicaFreeze as { recoveryAfterFreezeMs: number | null }).recoveryAfterFreezeMs;
  expect(frozenRecovery).not.toBeNull();
  expect(frozenRecovery!).toBeLessThanOrEqual(15_000);
  expect(recoveryMs(load.placed, thaw, promptMs)).not.toBeNull();
});

it('the broker frozen (SIGSTOP) for 10 s: orders are decided again within 10 s of it answering', async () => {
  const measured = await brokerOutage('brokerFrozen10s', 10_000, 'freeze');
  expect(measured.recoveryAfterBrokerBackMs).not.toBeNull();
  expect(measured.recoveryAfterBrokerBackMs!).toBeLessThanOrEqual(10_000);
});

it('the broker killed (-9) for 10 s: orders are decided again within 10 s of it answering', async () => {
  const measured = await brokerOutage('brokerKilled10s', 10_000, 'kill');
  expect(measured.recoveryAfterBrokerBackMs).not.toBeNull();
  expect(measured.recoveryAfterBrokerBackMs!).toBeLessThanOrEqual(10_000);
});

it('the broker killed for 45 s: at most 3 saga commands per order on average, and orders flow again after', async () => {
  const measured = await brokerOutage('brokerKilled45s', 45_000, 'kill');
  expect(measured.commandsPerOrder).toBeLessThanOrEqual(3);
  expect(measured.recoveryAfterBrokerBackMs).not.toBeNull();
});

it('the broker killed for 120 s: orders flow again after', async () => {
  // After two minutes every consumer has crashed and restarted several times, and a backlog waits:
  // watched for 45 s rather than 25.
  const measured = await brokerOutage('brokerKilled120s', 120_000, 'kill', 45_000);
  expect(measured.recoveryAfterBrokerBackMs).not.toBeNull();
});

it('afterwards: every saga ended, units deducted = units paid, nothing paid was released, nothing stays reserved', async () => {
  await load.stop();
  // Reserved, unpaid orders run out their window (15 s) plus grace (5 s); then every saga is final.
  await waitFor(
    async () => {
      const sagas = await world.sagas();
      return Object.keys(sagas).every((s) => s === 'confirmed' || s === 'cancelled');
    },
    { timeoutMs: 120_000, intervalMs: 1000, what: 'every saga to end' },
  );
  const paidRows = (await world.orderPool.query(`SELECT o.id, sum(l.quantity)::int AS units FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'paid' GROUP BY o.id`)).rows as { id: string; units: number }[];
  const paidUnits = paidRows.reduce((n, r) => n + r.units, 0);
  const deducted = await world.deducted(SKU);
  const stock = await world.stock(SKU);
  const { rows: perOrder } = await world.inventoryPool.query(
    `SELECT split_part(ref, '/', 1) AS gid, type, -sum(reserved_delta)::int AS units FROM stock_movements WHERE sku = $1 AND type IN ('deduction', 'release') GROUP BY 1, 2`,
    [SKU],
  );
  const paid = new Set(paidRows.map((r) => r.id));
  const releasedPaid = perOrder.filter((r: { gid: string; type: string }) => r.type === 'release' && paid.has(r.gid));
  const deductedTwice = perOrder.filter((r: { gid: string; type: string; units: number }) => r.type === 'deduction' && r.units !== paidRows.find((p) => p.id === r.gid)?.units);
  const orderStatuses = await world.orders();
  report.final = { orders: orderStatuses, sagas: await world.sagas(), paidUnits, deducted, stock, placedByBuyers: load.placed.length };
  process.stdout.write(`final: ${JSON.stringify(report.final)}\n`);

  expect(paidRows.length).toBeGreaterThan(50);
  expect(deducted).toBe(paidUnits);
  expect(stock.onHand + deducted).toBe(RECEIVED);
  expect(stock.reserved).toBe(0);
  expect(releasedPaid).toEqual([]);
  expect(deductedTwice).toEqual([]);
  expect(orderStatuses.created ?? 0).toBe(0);
  // Stock was plentiful: nothing was refused; an order whose Try arrived too late is not-decided.
  expect(orderStatuses.rejected ?? 0).toBe(0);
  expect(orderStatuses.reserved ?? 0).toBe(0);
});
