import { ORDER_PAID, type OrderPaidEvent } from '@omni/contracts';
import { INBOX_TABLE, OutboxWriter, TopicNames } from '@omni/messaging';
import { serviceAuthHeaders } from '@omni/platform/testing';
import { waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { call, ledgerInvariantBreaches, registerMember, startMember, type MemberHarness } from './member.harness';

// Points earned on order-paid, consumed from Kafka by the real service: once per order however
// often the event arrives, nothing for an anonymous order, and the ledger invariant holds.
jest.setTimeout(180_000);

let h: MemberHarness;

beforeAll(async () => {
  h = await startMember('paid');
});
afterAll(async () => {
  await h?.close();
});

const paid = (orderId: string, amount: number, memberId?: string): OrderPaidEvent => ({
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  orderId,
  channel: 'app',
  amount: { amount, currency: 'CNY' },
  paymentRef: `pay-${orderId}`,
  paidAt: new Date().toISOString(),
  ...(memberId ? { memberId } : {}),
});

/** Publishes order-paid through the service's own outbox, as the order service's relay would. */
const publish = (event: OrderPaidEvent) => h.dataSource.transaction((tx) => new OutboxWriter(new TopicNames(h.topicPrefix)).add(tx, ORDER_PAID, event));

/** How many order-paid events the service has consumed (each is claimed in its inbox). */
const consumed = async (): Promise<number> =>
  (await h.dataSource.query(`SELECT count(*)::int AS n FROM ${INBOX_TABLE} WHERE topic LIKE $1`, [`%${ORDER_PAID.topic}`]))[0].n;

const points = async (memberId: string) => (await call<{ balance: number; history: { kind: string; delta: number; ref: string }[] }>(h.service, 'GET', `/internal/members/${memberId}/points`)).body;

it('earns points on order-paid once per order, however often the event arrives', async () => {
  const memberId = await registerMember(h.service);
  const orderId = uuidv7();
  await publish(paid(orderId, 12_345, memberId));
  await waitFor(async () => (await points(memberId)).balance === 123, { timeoutMs: 60_000, what: 'points earned on order-paid' });
  // The same order paid again (a replay, a second event for it): no second earn.
  await publish(paid(orderId, 12_345, memberId));
  const other = uuidv7();
  await publish(paid(other, 1_000, memberId));
  await waitFor(async () => (await points(memberId)).balance === 133, { timeoutMs: 60_000, what: 'the next order to earn' });
  await waitFor(async () => (await consumed()) === 3, { timeoutMs: 60_000, what: 'every order-paid to be consumed' });
  const earned = (await points(memberId)).history.filter((e) => e.kind === 'earn');
  expect(earned.map((e) => [e.ref, e.delta]).sort()).toEqual([[orderId, 123], [other, 10]].sort());
  expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
});

/** Order-paid events the consumer passed by before any transaction (its screen's answers, on /metrics). */
const passedBy = async (): Promise<number> => {
  const text = await (await fetch(`${h.service.url}/metrics`, { headers: serviceAuthHeaders('member') })).text();
  const line = text.split('\n').find((l) => l.startsWith('messaging_consumed_total{') && l.includes(`${ORDER_PAID.topic}"`) && l.includes('outcome="answered"'));
  return Number(line?.split(' ').at(-1) ?? 0);
};

it('earns nothing for an anonymous order, which it passes by without a transaction', async () => {
  const memberId = await registerMember(h.service);
  await publish(paid(uuidv7(), 50_000));
  await publish(paid(uuidv7(), 2_000, memberId));
  await waitFor(async () => (await points(memberId)).balance === 20, { timeoutMs: 60_000, what: 'the member order to earn' });
  await waitFor(async () => (await passedBy()) === 1, { timeoutMs: 60_000, what: 'the anonymous order-paid to be passed by' });
  // No inbox row for it: the first test's three events and this member's one.
  expect(await consumed()).toBe(4);
  const [{ n }] = await h.dataSource.query('SELECT count(*)::int AS n FROM member_orders');
  // The first test's two orders and this member's one: the anonymous order recorded nothing.
  expect(n).toBe(3);
});
