// price-changed → the platform (the simulator, its own process): only the platform channel's price,
// the newest version per SKU (a burst coalesced, a late older version never over a newer one), and
// a price effective later only once it is effective.
import { PRICE_CHANGED, type PriceChangedEvent } from '@omni/contracts';
import { OutboxWriter, TopicNames } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { call, O2oWorld } from './o2o-world.harness';

jest.setTimeout(300_000);

const world = new O2oWorld('o2o_price');
let producer: Producer;
let writer: OutboxWriter;

beforeAll(async () => {
  await world.start({ O2O_PUSH_WINDOW_MS: '300' }, {}, false);
  await world.consumersJoined(['o2o-connector']);
  const mapped = await call('PUT', `${world.connector.url}/internal/platforms/${world.channel}/sku-mappings`, {
    mappings: [
      { sku: 'TEA-1', platformSku: 'E-TEA-1' },
      { sku: 'TEA-2', platformSku: 'E-TEA-2' },
    ],
  });
  expect(mapped.status).toBe(200);
  writer = new OutboxWriter(new TopicNames(world.topicPrefix));
  producer = new Kafka({ clientId: uniqueId('o2o-price'), brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer({ idempotent: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await world.close();
});

async function publish(prices: Array<Partial<PriceChangedEvent> & { sku: string; version: number; amount: number }>): Promise<void> {
  const messages = prices.map(({ amount, ...price }) => {
    const event = writer.event(PRICE_CHANGED, {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      channel: world.channel,
      effectiveFrom: new Date().toISOString(),
      price: { amount, currency: 'CNY' },
      ...price,
    } as PriceChangedEvent);
    return { topic: event.topic, messages: [{ key: event.key, headers: event.headers, value: JSON.stringify(event.payload) }] };
  });
  await producer.sendBatch({ topicMessages: messages });
}

async function platformPrices(): Promise<Record<string, { amount: number; seq: number }>> {
  return (await call('GET', `${world.simulator.url}/_sim/state`)).body.prices as Record<string, { amount: number; seq: number }>;
}

it('pushes the newest price of the platform channel once per SKU per window; other channels, base prices and older versions never', async () => {
  await publish([
    ...Array.from({ length: 30 }, (_, i) => ({ sku: 'TEA-1', version: i + 1, amount: 1_000 + i })),
    { sku: 'TEA-1', version: 5, amount: 1 }, // late and older: dropped
    { sku: 'TEA-1', version: 31, amount: 9_999, channel: 'app' }, // another channel's price
    { sku: 'TEA-1', version: 32, amount: 8_888, channel: null }, // the base price
    { sku: 'TEA-2', version: 7, amount: 2_500 },
  ]);
  await waitFor(async () => {
    const prices = await platformPrices();
    return prices['E-TEA-1']?.amount === 1_029 && prices['E-TEA-2']?.amount === 2_500;
  }, { timeoutMs: 60_000, intervalMs: 200, what: `the platform to show the newest prices; connector:\n${world.connector.tail()}` });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const prices = await platformPrices();
  expect(prices['E-TEA-1']).toEqual({ amount: 1_029, seq: 30 });
  const state = await call('GET', `${world.simulator.url}/_sim/state`);
  // 31 changes of TEA-1 in one burst: a handful of pushes at most (one per window, one in flight), not 31.
  const { rows } = await world.connectorPool.query(`SELECT sku, version::int, acked_version::int FROM o2o_price_sync ORDER BY sku`);
  expect(rows).toEqual([
    { sku: 'TEA-1', version: 30, acked_version: 30 },
    { sku: 'TEA-2', version: 7, acked_version: 7 },
  ]);
  expect(Number(state.body.calls)).toBeLessThanOrEqual(6);
});

it('pushes a price effective later only when it takes effect', async () => {
  await publish([{ sku: 'TEA-2', version: 8, amount: 1_999, effectiveFrom: new Date(Date.now() + 3_000).toISOString() }]);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect((await platformPrices())['E-TEA-2'].amount).toBe(2_500);
  await waitFor(async () => (await platformPrices())['E-TEA-2'].amount === 1_999, { timeoutMs: 30_000, what: 'the future price to reach the platform once effective' });
});
