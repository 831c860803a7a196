import Redis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { HeldBranchResolver, ManualClock, type CoordinatorStatusQuery, type TccStatusAnswer } from '@omni/tcc';
import { testInfra, uniqueId } from '@omni/testing';
import { AtpReconciler } from '../src/redis-gate/atp.reconciler';
import { ReservationHolds } from '../src/reservation/persistence/reservation-holds.store';
import { PgTxRunner } from '../src/reservation/persistence/pg-tx.runner';
import { addLocation, addOwner, buildReservationService, createInventoryTestDb, InventoryTestDb, ledgerMismatches, setAllocation } from './reservation.harness';

jest.setTimeout(120_000);

let t: InventoryTestDb;
let redis: Redis;
let wh: string;
let store: string;
let closed: string;
let retailer: string;
let consignor: string;
const clock = new ManualClock('2026-05-01T12:00:00.000Z');
const inMinutes = (m: number) => new Date(clock.now().getTime() + m * 60_000).toISOString();

beforeAll(async () => {
  t = await createInventoryTestDb('reservation', 10);
  redis = new Redis(testInfra.redisUrl, { keyPrefix: `${uniqueId('resv')}:` });
  wh = await addLocation(t.pool, 'WH-A');
  store = await addLocation(t.pool, 'ST-A', 'open', 'store');
  closed = await addLocation(t.pool, 'ST-CLOSED', 'closed', 'store');
  retailer = await addOwner(t.pool, 'Retailer');
  consignor = await addOwner(t.pool, 'Supplier', 'consignor');
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
});

async function receive(sku: string, locationId: string, ownerId: string, n: number) {
  const { ledger } = buildReservationService(t, { clock });
  await t.dataSource.transaction((tx) => ledger.applyMovements(tx, [{ sku, locationId, ownerId, type: 'receipt', onHandDelta: n, reservedDelta: 0 }]));
}
const levels = async (sku: string) =>
  (await t.pool.query(`SELECT location_id, owner_id, on_hand, reserved FROM stock_levels WHERE sku = $1 ORDER BY on_hand DESC`, [sku])).rows;
const outbox = async (key: string) => (await t.pool.query(`SELECT topic, payload FROM messaging_outbox WHERE key = $1 ORDER BY seq`, [key])).rows;

