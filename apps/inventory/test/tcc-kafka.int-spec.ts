import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent, TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { createKafka, ensureMessagingSchema, EventConsumer, OutboxRelay, OutboxWriter, silentLogger, subscribe, TopicNames } from '@omni/messaging';
import { startServiceForTest, TestService } from '@omni/platform';
import { createTestDatabase, testInfra, TestDatabase, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { AppModule } from '../src/app.module';
import { ReservationCommandService } from '../src/reservation/reservation-command.service';
import { StockLedger } from '../src/stock/stock-ledger';
import { addLocation, addOwner, RecordingSink } from './reservation.harness';

// The saga's Kafka path end to end: a stand-in coordinator publishes inventory-branch-requested
// through its own outbox and relay, the real inventory service handles them, and the replies come
// back on tcc-branch-replied. Commands are delivered twice (two events, same branch).
jest.setTimeout(240_000);

let inventoryDb: TestDatabase;
let sagaDb: TestDatabase;
let svc: TestService;
let inventory: Pool;
let saga: Pool;
let relay: OutboxRelay;
let replies: EventConsumer;
const received: TccBranchRepliedEvent[] = [];
const prefix = uniqueTopicPrefix('tcc-kafka');
const topics = new TopicNames(prefix);
const kafka = createKafka({ clientId: uniqueId('saga'), brokers: testInfra.kafkaBrokers, logger: silentLogger });
const redisPrefix = `${uniqueId('tcck')}:`;
// Counts the commands the service applied in runs (its batch handler calls this).
const runs = jest.spyOn(ReservationCommandService.prototype, 'handleRun');

beforeAll(async () => {
  inventoryDb = await createTestDatabase('tcc_kafka_inventory');
  sagaDb = await createTestDatabase('tcc_kafka_saga');
  svc = await startServiceForTest(AppModule, {
    DATABASE_URL: inventoryDb.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    INVENTORY_CHANNELS: 'app',
    LOG_LEVEL: 'warn',
  });
  inventory = inventoryDb.pool(2);
  inventory.on('error', () => undefined);
  const location = await addLocation(inventory, 'WH-K');
  const owner = await addOwner(inventory, 'Retailer');
  const client = await inventory.connect();
  await client.query('BEGIN');
  await new StockLedger(new RecordingSink()).applyMovements(client, [
    { sku: 'SKU-K', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 10, reservedDelta: 0 },
    { sku: 'SKU-BURST', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 50, reservedDelta: 0 },
    { sku: 'SKU-SOLD', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 2, reservedDelta: 0 },
    { sku: 'SKU-MIX', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 40, reservedDelta: 0 },
  ]);
  await client.query('COMMIT');
  client.release();

  saga = sagaDb.pool(2);
  saga.on('error', () => undefined);
  await ensureMessagingSchema(saga);
  relay = new OutboxRelay({ kafka, connection: sagaDb.url, logger: silentLogger });
  await relay.start();
  replies = new EventConsumer({
    kafka,
    groupId: uniqueId('saga-replies'),
    topics,
    fromBeginning: true,
    logger: silentLogger,
    subscriptions: [subscribe(TCC_BRANCH_REPLIED, async (reply) => void received.push(reply))],
  });
  await replies.start();
});
afterAll(async () => {
  await replies?.stop();
  await relay?.stop();
  await svc?.close();
  await inventory?.end();
  await saga?.end();
  await inventoryDb?.drop();
  await sagaDb?.drop();
});

/** Publishes one command through the stand-in coordinator's outbox; returns its event id. */
async function send(cmd: Partial<InventoryBranchRequestedEvent> & { gid: string; branchId: string; op: InventoryBranchRequestedEvent['op'] }): Promise<string> {
  return new OutboxWriter(topics).add(saga, INVENTORY_BRANCH_REQUESTED, {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    deadline: new Date(Date.now() + 600_000).toISOString(),
    channel: 'app',
    ...(cmd.op === 'try' ? { lines: [{ sku: 'SKU-K', quantity: 2, locationId: 'any' }] } : {}),
    ...cmd,
  });
}
const repliesOf = (gid: string) => received.filter((r) => r.gid === gid).map((r) => `${r.op}:${r.outcome}${r.reasons[0] ? `:${r.reasons[0].code}` : ''}`);

describe('TCC over Kafka', () => {
  it('answers Try/Confirm/Cancel on tcc-branch-replied, once per delivery, with effects applied once', async () => {
    const a = { gid: uuidv7(), branchId: uuidv7() };
    const b = { gid: uuidv7(), branchId: uuidv7() };
    const c = { gid: uuidv7(), branchId: uuidv7() };
    await send({ ...a, op: 'try' });
    await send({ ...a, op: 'try' });
    await send({ ...a, op: 'confirm' });
    await send({ ...b, op: 'cancel' });
    await send({ ...b, op: 'try' });
    await send({ ...c, op: 'try', lines: [{ sku: 'SKU-K', quantity: 50, locationId: 'any' }] });

    await waitFor(() => received.length >= 6, { timeoutMs: 120_000, what: 'six replies' }).catch(async (error: unknown) => {
      const sagaSent = (await saga.query(`SELECT count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent, count(*)::int AS n, max(last_error) AS e FROM messaging_outbox`)).rows;
      const inbox = (await inventory.query(`SELECT count(*)::int AS n FROM messaging_inbox`)).rows;
      const out = (await inventory.query(`SELECT topic, count(*)::int AS n, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent, max(last_error) AS e FROM messaging_outbox GROUP BY topic`)).rows;
      throw new Error(`${(error as Error).message}; saga outbox ${JSON.stringify(sagaSent)}; inventory inbox ${JSON.stringify(inbox)}; inventory outbox ${JSON.stringify(out)}; received ${received.length}`);
    });
    expect(repliesOf(a.gid)).toEqual(['try:success', 'try:success', 'confirm:success']);
    expect(repliesOf(b.gid)).toEqual(['cancel:success', 'try:failure:BRANCH_CANCELLED']);
    expect(repliesOf(c.gid)).toEqual([expect.stringMatching(/^try:failure:(INSUFFICIENT_STOCK|SOLD_OUT_GATE)$/)]);

    const { rows } = await inventory.query(`SELECT type, count(*)::int AS n FROM stock_movements WHERE ref LIKE $1 GROUP BY type ORDER BY type`, [`${a.gid}/%`]);
    expect(rows).toEqual([
      { type: 'deduction', n: 1 },
      { type: 'reservation', n: 1 },
    ]);
    const { rows: level } = await inventory.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-K'`);
    expect(level).toEqual([{ on_hand: 8, reserved: 0 }]);

    // The gate in Redis holds the ATP the Try left (the Confirm moves none) and, once the periodic
    // pass has run, the Confirm's version too.
    const redis = new Redis(testInfra.redisUrl, { keyPrefix: redisPrefix });
    try {
      const { rows: stock } = await inventory.query(`SELECT version::int AS v FROM sku_stock WHERE sku = 'SKU-K'`);
      await waitFor(async () => {
        const gate = await redis.hgetall('atp:{SKU-K}');
        return gate.app === '8' && Number(gate.v) === stock[0].v;
      }, { timeoutMs: 30_000, what: 'the gate at the Confirm version with ATP 8' });
    } finally {
      redis.disconnect();
    }
  });

  it('takes a burst of Trys for one SKU in batches: exactly the stock is reserved, each delivery answered alike', async () => {
    runs.mockClear();
    const branches = Array.from({ length: 120 }, () => ({ gid: uuidv7(), branchId: uuidv7() }));
    const cmd = (b: { gid: string; branchId: string }) => ({
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      deadline: new Date(Date.now() + 600_000).toISOString(),
      channel: 'app',
      op: 'try' as const,
      lines: [{ sku: 'SKU-BURST', quantity: 1, locationId: 'any' }],
      ...b,
    });
    // Every command twice (two events, same branch), all committed at once: the relay publishes them
    // together and the service's consumer gets runs of Trys.
    const writer = new OutboxWriter(topics);
    const tx = await saga.connect();
    await tx.query('BEGIN');
    await writer.addMany(tx, INVENTORY_BRANCH_REQUESTED, [...branches, ...branches].map((b) => ({ payload: cmd(b) })));
    await tx.query('COMMIT');
    tx.release();

    const gids = new Set(branches.map((b) => b.gid));
    const burst = () => received.filter((r) => gids.has(r.gid));
    await waitFor(() => burst().length >= 240, { timeoutMs: 120_000, what: '240 replies' });
    expect(burst()).toHaveLength(240);
    const outcomes = branches.map((b) => repliesOf(b.gid));
    // Both deliveries of a branch got the same outcome (a refusal may name the Redis gate once and
    // Postgres the other time); 50 branches reserved, the rest refused.
    for (const o of outcomes) expect(o.map((r) => r === 'try:success')).toEqual(o[0] === 'try:success' ? [true, true] : [false, false]);
    expect(outcomes.filter((o) => o[0] === 'try:success')).toHaveLength(50);
    expect(outcomes.filter((o) => o[0] !== 'try:success').flat().every((r) => /^try:failure:(INSUFFICIENT_STOCK|SOLD_OUT_GATE)$/.test(r))).toBe(true);
    const { rows: level } = await inventory.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-BURST'`);
    expect(level).toEqual([{ on_hand: 50, reserved: 50 }]);
    const { rows: ledger } = await inventory.query(`SELECT count(*)::int AS n, sum(reserved_delta)::int AS units FROM stock_movements WHERE sku = 'SKU-BURST' AND type = 'reservation'`);
    expect(ledger).toEqual([{ n: 50, units: 50 }]);
    // The service took them in batches: fewer batch calls than commands, most commands batched.
    const calls = runs.mock.calls.map(([, cmds]) => cmds.length);
    expect(calls.length).toBeLessThan(240);
    expect(calls.reduce((a, b) => a + b, 0)).toBeGreaterThan(120);
  });

  it('takes Confirms of held branches and new Trys in the same runs: each applied once, each delivery answered alike', async () => {
    const command = (b: { gid: string; branchId: string }, op: 'try' | 'confirm') => ({
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      deadline: new Date(Date.now() + 600_000).toISOString(),
      channel: 'app',
      op,
      ...(op === 'try' ? { lines: [{ sku: 'SKU-MIX', quantity: 1, locationId: 'any' }] } : {}),
      ...b,
    });
    const publish = async (commands: ReturnType<typeof command>[]) => {
      const tx = await saga.connect();
      await tx.query('BEGIN');
      await new OutboxWriter(topics).addMany(tx, INVENTORY_BRANCH_REQUESTED, commands.map((payload) => ({ payload })));
      await tx.query('COMMIT');
      tx.release();
    };
    const held = Array.from({ length: 20 }, () => ({ gid: uuidv7(), branchId: uuidv7() }));
    await publish(held.map((b) => command(b, 'try')));
    await waitFor(() => held.every((b) => repliesOf(b.gid).length === 1), { timeoutMs: 60_000, what: 'the first Trys answered' });
    runs.mockClear();
    // Every held branch's Confirm and a new branch's Try, interleaved, each twice, all at once.
    const fresh = Array.from({ length: 20 }, () => ({ gid: uuidv7(), branchId: uuidv7() }));
    const mixed = held.flatMap((b, i) => [command(b, 'confirm'), command(fresh[i], 'try')]);
    await publish([...mixed, ...mixed]);
    await waitFor(() => held.every((b) => repliesOf(b.gid).length === 3) && fresh.every((b) => repliesOf(b.gid).length === 2), { timeoutMs: 120_000, what: '80 replies' });
    for (const b of held) expect(repliesOf(b.gid)).toEqual(['try:success', 'confirm:success', 'confirm:success']);
    for (const b of fresh) expect(repliesOf(b.gid)).toEqual(['try:success', 'try:success']);
    const { rows: level } = await inventory.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-MIX'`);
    expect(level).toEqual([{ on_hand: 20, reserved: 20 }]);
    const { rows: ledger } = await inventory.query(`SELECT type, count(*)::int AS n FROM stock_movements WHERE sku = 'SKU-MIX' GROUP BY type ORDER BY type`);
    expect(ledger).toEqual([
      { type: 'deduction', n: 20 },
      { type: 'receipt', n: 1 },
      { type: 'reservation', n: 40 },
    ]);
    const { rows: deducted } = await inventory.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE topic LIKE '%stock-deducted' AND payload->>'orderId' = ANY($1)`, [held.map((b) => b.gid)]);
    expect(deducted).toEqual([{ n: 20 }]);
    // Some run held both kinds.
    expect(runs.mock.calls.some(([, cmds]) => cmds.some((c) => c.op === 'try') && cmds.some((c) => c.op === 'confirm'))).toBe(true);
  });

  it('refuses Trys for a sold-out SKU at the Redis gate without an inbox or outbox row, yet answers a repeated Try of a reserved branch from the barrier', async () => {
    const held = { gid: uuidv7(), branchId: uuidv7() };
    const line = { sku: 'SKU-SOLD', quantity: 1, locationId: 'any' };
    await send({ ...held, op: 'try', lines: [{ ...line, quantity: 2 }] });
    await waitFor(() => repliesOf(held.gid).length === 1, { timeoutMs: 60_000, what: 'the first Try answered' });
    expect(repliesOf(held.gid)).toEqual(['try:success']);
    // The gate refuses only once Redis holds the sold-out ATP (written just after the commit).
    const redis = new Redis(testInfra.redisUrl, { keyPrefix: redisPrefix });
    try {
      await waitFor(async () => (await redis.hget('atp:{SKU-SOLD}', 'app')) === '0', { timeoutMs: 30_000, what: 'sold-out ATP in Redis' });
    } finally {
      redis.disconnect();
    }

    const late = Array.from({ length: 5 }, () => ({ gid: uuidv7(), branchId: uuidv7() }));
    const lateIds = await Promise.all(late.map((b) => send({ ...b, op: 'try', lines: [line] })));
    const repeatId = await send({ ...held, op: 'try', lines: [{ ...line, quantity: 2 }] });
    await waitFor(() => late.every((b) => repliesOf(b.gid).length === 1) && repliesOf(held.gid).length === 2, { timeoutMs: 60_000, what: 'six more replies' });
    for (const b of late) expect(repliesOf(b.gid)).toEqual(['try:failure:SOLD_OUT_GATE']);
    // The repeat of a reserved branch is not refused by the gate: the barrier answers it, as the first time.
    expect(repliesOf(held.gid)).toEqual(['try:success', 'try:success']);

    // The refusals went straight to Kafka: no inbox row for their commands and no reply in the outbox.
    const { rows: inbox } = await inventory.query(`SELECT event_id FROM messaging_inbox WHERE event_id = ANY($1)`, [[...lateIds, repeatId]]);
    expect(inbox.map((r: { event_id: string }) => r.event_id)).toEqual([repeatId]);
    const { rows: outbox } = await inventory.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE payload->>'gid' = ANY($1)`, [late.map((b) => b.gid)]);
    expect(outbox).toEqual([{ n: 0 }]);
    const { rows: level } = await inventory.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-SOLD'`);
    expect(level).toEqual([{ on_hand: 2, reserved: 2 }]);
  });
});
