// The push engine against the simulator over real HTTP: a burst coalesces to at most one push per
// SKU × store per window, stays under the platform's rate limit, and with failures and slow answers
// every final value still arrives and none arrives out of order.
import { IdMapper } from '../../apps/o2o-connector/src/domain/id-mapping';
import type { PlatformAdapter } from '../../apps/o2o-connector/src/domain/platform-adapter.port';
import { DeliveryPlatformAdapter } from '../../apps/o2o-connector/src/platforms/delivery-platform.adapter';
import { MarketplaceAdapter } from '../../apps/o2o-connector/src/platforms/marketplace.adapter';
import { StockPushEngine, type WantedStock } from '../../apps/o2o-connector/src/stock-sync/stock-push.engine';
import { PlatformSimulator, type SimulatedShape } from './platform-simulator';

const SKUS = Array.from({ length: 50 }, (_, i) => `SKU-${String(i).padStart(2, '0')}`);
const WINDOW_MS = 150;
const RATE = 40;

function mapper(): IdMapper {
  return new IdMapper({
    skus: SKUS.map((sku, i) => ({ sku, platformSku: `P${1000 + i}` })),
    stores: [{ locationId: 'loc-1', platformStore: 'S-1' }],
  });
}

async function run(shape: SimulatedShape, faults: { failureRate?: number; maxDelayMs?: number }, platformRate = RATE) {
  const simulator = new PlatformSimulator({ shape, appKey: 'k', secret: 'secret-123', ratePerSecond: platformRate, seed: 7, ...faults });
  const url = await simulator.start();
  const endpoint = { baseUrl: url, appKey: 'k', secret: 'secret-123', timeoutMs: 2_000, webhookMaxSkewMs: 300_000 };
  const real: PlatformAdapter = shape === 'delivery' ? new DeliveryPlatformAdapter('eleme', endpoint) : new MarketplaceAdapter('tmall', endpoint);
  // When each value left the connector: the window is ours to keep; arrival times add network jitter.
  const sent: { item: string; at: number }[] = [];
  const adapter: PlatformAdapter = Object.assign(Object.create(real) as PlatformAdapter, {
    pushStock: (updates: Parameters<PlatformAdapter['pushStock']>[0]) => {
      for (const update of updates) sent.push({ item: update.platformSku, at: Date.now() });
      return real.pushStock(updates);
    },
  });
  const acked: WantedStock[] = [];
  const failures: string[] = [];
  const lags: number[] = [];
  const engine = new StockPushEngine(adapter, { windowMs: WINDOW_MS, retryBaseMs: 50, retryMaxMs: 1_000, ratePerSecond: RATE, concurrency: 4 }, mapper(), {
    acknowledged: (_platform, pushes, lagMs) => {
      acked.push(...pushes);
      lags.push(...lagMs);
    },
    failed: (_platform, kind) => failures.push(kind),
    unmapped: () => undefined,
  });
  // 1,000 changes over 50 SKUs: versions grow per SKU, quantities wander; the last one is our ATP.
  const final = new Map<string, { quantity: number; version: number }>();
  const versions = new Map<string, number>();
  let seed = 11;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const started = Date.now();
  for (let i = 0; i < 1_000; i += 1) {
    const sku = SKUS[Math.floor(random() * SKUS.length)];
    const version = (versions.get(sku) ?? 0) + 1;
    versions.set(sku, version);
    const quantity = Math.floor(random() * 100);
    final.set(sku, { quantity, version });
    engine.offer({ sku, locationId: 'loc-1', quantity, version, observedAt: Date.now() });
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = Date.now() + 60_000;
  while (engine.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  engine.stop();
  await simulator.stop();
  return { simulator, sent, final, acked, failures, lags, elapsedMs: Date.now() - started, pending: engine.pending };
}

describe.each(['delivery', 'marketplace'] as const)('stock push to the %s simulator', (shape) => {
  it('a burst of 1,000 changes for 50 SKUs: one push per SKU × store per window, final values equal ours, rate limit never exceeded', async () => {
    const result = await run(shape, {});
    expect(result.pending).toBe(0);
    expect(result.simulator.rateLimited).toBe(0);
    expect(result.simulator.maxCallsPerSecond).toBeLessThanOrEqual(RATE);
    for (const [sku, { quantity, version }] of result.final) {
      expect(result.simulator.stock.get(`S-1|P${1000 + SKUS.indexOf(sku)}`)).toEqual({ quantity, seq: version });
    }
    // Pushes of one key leave at least a window apart: later changes joined the pending push.
    const byKey = new Map<string, number[]>();
    for (const push of result.sent) byKey.set(push.item, [...(byKey.get(push.item) ?? []), push.at]);
    for (const times of byKey.values()) for (let i = 1; i < times.length; i += 1) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(result.sent.length).toBe(result.simulator.stockApplied.length);
    expect(result.simulator.stockApplied.length).toBeLessThan(1_000);
    console.log(`${shape}: ${result.simulator.stockApplied.length} values applied in ${result.simulator.calls.length} calls for 1,000 changes; ${result.elapsedMs} ms; max ${result.simulator.maxCallsPerSecond} calls/s (limit ${RATE})`);
  }, 90_000);

  it('with 20% of calls failing and slow answers: every final value arrives, none out of order', async () => {
    const result = await run(shape, { failureRate: 0.2, maxDelayMs: 120 });
    expect(result.pending).toBe(0);
    // The marketplace's batches make few calls (about 6), so 20% may by chance fail none of them.
    if (shape === 'delivery') expect(result.failures.length).toBeGreaterThan(0);
    expect(result.failures.length).toBe(result.simulator.calls.filter((call) => call.status === 503).length);
    for (const [sku, { quantity, version }] of result.final) {
      expect(result.simulator.stock.get(`S-1|P${1000 + SKUS.indexOf(sku)}`)).toEqual({ quantity, seq: version });
    }
    const seqs = new Map<string, number[]>();
    for (const applied of result.simulator.stockApplied) seqs.set(applied.item, [...(seqs.get(applied.item) ?? []), applied.seq]);
    for (const list of seqs.values()) for (let i = 1; i < list.length; i += 1) expect(list[i]).toBeGreaterThan(list[i - 1]);
    expect(result.simulator.rateLimited).toBe(0);
    console.log(`${shape} with faults: ${result.failures.length} failed calls retried; ${result.simulator.stockApplied.length} values applied; ${result.elapsedMs} ms`);
  }, 90_000);

  it('told a lower limit than the platform really has: 429s pause the engine for Retry-After, and every final value still arrives', async () => {
    const result = await run(shape, {}, 10);
    expect(result.pending).toBe(0);
    if (shape === 'delivery') expect(result.failures).toContain('rate-limited');
    for (const [sku, { quantity, version }] of result.final) {
      expect(result.simulator.stock.get(`S-1|P${1000 + SKUS.indexOf(sku)}`)).toEqual({ quantity, seq: version });
    }
    console.log(`${shape} over its real limit: ${result.simulator.rateLimited} answers were 429; ${result.elapsedMs} ms to converge`);
  }, 90_000);
});
