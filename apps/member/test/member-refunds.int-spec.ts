import { GIFT_CARD_CHANGED, ORDER_PAID, ORDER_REFUND_REQUIRED, POINTS_CHANGED, type OrderPaidEvent, type OrderRefundRequiredEvent } from '@omni/contracts';
import { createKafka, INBOX_TABLE, OUTBOX_TABLE, OutboxWriter, silentLogger, TopicNames } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import { type Consumer, type IHeaders, Partitioners, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { call, ledgerInvariantBreaches, registerMember, startMember, type MemberHarness } from './member.harness';

// Refunds over real Kafka: order-refund-required reverses the points an order earned and puts its
// gift-card part back on the card, in proportion to what was refunded; redelivered (same event id),
// repeated (same return) and reordered refunds, and refunds that arrive before order-paid, settle
// once; a bad event goes to the dead-letter topic with its reason and consumption goes on.
jest.setTimeout(240_000);

let h: MemberHarness;
let topics: TopicNames;
let producer: Producer;
let dlqReader: Consumer;
const deadLetters: { headers: Record<string, string>; value: string }[] = [];

beforeAll(async () => {
  h = await startMember('refunds');
  topics = new TopicNames(h.topicPrefix);
  const kafka = createKafka({ clientId: uniqueId('refunds'), brokers: testInfra.kafkaBrokers, logger: silentLogger });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  dlqReader = kafka.consumer({ groupId: uniqueId('refund-dlq') });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: topics.deadLetter(ORDER_REFUND_REQUIRED.topic), fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push({ headers: stringHeaders(message.headers), value: message.value?.toString() ?? '' }) });
});
afterAll(async () => {
  await producer?.disconnect();
  await dlqReader?.disconnect();
  await h?.close();
});

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]));
}

const paid = (orderId: string, amount: number, memberId: string): OrderPaidEvent => ({
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  orderId,
  channel: 'app',
  amount: { amount, currency: 'CNY' },
  paymentRef: `pay-${orderId}`,
  paidAt: new Date().toISOString(),
  memberId,
});
const refund = (orderId: string, amount: number, returnId: string = uuidv7(), currency = 'CNY'): OrderRefundRequiredEvent => ({
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  orderId,
  channel: 'app',
  reason: 'return',
  amount: { amount, currency },
  paymentRef: `pay-${orderId}`,
  returnId,
});

/** Publishes through the service's own outbox, as the order service's relay would; returns the event id. */
const publish = <T extends object>(contract: typeof ORDER_PAID | typeof ORDER_REFUND_REQUIRED, event: T): Promise<string> =>
  h.dataSource.transaction((tx) => new OutboxWriter(topics).add(tx, contract as never, event as never));
const applied = (eventId: string) =>
  waitFor(async () => (await h.dataSource.query(`SELECT 1 FROM ${INBOX_TABLE} WHERE event_id = $1`, [eventId])).length === 1, { timeoutMs: 90_000, intervalMs: 100, what: `event ${eventId} to be consumed` });

/** The very message of an outbox row again (same ce_id), as after a relay or consumer crash. */
const redeliver = async (eventId: string) => {
  await waitFor(async () => (await h.dataSource.query(`SELECT 1 FROM ${OUTBOX_TABLE} WHERE id = $1 AND sent_at IS NOT NULL`, [eventId])).length === 1, { timeoutMs: 60_000, what: 'first send' });
  const [row] = await h.dataSource.query(`SELECT topic, key, headers, payload FROM ${OUTBOX_TABLE} WHERE id = $1`, [eventId]);
  await producer.send({ topic: row.topic, messages: [{ key: row.key, value: JSON.stringify(row.payload), headers: row.headers }] });
};

