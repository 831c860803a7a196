import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, placeOrder, SagaWorld, ServiceProcess } from './saga.harness';

// Many buyers at once through the whole stack (order HTTP → saga → Kafka → inventory → reply):
// every order must be decided, and every paid one confirmed, while buyers whose POST answered 202
// poll for the decision the way clients do. A correctness test with a generous bound, not a
// timing benchmark: under load the replies used to queue behind one serial consumer lane until
// polling and the coordinator's resends fed the queue faster than it drained, and orders stayed
// 'created' for minutes.
jest.setTimeout(600_000);

const ORDERS = 150;
const BUYERS = 100;
const DECIDED_WITHIN_MS = 60_000;

const world = new SagaWorld('order_load');
const SKUS = Array.from({ length: 10 }, (_, i) => uniqueId(`LOAD${i}`).replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40));
let inventory: ServiceProcess;
let order: ServiceProcess;

beforeAll(async () => {
  await world.init();
  inventory = await world.startInventory();
  order = await world.startOrder();
  await world.consumersJoined();
  // Enough of every SKU but one: that one runs out, so some orders are rejected too.
  await world.seed(inventory, Object.fromEntries(SKUS.map((sku, i) => [sku, i === 0 ? 5 : ORDERS])));
});

afterAll(async () => {
  await world.close();
});

interface Outcome {
  id: string;
  status: string;
  decidedAfterMs: number;
  paid: boolean;
}

it(`decides every one of ${ORDERS} orders from ${BUYERS} concurrent buyers, and confirms every paid one`, async () => {
  let next = 0;
  const outcomes: Outcome[] = [];
  const buyer = async (): Promise<void> => {
    for (let i = next++; i < ORDERS; i = next++) {
      const started = Date.now();
      const res = await placeOrder(order.url, orderBody('app', SKUS[i % SKUS.length], 1, world.locationId), uuidv7());
      if (res.status !== 201 && res.status !== 202) throw new Error(`POST /orders answered ${res.status}: ${JSON.stringify(res.body)}\n${order.errorLines()}`);
      let o = res.body as { id: string; status: string; payable: number; currency: string };
      // Poll like a client until decided; give up (and let the assertion below report it) well past the bound.
      while (o.status === 'created' && Date.now() - started < DECIDED_WITHIN_MS + 30_000) {
        await new Promise((r) => setTimeout(r, 100));
        o = (await get(order.url, `/orders/${o.id}`)).body as typeof o;
      }
      const outcome: Outcome = { id: o.id, status: o.status, decidedAfterMs: Date.now() - started, paid: false };
      if (o.status === 'reserved') {
        const paid = await world.pay(order.url, o);
        expect(paid.status).toBe(200);
        outcome.paid = paid.body.outcome === 'captured';
      }
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: BUYERS }, buyer));

  expect(outcomes).toHaveLength(ORDERS);
  const undecided = outcomes.filter((o) => o.status === 'created');
  const late = outcomes.filter((o) => o.decidedAfterMs > DECIDED_WITHIN_MS);
  if (undecided.length > 0 || late.length > 0) {
    throw new Error(`${undecided.length} orders undecided, ${late.length} decided after ${DECIDED_WITHIN_MS} ms; sagas ${JSON.stringify(await world.sagas())}\n${order.tail()}`);
  }
  expect(outcomes.every((o) => o.status === 'reserved' || o.status === 'rejected')).toBe(true);
  // The scarce SKU: exactly its 5 units are reserved, the rest of its orders rejected.
  const rejected = outcomes.filter((o) => o.status === 'rejected').length;
  expect(rejected).toBe(ORDERS / SKUS.length - 5);
  const paid = outcomes.filter((o) => o.paid).length;
  expect(paid).toBe(ORDERS - rejected);

  const until = Date.now() + 120_000;
  for (;;) {
    const sagas = await world.sagas();
    if (sagas.confirmed === paid && sagas.cancelled === rejected) break;
    if (Date.now() > until) throw new Error(`sagas ${JSON.stringify(sagas)}\n${order.tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await world.orders()).toEqual({ paid, rejected });
  for (const sku of SKUS) expect((await world.stock(sku)).reserved).toBe(0);
  expect(await world.deducted(SKUS[0])).toBe(5);
});
