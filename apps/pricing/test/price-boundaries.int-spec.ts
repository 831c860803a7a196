import { Outbox, OUTBOX_TABLE } from '@omni/messaging';
import { SERVICE_CONFIG } from '@omni/platform';
import { ManualClock } from '@omni/tcc';
import { waitFor } from '@omni/testing';
import { PricingEnv } from '../src/config/pricing.config';
import { EffectivePriceSync } from '../src/price-events/effective-price.sync';
import { PriceBoundaryPublisher } from '../src/price-events/price-boundary.publisher';
import { PricingSnapshotLoader } from '../src/snapshot/pricing-snapshot.loader';
import { call, queuedPriceChanges, ruleBody, startPricing, type PricingHarness } from './pricing.harness';

// Scheduled boundaries: a rule starting or ending, and a price-list entry starting, each publish
// price-changed at the boundary instant, once, with two replicas ticking on an injected clock.
jest.setTimeout(120_000);

let h: PricingHarness;
const minute = 60_000;
const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (minutes: number) => new Date(t0.getTime() + minutes * minute);
const clock = new ManualClock(t0);
let replicas: PriceBoundaryPublisher[];

beforeAll(async () => {
  h = await startPricing('bounds');
  const env = h.service.app.get<PricingEnv>(SERVICE_CONFIG);
  const sync = new EffectivePriceSync(h.service.app.get(Outbox));
  // Two replicas: each its own snapshot loader, both on the service's database and outbox.
  replicas = [0, 1].map(() => new PriceBoundaryPublisher(h.dataSource, new PricingSnapshotLoader(h.dataSource, env.PRICING_CURRENCY, env.PRICING_CHANNELS), sync, clock));
  await call(h.service, 'PUT', '/internal/base-prices/SKU-B', { amount: 10000 });
  const rule = await call(h.service, 'POST', '/internal/rules', ruleBody({
    id: 'tmall-night',
    kind: 'limited-time-price',
    channels: ['tmall'],
    prices: [{ sku: 'SKU-B', amount: 7900 }],
    effectiveFrom: at(60).toISOString(),
    effectiveTo: at(120).toISOString(),
  }));
  expect(rule.status).toBe(201);
  const listed = await call(h.service, 'PUT', '/internal/channel-prices/jd/SKU-B', { amount: 8500, effectiveFrom: at(90).toISOString() });
  expect(listed.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

const changes = async () => (await queuedPriceChanges(h.dataSource, h.topicPrefix)).filter((c) => c.sku === 'SKU-B');
const bothTick = async () => {
  const ticks = await Promise.all(replicas.map((replica) => replica.tick()));
  return ticks.flatMap((tick) => (tick.status === 'published' ? tick.changes : []));
};

it('does not publish a boundary again when a write already published its price', async () => {
  // Same clock for writes and ticks here: real time.
  clock.set(new Date());
  expect((await replicas[0].tick()).status).toBe('started');
  const cursor = clock.now();
  const before = (await queuedPriceChanges(h.dataSource, h.topicPrefix)).length;
  await call(h.service, 'PUT', '/internal/base-prices/SKU-D', { amount: 3000 });
  // Starts just after the cursor, so the next tick's window holds its start edge.
  const rule = await call(h.service, 'POST', '/internal/rules', ruleBody({
    id: 'app-now',
    kind: 'limited-time-price',
    channels: ['app'],
    prices: [{ sku: 'SKU-D', amount: 2500 }],
    effectiveFrom: new Date(cursor.getTime() + 1).toISOString(),
    effectiveTo: at(600).toISOString(),
  }));
  expect(rule.status).toBe(201);
  const written = (await queuedPriceChanges(h.dataSource, h.topicPrefix)).slice(before).filter((c) => c.sku === 'SKU-D');
  expect(written.filter((c) => c.channel === 'app').map((c) => c.price.amount)).toEqual([3000, 2500]);
  clock.set(new Date());
  expect(await bothTick()).toEqual([]);
});

it('publishes a start, a price-list start and an end exactly at their boundaries, once across replicas', async () => {
  // Writes published today's prices; the future windows published nothing yet.
  expect((await changes()).map((c) => [c.channel, c.price.amount]).sort()).toEqual([
    ['app', 10000],
    ['jd', 10000],
    ['tmall', 10000],
  ]);
  const published = (await changes()).length;

  clock.set(new Date(at(60).getTime() - 1));
  expect(await bothTick()).toEqual([]);

  clock.set(at(60));
  const start = await bothTick();
  expect(start.map((c) => [c.sku, c.channel, c.amount, c.effectiveFrom])).toEqual([['SKU-B', 'tmall', 7900, at(60).toISOString()]]);

  // Ticks run late (here 7 s after the boundary): the delta still says when the price started.
  clock.set(new Date(at(90).getTime() + 7_000));
  const listStart = await bothTick();
  expect(listStart.map((c) => [c.channel, c.amount, c.effectiveFrom])).toEqual([['jd', 8500, at(90).toISOString()]]);

  clock.set(at(120));
  const end = await bothTick();
  expect(end.map((c) => [c.channel, c.amount, c.effectiveFrom])).toEqual([['tmall', 10000, at(120).toISOString()]]);

  clock.set(at(180));
  expect(await bothTick()).toEqual([]);

  const queued = (await changes()).slice(published);
  expect(queued.map((c) => [c.channel, c.price.amount, c.effectiveFrom])).toEqual([
    ['tmall', 7900, at(60).toISOString()],
    ['jd', 8500, at(90).toISOString()],
    ['tmall', 10000, at(120).toISOString()],
  ]);
  const versions = queued.map((c) => c.version);
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  expect(new Set(versions).size).toBe(versions.length);
});

describe('the service scheduler on the wall clock', () => {
  let live: PricingHarness;
  beforeAll(async () => {
    live = await startPricing('bounds-live', { PRICE_SCHEDULER_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await live?.close();
  });

  it('publishes a rule start to Kafka right after its boundary (ticks every 200 ms)', async () => {
    await call(live.service, 'PUT', '/internal/base-prices/SKU-L', { amount: 5000 });
    // Let the first tick set the cursor, then schedule a start 1.5 s ahead.
    await waitFor(async () => (await live.dataSource.query('SELECT 1 FROM price_schedule_cursor')).length === 1, { timeoutMs: 10_000, what: 'the first tick' });
    const start = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const rule = await call(live.service, 'POST', '/internal/rules', ruleBody({
      id: 'soon',
      kind: 'limited-time-price',
      channels: ['app'],
      prices: [{ sku: 'SKU-L', amount: 4200 }],
      effectiveFrom: start.toISOString(),
      effectiveTo: new Date(start.getTime() + 3_600_000).toISOString(),
    }));
    expect(rule.status).toBe(201);
    const row = await waitFor(
      async () => {
        const rows: { payload: { price: { amount: number }; effectiveFrom: string; channel: string }; created_at: Date; sent_at: Date | null }[] = await live.dataSource.query(
          `SELECT payload, created_at, sent_at FROM ${OUTBOX_TABLE} WHERE topic = $1 AND payload->>'sku' = 'SKU-L' AND (payload->'price'->>'amount')::int = 4200`,
          [`${live.topicPrefix}price-changed`],
        );
        return rows.length === 1 && rows[0].sent_at ? rows[0] : undefined;
      },
      { timeoutMs: 15_000, what: 'the boundary event relayed to Kafka' },
    );
    expect(row.payload).toMatchObject({ channel: 'app', effectiveFrom: start.toISOString() });
    expect(new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(start.getTime());
    // Ticks every 200 ms; the bound leaves room for a loaded machine.
    expect(new Date(row.created_at).getTime() - start.getTime()).toBeLessThan(2_000);
  });
});
