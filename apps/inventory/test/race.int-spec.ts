import Redis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { testInfra, uniqueId } from '@omni/testing';
import { AtpReconciler } from '../src/redis-gate/atp.reconciler';
import { BranchReply } from '../src/reservation/domain/reservation.types';
import { addLocation, addOwner, buildReservationService, createInventoryTestDb, InventoryTestDb, ledgerMismatches, setAllocation } from './reservation.harness';

// The race: 200 concurrent Try over 3 channels for a SKU with 50 units (M dedicated quota
// 10, A shared with safety 5, W shared). Run once with the Redis gate warm, once with FLUSHDB in
// the middle of the race. Redis runs on its own logical database so FLUSHDB touches no other suite.
jest.setTimeout(120_000);

const REDIS_DB = 13;
let t: InventoryTestDb;
let redis: Redis;
let location: string;
let owner: string;

beforeAll(async () => {
  t = await createInventoryTestDb('race', 30);
  // As the service's client is set up (libs/platform createRedisClient): commands of one tick share a write.
  redis = new Redis(`${testInfra.redisUrl}/${REDIS_DB}`, { keyPrefix: `${uniqueId('race')}:`, enableAutoPipelining: true });
  location = await addLocation(t.pool, 'WH-R');
  owner = await addOwner(t.pool, 'Retailer');
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
});

async function race(sku: string, flushMidway: boolean) {
  const { service, ledger, cache } = buildReservationService(t, { redis, activeChannels: ['m', 'a', 'w'] });
  await t.dataSource.transaction(async (tx) => {
    await ledger.applyMovements(tx, [{ sku, locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 50, reservedDelta: 0 }]);
    await setAllocation(tx, sku, 'm', 'dedicated', 10);
    await setAllocation(tx, sku, 'a', 'shared', 5);
  });
  await new AtpReconciler(t.pool, cache!, ['m', 'a', 'w']).rebuildAll();
  expect((await cache!.read(sku))!.channels).toEqual([
    { channel: 'a', available: 35 },
    { channel: 'm', available: 10 },
    { channel: 'w', available: 40 },
  ]);

  const channels = ['m', 'a', 'w'];
  let started = 0;
  const attempts = Array.from({ length: 200 }, async (_, i): Promise<[string, BranchReply]> => {
    const channel = channels[i % 3];
    started++;
    if (flushMidway && started === 100) await redis.flushdb();
    const reply = await service.try({
      gid: uuidv7(),
      branchId: uuidv7(),
      deadline: new Date(Date.now() + 600_000),
      channel,
      lines: [{ sku, quantity: 1, locationId: 'any' }],
    });
    return [channel, reply];
  });
  const replies = await Promise.all(attempts);
  const won = (c: string) => replies.filter(([ch, r]) => ch === c && r.outcome === 'success').length;
  const refusals = new Set(replies.filter(([, r]) => r.outcome !== 'success').flatMap(([, r]) => r.reasons.map((x) => x.code)));

  // Exactly the allowed units: M its 10, A + W the other 40; the ledger and the levels agree.
  expect(won('m')).toBe(10);
  expect(won('a') + won('w')).toBe(40);
  expect(replies.every(([, r]) => r.outcome !== 'retry')).toBe(true);
  expect([...refusals].every((c) => ['CHANNEL_QUOTA_EXHAUSTED', 'SAFETY_STOCK', 'INSUFFICIENT_STOCK', 'SOLD_OUT_GATE'].includes(c))).toBe(true);
  const { rows: level } = await t.pool.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = $1`, [sku]);
  expect(level).toEqual([{ on_hand: 50, reserved: 50 }]);
  const { rows: quota } = await t.pool.query(`SELECT quota_remaining FROM channel_allocations WHERE sku = $1 AND channel = 'm'`, [sku]);
  expect(quota[0].quota_remaining).toBe(0);
  expect(await ledgerMismatches(t.pool)).toEqual([]);

  // Replay the ledger in commit order: no A reservation left the shared pool below 5, none went below 0.
  const { rows: moves } = await t.pool.query(`SELECT channel, reserved_delta FROM stock_movements WHERE sku = $1 AND type = 'reservation' ORDER BY seq`, [sku]);
  let free = 50;
  let quotaM = 10;
  for (const m of moves) {
    free -= m.reserved_delta;
    if (m.channel === 'm') quotaM -= m.reserved_delta;
    const pool = free - quotaM;
    expect(quotaM).toBeGreaterThanOrEqual(0);
    expect(pool).toBeGreaterThanOrEqual(m.channel === 'a' ? 5 : 0);
  }
  expect(moves).toHaveLength(50);

  // Concurrent Trys may share a transaction, but stock-changed still carries every version once, in order, without gaps.
  const { rows: changed } = await t.pool.query(
    `SELECT (payload->>'version')::int AS v FROM messaging_outbox WHERE topic = 'stock-changed' AND key = $1 ORDER BY seq`,
    [sku],
  );
  const { rows: version } = await t.pool.query(`SELECT version::int AS v FROM sku_stock WHERE sku = $1`, [sku]);
  expect(changed.map((r) => r.v)).toEqual(Array.from({ length: version[0].v }, (_, i) => i + 1));
  return { refusals, replies };
}

describe('the race for 50 units', () => {
  it('200 concurrent Try over 3 channels reserve exactly the allowed units', async () => {
    await race('SKU-RACE-1', false);
  });

  it('the same with Redis flushed in the middle of the race', async () => {
    await race('SKU-RACE-2', true);
    // The flushed entry was rebuilt on demand by a later Try and holds the final ATP.
    const cached = await buildReservationService(t, { redis }).cache!.read('SKU-RACE-2');
    expect(cached?.channels.every((c) => c.available === 0)).toBe(true);
  });
});
