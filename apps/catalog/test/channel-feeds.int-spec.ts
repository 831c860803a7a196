import {
  channelFeedTopic,
  ORDER_CREATED,
  ORDER_PAID,
  PRICE_CHANGED,
  PRODUCT_CHANGED,
  sampleEvents,
  STOCK_CHANGED,
  type EventContract,
  type OrderCreatedEvent,
  type OrderPaidEvent,
  type PriceChangedEvent,
  type ProductChangedEvent,
  type StockChangedEvent,
} from '@omni/contracts';
import { CE, createKafka } from '@omni/messaging';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import type { Consumer, Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { startCatalog, type CatalogUnderTest } from './catalog-test-kit';

jest.setTimeout(120_000);

/** One message read from a feed topic. */
interface FeedMessage {
  topic: string;
  key: string;
  id: string;
  payload: Record<string, unknown>;
}

/**
 * The channel feeds, read from real Kafka: catalog cuts the internal price-changed, stock-changed and
 * product-changed into `feed.<channel>.*`, and a channel's feed carries no other channel's price,
 * quota or listing.
 */
describe('channel-scoped feeds (real Postgres and Kafka)', () => {
  let catalog: CatalogUnderTest;
  let producer: Producer;
  let consumer: Consumer;
  const received: FeedMessage[] = [];
  const suffix = uniqueId('').slice(-8).toUpperCase();
  const sku = `FEED-${suffix}`;
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const feed = (channel: string, contract: { topic: string }) => `${catalog.topicPrefix}${channelFeedTopic(channel, contract.topic)}`;

  async function publish<T extends object>(contract: EventContract<T>, payload: T, id = uuidv7()): Promise<string> {
    await producer.send({
      topic: `${catalog.topicPrefix}${contract.topic}`,
      messages: [{
        key: contract.key(payload),
        value: JSON.stringify(payload),
        headers: { [CE.id]: id, [CE.type]: contract.type, [CE.specversion]: '1.0', [CE.source]: `/omni-retail/${contract.source}`, [CE.time]: new Date().toISOString() },
      }],
    });
    return id;
  }

  beforeAll(async () => {
    catalog = await startCatalog('feeds');
    const kafka = createKafka({ clientId: 'feeds-test', brokers: testInfra.kafkaBrokers, logger: quiet });
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: `feeds-test-${suffix}` });
    await consumer.connect();
    // The integrations of tmall and pos, reading their own feeds (catalog created the topics at start).
    const topics = ['tmall', 'pos'].flatMap((channel) => [PRICE_CHANGED, STOCK_CHANGED, PRODUCT_CHANGED, ORDER_CREATED, ORDER_PAID].map((c) => feed(channel, c)));
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        received.push({
          topic: topic.slice(catalog.topicPrefix.length),
          key: message.key?.toString() ?? '',
          id: message.headers?.[CE.id]?.toString() ?? '',
          payload: JSON.parse(message.value!.toString()) as Record<string, unknown>,
        });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await catalog?.close();
  });

  const on = (topic: string) => received.filter((m) => m.topic === topic && m.key === sku);

  it("gives each channel its own prices and the base price, never another channel's", async () => {
    const at = new Date().toISOString();
    const price = (version: number, channel: string | null, amount: number): PriceChangedEvent =>
      sampleEvents.priceChanged({ sku, channel, version, price: { amount, currency: 'CNY' }, effectiveFrom: at }) as PriceChangedEvent;
    await publish(PRICE_CHANGED, price(1, null, 12900));
    await publish(PRICE_CHANGED, price(2, 'tmall', 11111));
    await publish(PRICE_CHANGED, price(3, 'pos', 22222));
    await publish(PRICE_CHANGED, price(4, 'app', 33333));
    await waitFor(() => on('feed.tmall.price-changed').length >= 2 && on('feed.pos.price-changed').length >= 2, { timeoutMs: 30_000, intervalMs: 100, what: 'the price feeds' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const amounts = (topic: string) => on(topic).map((m) => [(m.payload.channel as string | null) ?? null, (m.payload.price as { amount: number }).amount]);
    expect(amounts('feed.tmall.price-changed')).toEqual([[null, 12900], ['tmall', 11111]]);
    expect(amounts('feed.pos.price-changed')).toEqual([[null, 12900], ['pos', 22222]]);
  });

  it("gives each channel only its own ATP (its quota), and is idempotent on redelivery", async () => {
    const locationId = uuidv7();
    const event = sampleEvents.stockChanged({
      sku,
      locationId,
      version: 1,
      onHand: 50,
      reserved: 0,
      available: 50,
      atp: [
        { channel: 'tmall', available: 7 },
        { channel: 'app', available: 31 },
        { channel: 'pos', available: 12 },
      ],
      cause: 'allocation',
    }) as StockChangedEvent;
    const id = await publish(STOCK_CHANGED, event);
    await publish(STOCK_CHANGED, event, id);
    await waitFor(() => on('feed.tmall.stock-changed').length >= 1 && on('feed.pos.stock-changed').length >= 1, { timeoutMs: 30_000, intervalMs: 100, what: 'the stock feeds' });
    // Time for a second copy to show, were the redelivery published again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(on('feed.tmall.stock-changed').map((m) => m.payload.atp)).toEqual([[{ channel: 'tmall', available: 7 }]]);
    expect(on('feed.pos.stock-changed').map((m) => m.payload.atp)).toEqual([[{ channel: 'pos', available: 12 }]]);
    expect(on('feed.tmall.stock-changed')[0].payload).toMatchObject({ sku, locationId, version: 1 });
  });

  it('passes a shipped reservation (a deduction, which moves no ATP) to no feed, in order with the changes around it', async () => {
    const locationId = uuidv7();
    const at = (version: number, reserved: number, onHand: number, cause: StockChangedEvent['cause']) =>
      sampleEvents.stockChanged({
        sku, locationId, version, onHand, reserved, available: onHand - reserved,
        atp: [{ channel: 'tmall', available: onHand - reserved }, { channel: 'pos', available: onHand - reserved }],
        cause,
      }) as StockChangedEvent;
    await publish(STOCK_CHANGED, at(11, 2, 10, 'reservation'));
    await publish(STOCK_CHANGED, at(12, 0, 8, 'deduction'));
    await publish(STOCK_CHANGED, at(13, 0, 9, 'return-restock'));
    const versions = (topic: string) => on(topic).map((m) => m.payload.version as number).filter((v) => v > 10);
    await waitFor(() => versions('feed.tmall.stock-changed').includes(13) && versions('feed.pos.stock-changed').includes(13), { timeoutMs: 30_000, intervalMs: 100, what: 'the return on the stock feeds' });
    expect(versions('feed.tmall.stock-changed')).toEqual([11, 13]);
    expect(versions('feed.pos.stock-changed')).toEqual([11, 13]);
  });

  it("gives each channel the product with its own listing only, keyed by product", async () => {
    const product = sampleEvents.productChanged({ version: 1 }) as ProductChangedEvent;
    product.product!.skus = [{ sku, attributes: {} }];
    product.product!.channels = ['tmall', 'app', 'pos'].map((channel) => ({ channel, visible: true, title: `${channel}-title-${suffix}` }));
    await publish(PRODUCT_CHANGED, product);
    const of = (topic: string) => received.filter((m) => m.topic === topic && m.key === product.productId);
    await waitFor(() => of('feed.tmall.product-changed').length >= 1 && of('feed.pos.product-changed').length >= 1, { timeoutMs: 30_000, intervalMs: 100, what: 'the product feeds' });
    const titles = (topic: string) => of(topic).flatMap((m) => (m.payload.product as { channels: Array<{ title: string }> }).channels.map((l) => l.title));
    expect(titles('feed.tmall.product-changed')).toEqual([`tmall-title-${suffix}`]);
    expect(titles('feed.pos.product-changed')).toEqual([`pos-title-${suffix}`]);
  });

  it("gives each channel its own orders only, keyed by order", async () => {
    const orders = { tmall: uuidv7(), app: uuidv7(), pos: uuidv7() };
    for (const [channel, orderId] of Object.entries(orders)) {
      await publish(ORDER_CREATED, sampleEvents.orderCreated({ orderId, channel }) as OrderCreatedEvent);
      await publish(ORDER_PAID, sampleEvents.orderPaid({ orderId, channel }) as OrderPaidEvent);
    }
    const of = (topic: string) => received.filter((m) => m.topic === topic && Object.values(orders).includes(m.key)).map((m) => m.key);
    await waitFor(() => of('feed.tmall.order-paid').length >= 1 && of('feed.pos.order-paid').length >= 1, { timeoutMs: 30_000, intervalMs: 100, what: 'the order feeds' });
    // Time for an app order to show, were it published to another channel's feed.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(of('feed.tmall.order-created')).toEqual([orders.tmall]);
    expect(of('feed.tmall.order-paid')).toEqual([orders.tmall]);
    expect(of('feed.pos.order-created')).toEqual([orders.pos]);
    expect(of('feed.pos.order-paid')).toEqual([orders.pos]);
  });

  it("never puts another channel's figure on a channel's feed", () => {
    // Every figure above that belongs to one channel only.
    const figures: Record<string, string[]> = { tmall: ['11111', '"available":7'], pos: ['22222', '"available":12'], app: ['33333', '"available":31'] };
    expect(received.length).toBeGreaterThan(0);
    for (const message of received) {
      const channel = message.topic.split('.')[1];
      const text = JSON.stringify(message.payload);
      for (const [owner, owned] of Object.entries(figures).filter(([owner]) => owner !== channel)) {
        const leaks = [`"channel":"${owner}"`, ...owned].filter((figure) => text.includes(figure));
        expect({ topic: message.topic, owner, leaks }).toEqual({ topic: message.topic, owner, leaks: [] });
      }
    }
  });
});