const points = async (memberId: string) => (await call<{ balance: number }>(h.service, 'GET', `/internal/members/${memberId}/points`)).body.balance;
const card = async (giftCardId: string) => (await h.dataSource.query('SELECT balance, frozen FROM gift_cards WHERE id = $1', [giftCardId]))[0] as { balance: number; frozen: number };
const changes = async (topic: string, ref: string) =>
  (await h.dataSource.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1 AND payload->>'ref' = $2 ORDER BY created_at, id`, [topics.physical(topic), ref])).map(
    (r: { payload: { kind: string; delta: number } }) => [r.payload.kind, r.payload.delta],
  );

/** An order of 100.00: 40.00 paid from a gift card through the saga (gid = order id), 60.00 captured, 60 points earned. */
async function paidOrder(): Promise<{ memberId: string; orderId: string; giftCardId: string }> {
  const memberId = await registerMember(h.service);
  const issued = await call<{ giftCardId: string }>(h.service, 'POST', '/internal/gift-cards', { currency: 'CNY', amount: 10_000, memberId });
  const giftCardId = issued.body.giftCardId;
  const orderId = uuidv7();
  const branch = { gid: orderId, branchId: uuidv7(), memberId, channel: 'app', couponIds: [], points: 0, giftCardId, giftCardAmount: 4_000 };
  expect((await call<{ outcome: string }>(h.service, 'POST', '/internal/member-branches/try', { ...branch, deadline: new Date(Date.now() + 600_000).toISOString() })).body.outcome).toBe('success');
  expect((await call<{ outcome: string }>(h.service, 'POST', '/internal/member-branches/confirm', branch)).body.outcome).toBe('success');
  await applied(await publish(ORDER_PAID, paid(orderId, 6_000, memberId)));
  expect(await points(memberId)).toBe(60);
  expect(await card(giftCardId)).toEqual({ balance: 6_000, frozen: 0 });
  return { memberId, orderId, giftCardId };
}

it('reverses points and refunds the gift card in proportion, once, whatever the delivery', async () => {
  const { memberId, orderId, giftCardId } = await paidOrder();
  const [first, second, third] = [uuidv7(), uuidv7(), uuidv7()];
  // The second return's refund first, then the first's; then the first's again (the same return announced twice) and the very message again.
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 3_000, second)));
  expect(await points(memberId)).toBe(42);
  expect(await card(giftCardId)).toEqual({ balance: 7_200, frozen: 0 });
  const firstId = await publish(ORDER_REFUND_REQUIRED, refund(orderId, 2_000, first));
  await applied(firstId);
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 2_000, first)));
  await redeliver(firstId);
  // Half the order refunded: half its points and half its gift-card part.
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(uuidv7(), 1)));
  expect(await points(memberId)).toBe(30);
  expect(await card(giftCardId)).toEqual({ balance: 8_000, frozen: 0 });
  // The rest: everything the order earned is gone, everything the card paid is back.
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 5_000, third)));
  expect(await points(memberId)).toBe(0);
  expect(await card(giftCardId)).toEqual({ balance: 10_000, frozen: 0 });
  expect(await changes(POINTS_CHANGED.topic, orderId)).toEqual([['earn', 60], ['reverse-earn', -18], ['reverse-earn', -12], ['reverse-earn', -30]]);
  expect(await changes(GIFT_CARD_CHANGED.topic, orderId)).toEqual([['spend', -4_000], ['refund', 1_200], ['refund', 800], ['refund', 2_000]]);
  expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
});

it('settles a refund that arrives before order-paid, and never takes points below what is left', async () => {
  const memberId = await registerMember(h.service);
  const orderId = uuidv7();
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 5_000)));
  expect(await points(memberId)).toBe(0);
  // Paid later: earns 100, and the half refunded is reversed at once.
  await applied(await publish(ORDER_PAID, paid(orderId, 10_000, memberId)));
  expect(await points(memberId)).toBe(50);

  // Points spent elsewhere meanwhile: a full refund takes what is left, not more.
  const spent = { gid: uuidv7(), branchId: uuidv7(), memberId, channel: 'app', couponIds: [], points: 40, giftCardAmount: 0 };
  expect((await call<{ outcome: string }>(h.service, 'POST', '/internal/member-branches/try', { ...spent, deadline: new Date(Date.now() + 600_000).toISOString() })).body.outcome).toBe('success');
  expect((await call<{ outcome: string }>(h.service, 'POST', '/internal/member-branches/confirm', spent)).body.outcome).toBe('success');
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 5_000)));
  expect(await points(memberId)).toBe(0);
  const [settled] = await h.dataSource.query('SELECT points_reversed, points_shortfall FROM member_order_settlements WHERE order_id = $1', [orderId]);
  expect(settled).toEqual({ points_reversed: 60, points_shortfall: 40 });
  expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
});

it('dead-letters a refund that fails its contract or is in another currency than its gift card, and keeps consuming', async () => {
  const { memberId, orderId } = await paidOrder();
  const [template] = await h.dataSource.query(`SELECT topic, headers FROM ${OUTBOX_TABLE} WHERE topic = $1 LIMIT 1`, [topics.physical(ORDER_REFUND_REQUIRED.topic)]);
  const bad = { ...refund(orderId, 1_000), amount: { amount: -5, currency: 'CNY' } };
  const badId = uuidv7();
  await producer.send({ topic: template.topic, messages: [{ key: orderId, value: JSON.stringify(bad), headers: { ...template.headers, ce_id: badId, ce_subject: orderId } }] });
  const foreignId = await publish(ORDER_REFUND_REQUIRED, refund(orderId, 1_000, uuidv7(), 'USD'));
  await applied(await publish(ORDER_REFUND_REQUIRED, refund(orderId, 10_000)));
  expect(await points(memberId)).toBe(0);
  await waitFor(() => deadLetters.filter((m) => [badId, foreignId].includes(m.headers.ce_id)).length === 2, { timeoutMs: 90_000, what: 'two dead letters' });
  const reasonOf = (id: string) => deadLetters.find((m) => m.headers.ce_id === id)?.headers['dlq-reason'];
  expect(reasonOf(badId)).toMatch(/amount/);
  expect(reasonOf(foreignId)).toMatch(/REFUND_CURRENCY_MISMATCH|in USD, its gift card in CNY/);
});
