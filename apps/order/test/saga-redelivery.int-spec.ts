import { testInfra, uniqueId } from '@omni/testing';
import { IHeaders, Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, placeOrder, post, SagaWorld, ServiceProcess } from './saga.harness';

// Every saga command and reply delivered again, twice, in shuffled order: once as Kafka redelivers
// (same event id: the inbox drops it) and once as a coordinator resend would (fresh event id: the
// barrier and the coordinator's compare-and-set must drop it). The end state must not move.
jest.setTimeout(600_000);

const world = new SagaWorld('order_redeliver');
const SKU = uniqueId('REDO').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const kafka = new Kafka({ clientId: uniqueId('redeliver'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
let inventory: ServiceProcess;
let order: ServiceProcess;
let topics: { commands: string; replies: string };

interface Captured {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

beforeAll(async () => {
  await world.init();
  // One at a time: two services compiling at once on this machine has made one exit silently at start-up.
  inventory = await world.startInventory();
  order = await world.startOrder();
  await world.consumersJoined();
  await world.seed(inventory, { [SKU]: 40 });
  topics = { commands: `${world.topicPrefix}inventory-branch-requested`, replies: `${world.topicPrefix}tcc-branch-replied` };
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
  await world.close();
});

/** Everything on `topic` so far, read by a throwaway group. */
async function readAll(topic: string): Promise<Captured[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const consumer = kafka.consumer({ groupId: uniqueId('reader'), maxWaitTimeInMs: 100 });
  const out: Captured[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${out.length}/${total} of ${topic}`)), 60_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        out.push({ topic, key: message.key, value: message.value, headers: message.headers ?? {} });
        if (out.length >= total) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
    if (total === 0) resolve();
  });
  await consumer.disconnect();
  return out;
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Re-publishes every command and reply twice (same id, fresh id), shuffled, keyed as before (gid). */
async function redeliverEverything(): Promise<number> {
  const captured = [...(await readAll(topics.commands)), ...(await readAll(topics.replies))];
  const copies = captured.flatMap((m) => [m, { ...m, headers: { ...m.headers, ce_id: uuidv7() } }]);
  // Reverse within each gid as well as shuffle globally: a Cancel before its Try, a Confirm reply before the Try reply…
  for (const m of shuffled(copies).reverse()) {
    await producer.send({ topic: m.topic, acks: -1, messages: [{ key: m.key, value: m.value, headers: m.headers }] });
  }
  return copies.length;
}

/** Waits until both services consumed everything on both topics (lag 0, twice in a row). */
async function settle(): Promise<void> {
  let quiet = 0;
  const until = Date.now() + 240_000;
  let lags: number[] = [];
  while (quiet < 2) {
    if (Date.now() > until) throw new Error(`consumers did not catch up (lag ${lags.join('/')})\norder:\n${order.tail()}\ninventory:\n${inventory.tail()}`);
    lags = [await lagOf(`${world.topicPrefix}inventory`, topics.commands), await lagOf(`${world.topicPrefix}order`, topics.replies)];
    const lag = lags[0] + lags[1];
    quiet = lag === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function lagOf(groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const high = await admin.fetchTopicOffsets(topic);
  return high.reduce((n, p) => {
    const c = Number(committed.partitions.find((x) => x.partition === p.partition)?.offset ?? '-1');
    return n + Number(p.high) - Math.max(c, Number(p.low));
  }, 0);
}

async function snapshot(): Promise<unknown> {
  const { rows } = await world.orderPool.query('SELECT o.id, o.status, g.status AS saga FROM orders o JOIN tcc_global g ON g.gid = o.id::text ORDER BY o.id');
  return { orders: rows, stock: await world.stock(SKU), deducted: await world.deducted(SKU) };
}

it('keeps reservations, confirmations and cancellations exactly as they were', async () => {
  const ids: string[] = [];
  for (const channel of ['app', 'web', 'marketplace', 'social', 'store-pos', 'o2o']) {
    const res = await placeOrder(order.url, orderBody(channel, SKU, 2, world.locationId), uuidv7());
    ids.push(String(res.body.id));
  }
  const tooBig = await post(order.url, '/orders', orderBody('app', SKU, 1000, world.locationId), { 'idempotency-key': uuidv7() });
  ids.push(String(tooBig.body.id));
  await settle();
  const reservedPhase = await snapshot();
  expect((reservedPhase as { stock: unknown }).stock).toEqual({ onHand: 40, reserved: 12 });

  // Mid-saga: everything so far again (Try commands and replies included), then decide.
  const sent = await redeliverEverything();
  expect(sent).toBeGreaterThanOrEqual(4 * 7);
  await settle();
  expect(await snapshot()).toEqual(reservedPhase);

  for (const id of ids.slice(0, 3)) {
    const o = (await get(order.url, `/orders/${id}`)).body as { id: string; payable: number; currency: string };
    expect((await world.pay(order.url, o)).body.outcome).toBe('captured');
  }
  for (const id of ids.slice(3, 6)) expect((await post(order.url, `/orders/${id}/cancel`, {})).status).toBe(200);
  await settle();
  const final = await snapshot();
  expect((final as { stock: unknown }).stock).toEqual({ onHand: 34, reserved: 0 });
  expect((final as { deducted: number }).deducted).toBe(6);
  expect(await world.sagas()).toEqual({ confirmed: 3, cancelled: 4 });

  // After the end: Try, Confirm and Cancel of every branch once more, in any order.
  await redeliverEverything();
  await settle();
  expect(await snapshot()).toEqual(final);
});
