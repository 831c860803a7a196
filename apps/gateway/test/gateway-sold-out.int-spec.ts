import { randomUUID } from 'node:crypto';
import { STOCK_CHANGED } from '@omni/contracts';
import { CE, createKafka, DLQ_HEADERS, headersToStrings, TopicNames } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import { Partitioners, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { SoldOutFeed } from '../src/sold-out/sold-out.feed';
import { SoldOutProjection } from '../src/sold-out/sold-out.projection';
import { call, KEYS, STORE, startGateway, type Answer, type GatewayUnderTest } from './support/gateway-harness';

jest.setTimeout(120_000);

const LOCATION = '01936d2a-0000-7000-8000-00000000a0a1';

/**
 * The sold-out fast path through the running gateway: stock-changed events go to the gateway's
 * own topic (real Kafka), orders to its HTTP API, and the stub upstreams record what reached them.
 */
describe('gateway sold-out fast path (real Postgres, Redis, Kafka; stub upstreams)', () => {
  let gw: GatewayUnderTest;
  let producer: Producer;
  let projection: SoldOutProjection;
  let topic: string;
  const versions = new Map<string, number>();

  /** Publishes a stock-changed of `sku` with the next version (or `version`) and these channel ATPs. */
  async function stockChanged(sku: string, atp: Record<string, number>, version = (versions.get(sku) ?? 0) + 1): Promise<number> {
    versions.set(sku, Math.max(version, versions.get(sku) ?? 0));
    const payload = {
      schemaVersion: STOCK_CHANGED.version,
      occurredAt: new Date().toISOString(),
      sku,
      locationId: LOCATION,
      version,
      onHand: 10,
      reserved: 10,
      available: 0,
      atp: Object.entries(atp).map(([channel, available]) => ({ channel, available })),
      cause: 'reservation',
    };
    await producer.send({ topic, acks: -1, messages: [{ key: sku, value: JSON.stringify(payload), headers: ceHeaders() }] });
    return version;
  }

  const ceHeaders = () => ({ [CE.id]: uuidv7(), [CE.type]: STOCK_CHANGED.type, [CE.source]: '/omni-retail/inventory', [CE.specversion]: '1.0', [CE.time]: new Date().toISOString() });

  const order = (key: string, channelKey: string, lines: Array<{ sku: string; quantity: number }>): Promise<Answer> =>
    call(`${gw.url}/orders`, {
      method: 'POST',
      headers: { 'x-api-key': channelKey, 'idempotency-key': key },
      body: { buyer: { anonymous: true }, lines, fulfilment: channelKey === KEYS.pos ? { type: 'pickup', locationId: STORE } : { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } } },
    });

  /** What reached pricing, member and order since `from` (index into the stub's calls). */
  const upstreamCallsSince = (from: number) => gw.stub.calls.slice(from).filter((c) => /^\/(orders|internal\/(prices|quotes|members))/.test(c.path)).map((c) => `${c.method} ${c.path}`);

  beforeAll(async () => {
    gw = await startGateway('gw_sold_out');
    projection = gw.service.app.get(SoldOutProjection);
    topic = new TopicNames(gw.env.KAFKA_TOPIC_PREFIX).physical(STOCK_CHANGED.topic);
    producer = createKafka({ clientId: 'gw-sold-out-spec', brokers: testInfra.kafkaBrokers }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // The projection reads from the end of the topic as of its start: wait until it is in its group.
    const feed = gw.service.app.get(SoldOutFeed);
    await waitFor(() => feed.answering, { timeoutMs: 30_000, intervalMs: 50, what: 'the sold-out projection to join its group' });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await gw?.close();
  });

  it('refuses an order for a SKU sold out on its channel with 409 SOLD_OUT, calling neither pricing, member nor order; another channel still orders', async () => {
    const version = await stockChanged('TEA-250', { app: 0, tmall: 5 });
    await waitFor(() => projection.versionOf('TEA-250') === version, { timeoutMs: 15_000, intervalMs: 20, what: 'stock-changed to reach the projection' });

    const before = gw.stub.calls.length;
    const refused = await order(uniqueId('sold-out-'), KEYS.app, [{ sku: 'TEA-500', quantity: 1 }, { sku: 'TEA-250', quantity: 2 }]);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: 'SOLD_OUT',
      message: 'Sold out on channel app: TEA-250',
      details: [{ field: 'lines.1.sku', reason: 'SKU TEA-250 is sold out on channel app' }],
    });
    expect(upstreamCallsSince(before)).toEqual([]);

    const tmall = await order(uniqueId('tmall-'), KEYS.tmall, [{ sku: 'TEA-250', quantity: 1 }]);
    expect(tmall.status).toBe(201);
    expect(upstreamCallsSince(before)).toContain('POST /orders');
  });

  it('re-opens a SKU when a newer stock-changed brings ATP back, ignores an older one, and judges a refused key afresh', async () => {
    const key = uniqueId('comes-back-');
    await waitFor(() => projection.isSoldOut('TEA-250', 'app'), { timeoutMs: 15_000, what: 'TEA-250 sold out on app' });
    expect((await order(key, KEYS.app, [{ sku: 'TEA-250', quantity: 1 }])).status).toBe(409);

    const restocked = await stockChanged('TEA-250', { app: 3, tmall: 5 });
    await waitFor(() => projection.versionOf('TEA-250') === restocked, { timeoutMs: 15_000, intervalMs: 20, what: 'the restock to reach the projection' });
    // An older event arriving late changes nothing.
    await stockChanged('TEA-250', { app: 0, tmall: 0 }, restocked - 1);
    const marker = await stockChanged('TEA-MARKER', { app: 1 });
    await waitFor(() => projection.versionOf('TEA-MARKER') === marker, { timeoutMs: 15_000, intervalMs: 20, what: 'a later event to be applied' });
    expect(projection.availableOf('TEA-250', 'app')).toBe(3);

    const before = gw.stub.calls.length;
    const retry = await order(key, KEYS.app, [{ sku: 'TEA-250', quantity: 1 }]);
    expect(retry.status).toBe(201);
    expect(gw.stub.calls.slice(before).find((c) => c.path === '/orders')?.headers['idempotency-key']).toBe(`app:${key}`);
  });

  it('forwards a retry of a key that already reached the order service, even once the SKU sold out', async () => {
    const key = uniqueId('first-then-sold-out-');
    const lines = [{ sku: 'TEA-500', quantity: 1 }];
    expect((await order(key, KEYS.pos, lines)).status).toBe(201);

    const version = await stockChanged('TEA-500', { 'pos-sh01': 0, app: 4 });
    await waitFor(() => projection.versionOf('TEA-500') === version, { timeoutMs: 15_000, intervalMs: 20, what: 'stock-changed to reach the projection' });

    const before = gw.stub.calls.length;
    const retry = await order(key, KEYS.pos, lines);
    expect(retry.status).toBe(201);
    const forwarded = gw.stub.calls.slice(before).filter((c) => c.path === '/orders');
    expect(forwarded.map((c) => c.headers['idempotency-key'])).toEqual([`pos-sh01:${key}`]);
    // A key never forwarded is refused.
    expect((await order(uniqueId('new-'), KEYS.pos, lines)).body.code).toBe('SOLD_OUT');
  });

  it('dead-letters a stock-changed it cannot read and keeps consuming after it', async () => {
    const reason = await deadLetterReasonOf('{"sku": "TEA-250", ');
    expect(reason).toMatch(/invalid JSON/);
    const invalid = await deadLetterReasonOf(JSON.stringify({ schemaVersion: 1, sku: 'TEA-250', version: 'many' }));
    expect(invalid).toMatch(/\S/);
    const after = await stockChanged('TEA-AFTER-POISON', { app: 0 });
    await waitFor(() => projection.versionOf('TEA-AFTER-POISON') === after, { timeoutMs: 15_000, intervalMs: 20, what: 'the event after the poison to be applied' });
  });

  it('counts refusals and reports the projection in /metrics', async () => {
    const metrics = await call(`${gw.url}/metrics`);
    expect(metrics.text).toMatch(/^gateway_orders_sold_out_total\{channel="app",service="gateway"\} [1-9]/m);
    expect(metrics.text).toMatch(/^gateway_sold_out_answering\{service="gateway"\} 1$/m);
    expect(metrics.text).toMatch(/^gateway_sold_out_pairs\{service="gateway"\} [1-9]/m);
    expect(metrics.text).toMatch(/^gateway_sold_out_event_delay_seconds\{service="gateway"\} \d/m);
    expect(metrics.text).toMatch(/^messaging_dead_lettered_total\{topic="[^"]*stock-changed",group="gateway\.sold-out",service="gateway"\} [1-9]/m);
  });

  /** Sends `value` as a stock-changed and returns the reason it was dead-lettered with by the gateway's projection. */
  async function deadLetterReasonOf(value: string): Promise<string> {
    const id = randomUUID();
    await producer.send({ topic, acks: -1, messages: [{ key: 'TEA-250', value, headers: { ...ceHeaders(), [CE.id]: id } }] });
    const kafka = createKafka({ clientId: 'gw-sold-out-dlq-reader', brokers: testInfra.kafkaBrokers });
    const reader = kafka.consumer({ groupId: uniqueId('gw-sold-out-dlq-'), maxWaitTimeInMs: 100 });
    let found: string | undefined;
    await reader.connect();
    try {
      await reader.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          const headers = headersToStrings(message.headers as Record<string, unknown>);
          if (headers[CE.id] === id && headers[DLQ_HEADERS.consumerGroup]?.startsWith(`${gw.env.KAFKA_TOPIC_PREFIX}gateway.sold-out.`)) found = headers[DLQ_HEADERS.reason];
        },
      });
      return await waitFor(() => found, { timeoutMs: 30_000, what: 'the dead letter of the projection' });
    } finally {
      await reader.disconnect();
    }
  }
});
