import { sampleEvents, type PriceChangedEvent, type ProductChangedEvent, type StockChangedEvent } from '@omni/contracts';
import { splitPriceChanged, splitProductChanged, splitStockChanged } from './channel-feed.splitter';

const FEEDS = ['tmall', 'eleme', 'pos'];

describe('channel feed splitter', () => {
  it.each([
    ['a channel price goes to that channel only', 'tmall', ['tmall']],
    ['a base price goes to every feed', null, FEEDS],
    ['a price of a channel without a feed goes nowhere', 'app', []],
  ] as const)('%s', (_what, channel, expected) => {
    const event = sampleEvents.priceChanged({ channel, price: { amount: 3190, currency: 'CNY' } }) as PriceChangedEvent;
    const cuts = splitPriceChanged(event, FEEDS);
    expect(cuts.map((cut) => cut.channel)).toEqual(expected);
    for (const cut of cuts) expect(cut.payload).toEqual(event);
  });

  it('gives each channel its own ATP only, and nothing to a channel the change does not concern', () => {
    const event = sampleEvents.stockChanged({
      atp: [
        { channel: 'tmall', available: 7 },
        { channel: 'app', available: 40 },
        { channel: 'pos', available: 3 },
      ],
    }) as StockChangedEvent;
    const cuts = splitStockChanged(event, FEEDS);
    expect(cuts.map((cut) => [cut.channel, cut.payload.atp])).toEqual([
      ['tmall', [{ channel: 'tmall', available: 7 }]],
      ['pos', [{ channel: 'pos', available: 3 }]],
    ]);
    expect(cuts[0].payload).toMatchObject({ sku: event.sku, locationId: event.locationId, version: event.version });
    expect(event.atp).toHaveLength(3);
  });

  it("gives each channel the product with its own listing only (none when it is not listed there)", () => {
    const event = sampleEvents.productChanged() as ProductChangedEvent;
    const listing = (channel: string) => ({ channel, visible: true, title: `${channel} title` });
    event.product!.channels = [listing('tmall'), listing('app'), listing('pos')];
    const cuts = splitProductChanged(event, FEEDS);
    expect(cuts.map((cut) => [cut.channel, cut.payload.product!.channels.map((l) => l.channel)])).toEqual([
      ['tmall', ['tmall']],
      ['eleme', []],
      ['pos', ['pos']],
    ]);
    expect(event.product!.channels).toHaveLength(3);
    const deleted = { ...event, op: 'deleted' as const, product: undefined };
    expect(splitProductChanged(deleted, FEEDS).map((cut) => cut.payload)).toEqual([deleted, deleted, deleted]);
  });
});