describe('reservation service', () => {
  it('refuses a Try after its deadline without touching the database', async () => {
    const { service } = buildReservationService(t, { clock });
    const gid = uuidv7();
    const reply = await service.try({ gid, branchId: uuidv7(), deadline: inMinutes(-1), channel: 'app', lines: [{ sku: 'X', quantity: 1, locationId: 'any' }] });
    expect(reply).toMatchObject({ outcome: 'failure', reasons: [{ line: -1, code: 'DEADLINE_PASSED' }] });
    expect((await t.pool.query(`SELECT 1 FROM tcc_barrier WHERE gid = $1`, [gid])).rowCount).toBe(0);
  });

  it('reports every refused line and reserves nothing when one line fails', async () => {
    await receive('SKU-M1', wh, retailer, 5);
    await receive('SKU-M1', closed, retailer, 5);
    const { service } = buildReservationService(t, { clock });
    const reply = await service.try({
      gid: uuidv7(),
      branchId: uuidv7(),
      deadline: inMinutes(10),
      channel: 'app',
      lines: [
        { sku: 'SKU-M1', quantity: 2, locationId: wh },
        { sku: 'NO-SUCH-SKU', quantity: 1, locationId: 'any' },
        { sku: 'SKU-M1', quantity: 1, locationId: closed },
        { sku: 'SKU-M1', quantity: 4, locationId: 'any' },
      ],
    });
    expect(reply.outcome).toBe('failure');
    expect(reply.reasons.map((r) => [r.line, r.code])).toEqual([
      [1, 'UNKNOWN_SKU'],
      [2, 'LOCATION_CLOSED'],
      [3, 'INSUFFICIENT_STOCK'],
    ]);
    expect((await levels('SKU-M1')).map((l) => l.reserved)).toEqual([0, 0]);
  });

  it('splits an any-location line over locations and owners, and Confirm reports the consignor', async () => {
    await receive('SKU-S', wh, consignor, 3);
    await receive('SKU-S', store, retailer, 2);
    const { service } = buildReservationService(t, { clock });
    const gid = uuidv7();
    const branchId = uuidv7();
    const tried = await service.try({ gid, branchId, deadline: inMinutes(10), channel: 'web', lines: [{ sku: 'SKU-S', quantity: 4, locationId: 'any' }] });
    expect(tried.lines).toEqual([
      { line: 0, sku: 'SKU-S', locationId: wh, ownerId: consignor, ownerType: 'consignor', quantity: 3 },
      { line: 0, sku: 'SKU-S', locationId: store, ownerId: retailer, ownerType: 'retailer', quantity: 1 },
    ]);
    expect((await service.confirm({ gid, branchId })).outcome).toBe('success');
    expect(await levels('SKU-S')).toEqual([
      { location_id: store, owner_id: retailer, on_hand: 1, reserved: 0 },
      { location_id: wh, owner_id: consignor, on_hand: 0, reserved: 0 },
    ]);
    const events = await outbox(gid);
    expect(events.map((e) => e.topic)).toEqual(['stock-reserved', 'stock-deducted']);
    expect(events[1].payload.lines).toEqual([
      { sku: 'SKU-S', locationId: wh, ownerId: consignor, quantity: 3, ownerType: 'consignor' },
      { sku: 'SKU-S', locationId: store, ownerId: retailer, quantity: 1, ownerType: 'retailer' },
    ]);
    // stock-changed per location, versions growing by one per change.
    const changed = await outbox('SKU-S');
    expect(changed.map((e) => e.payload.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('the Redis gate refuses a sold-out SKU without writing to Postgres, and Postgres still decides acceptances', async () => {
    await receive('SKU-G', wh, retailer, 2);
    const { service, cache } = buildReservationService(t, { clock, redis, activeChannels: ['app'] });
    await new AtpReconciler(t.pool, cache!, ['app']).rebuild(['SKU-G']);
    const attempt = (gid: string, branchId = uuidv7()) =>
      service.try({ gid, branchId, deadline: inMinutes(10), channel: 'app', lines: [{ sku: 'SKU-G', quantity: 2, locationId: 'any' }] });
    const held = { gid: uuidv7(), branchId: uuidv7() };
    const first = await attempt(held.gid, held.branchId);
    expect(first.outcome).toBe('success');
    const gid = uuidv7();
    expect(await attempt(gid)).toMatchObject({ outcome: 'failure', reasons: [{ line: 0, code: 'SOLD_OUT_GATE' }] });
    expect((await t.pool.query(`SELECT 1 FROM tcc_barrier WHERE gid = $1`, [gid])).rowCount).toBe(0);
    // The gate never answers for a branch the barrier knows: a repeated Try gets its first answer,
    // and a Try after its Cancel is suspended, though the SKU is sold out in Redis.
    expect(await attempt(held.gid, held.branchId)).toEqual(first);
    const cancelled = { gid: uuidv7(), branchId: uuidv7() };
    expect((await service.cancel(cancelled)).outcome).toBe('success');
    expect(await attempt(cancelled.gid, cancelled.branchId)).toMatchObject({ outcome: 'failure', reasons: [{ code: 'BRANCH_CANCELLED' }] });
    // A stale cache that claims stock never lets a Try through: Postgres refuses it.
    await cache!.write([{ sku: 'SKU-G', version: 1_000, channels: [{ channel: 'app', available: 50 }] }]);
    expect(await attempt(uuidv7())).toMatchObject({ outcome: 'failure', reasons: [{ code: 'INSUFFICIENT_STOCK' }] });
  });

  /**
   * A coordinator that answers what the test says about its own transactions (nothing, when it says
   * nothing), and keeps earlier tests' reservations out of the way (prepared until far ahead).
   */
  function coordinatorSaying(answers: Map<string, TccStatusAnswer>, mine: readonly string[]): CoordinatorStatusQuery & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      statusOf: async (gids) => {
        asked.push(...gids.filter((g) => mine.includes(g)));
        return gids.flatMap((gid): TccStatusAnswer[] => {
          if (answers.has(gid)) return [answers.get(gid)!];
          return mine.includes(gid) ? [] : [{ gid, status: 'prepared', deadline: '2100-01-01T00:00:00.000Z' }];
        });
      },
    };
  }

  it('keeps a reservation past its deadline until the coordinator decides: a Confirm long after it deducts, a cancel decision releases', async () => {
    await receive('SKU-E', wh, retailer, 10);
    await t.dataSource.transaction((tx) => setAllocation(tx, 'SKU-E', 'tmall', 'dedicated', 4));
    const { service } = buildReservationService(t, { clock });
    const paid = { gid: uuidv7(), branchId: uuidv7() };
    const unpaid = { gid: uuidv7(), branchId: uuidv7() };
    const answers = new Map<string, TccStatusAnswer>();
    const coordinator = coordinatorSaying(answers, [paid.gid, unpaid.gid]);
    const alerts: string[] = [];
    const resolver = new HeldBranchResolver({ store: new ReservationHolds(new PgTxRunner(t.pool), service), coordinator, clock, observer: { alert: (b) => alerts.push(b.gid) } });
    for (const b of [paid, unpaid]) {
      expect(await service.try({ ...b, deadline: inMinutes(1), channel: 'tmall', lines: [{ sku: 'SKU-E', quantity: 2, locationId: 'any' }] })).toMatchObject({ outcome: 'success' });
    }
    clock.advance(60_000 + 1);

    // No answer at all (the order service is down): both stay held, each with an alert.
    expect(await resolver.resolveOnce()).toMatchObject({ released: 0 });
    expect(coordinator.asked.sort()).toEqual([paid.gid, unpaid.gid].sort());
    expect(alerts.sort()).toEqual([paid.gid, unpaid.gid].sort());
    expect(await levels('SKU-E')).toEqual([{ location_id: wh, owner_id: retailer, on_hand: 10, reserved: 4 }]);

    // The coordinator is confirming one (paid while Kafka was slow) and decided cancel for the other.
    answers.set(paid.gid, { gid: paid.gid, status: 'confirming' });
    answers.set(unpaid.gid, { gid: unpaid.gid, status: 'cancelling', cause: 'deadline' });
    clock.advance(5_000);
    expect(await resolver.resolveOnce()).toMatchObject({ asked: 2, released: 1, kept: 1 });
    expect(coordinator.asked).toHaveLength(4);
    expect(await levels('SKU-E')).toEqual([{ location_id: wh, owner_id: retailer, on_hand: 10, reserved: 2 }]);
    const { rows } = await t.pool.query(`SELECT quota_remaining FROM channel_allocations WHERE sku = 'SKU-E'`);
    expect(rows[0].quota_remaining).toBe(2);
    expect((await outbox(unpaid.gid)).map((e) => [e.topic, e.payload.reason])).toEqual([
      ['stock-reserved', undefined],
      ['stock-released', 'expired'],
    ]);
    expect(await service.confirm(unpaid)).toMatchObject({ outcome: 'failure', reasons: [{ code: 'BRANCH_CANCELLED' }] });

    // Ten minutes later the Confirm of the paid order arrives (held back by an outage): it deducts.
    clock.advance(10 * 60_000);
    expect(await service.confirm(paid)).toMatchObject({ outcome: 'success' });
    expect(await levels('SKU-E')).toEqual([{ location_id: wh, owner_id: retailer, on_hand: 8, reserved: 0 }]);
    expect(await resolver.resolveOnce()).toMatchObject({ released: 0 });
    expect(coordinator.asked).toHaveLength(4);
    expect(await ledgerMismatches(t.pool)).toEqual([]);
  });

  it('asks again when the coordinator moved the deadline (every Try held, the payment window began), not before', async () => {
    await receive('SKU-E3', wh, retailer, 5);
    const { service } = buildReservationService(t, { clock });
    const b = { gid: uuidv7(), branchId: uuidv7() };
    await service.try({ ...b, deadline: inMinutes(1), channel: 'app', lines: [{ sku: 'SKU-E3', quantity: 1, locationId: 'any' }] });
    const answers = new Map<string, TccStatusAnswer>([[b.gid, { gid: b.gid, status: 'prepared', deadline: inMinutes(16) }]]);
    const coordinator = coordinatorSaying(answers, [b.gid]);
    const resolver = new HeldBranchResolver({ store: new ReservationHolds(new PgTxRunner(t.pool), service), coordinator, clock });
    clock.advance(60_000 + 1);
    expect(await resolver.resolveOnce()).toMatchObject({ released: 0 });
    clock.advance(10 * 60_000);
    expect(await resolver.resolveOnce()).toMatchObject({ released: 0 });
    expect(coordinator.asked).toEqual([b.gid]);
    clock.advance(6 * 60_000);
    answers.set(b.gid, { gid: b.gid, status: 'cancelled', cause: 'requested' });
    expect(await resolver.resolveOnce()).toMatchObject({ released: 1 });
    expect(coordinator.asked).toEqual([b.gid, b.gid]);
    expect((await outbox(b.gid)).map((e) => e.payload.reason)).toEqual([undefined, 'cancelled']);
  });

  it('two resolvers (replicas) ask about each held reservation once and release each exactly once', async () => {
    await receive('SKU-E2', wh, retailer, 100);
    const { service } = buildReservationService(t, { clock });
    const gids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const gid = uuidv7();
      gids.push(gid);
      await service.try({ gid, branchId: uuidv7(), deadline: inMinutes(1), channel: 'app', lines: [{ sku: 'SKU-E2', quantity: 2, locationId: 'any' }] });
    }
    clock.advance(60 * 60_000);
    const answers = new Map<string, TccStatusAnswer>(gids.map((gid) => [gid, { gid, status: 'cancelled', cause: 'deadline' }]));
    const coordinator = coordinatorSaying(answers, gids);
    const resolvers = [1, 2].map(() => new HeldBranchResolver({ store: new ReservationHolds(new PgTxRunner(t.pool), service), coordinator, clock }));
    const [a, b] = await Promise.all(resolvers.map((r) => r.resolveOnce()));
    expect(a.released + b.released).toBe(20);
    expect(coordinator.asked.sort()).toEqual([...gids].sort());
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = 'SKU-E2' AND type = 'release'`);
    expect(rows[0].n).toBe(20);
    expect(await levels('SKU-E2')).toEqual([{ location_id: wh, owner_id: retailer, on_hand: 100, reserved: 0 }]);
    expect(await ledgerMismatches(t.pool)).toEqual([]);
  });
});
