import { Registry } from 'prom-client';
import type { Pool } from 'pg';
import { promAtpRebuildObserver } from './atp-rebuild.metrics';
import type { AtpCache } from './atp-cache';
import { AtpReconciler } from './atp.reconciler';

/** A sku_stock table of one SKU at version 3, read in pages as the reconciler does. */
const pool = { query: async (_sql: string, params: unknown[]) => ({ rows: params[0] === '' ? [{ sku: 'TEA-1', version: 3 }] : [] }) } as unknown as Pool;

/** Cached versions as Redis would answer them, or Redis refusing. */
function cacheAnswering(answer: () => Promise<Map<string, number>>): AtpCache {
  return { versions: answer } as unknown as AtpCache;
}

async function sample(registry: Registry, name: string, trigger?: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (metric?.values as Array<{ value: number; labels: Record<string, string> }> | undefined)?.find((v) => trigger === undefined || v.labels.trigger === trigger);
  return value?.value ?? Number.NaN;
}

describe('Redis gate rebuild metrics', () => {
  it('counts a rebuild that fails because Redis is unreachable, keeps the last success, and rethrows', async () => {
    const registry = new Registry();
    let redisUp = true;
    const cache = cacheAnswering(async () => {
      if (!redisUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
      return new Map([['TEA-1', 3]]);
    });
    const reconciler = new AtpReconciler(pool, cache, [], { observer: promAtpRebuildObserver(registry) });
    expect(await sample(registry, 'inventory_redis_gate_rebuild_failures_total', 'reconcile')).toBe(0);
    expect(await sample(registry, 'inventory_redis_gate_last_success_timestamp_seconds')).toBe(0);

    await expect(reconciler.reconcile()).resolves.toEqual({ checked: 1, rebuilt: 0 });
    const succeededAt = await sample(registry, 'inventory_redis_gate_last_success_timestamp_seconds');
    expect(succeededAt).toBeGreaterThan(Date.now() / 1000 - 5);

    redisUp = false;
    await expect(reconciler.reconcile()).rejects.toThrow('ECONNREFUSED');
    await expect(reconciler.reconcile()).rejects.toThrow('ECONNREFUSED');
    expect(await sample(registry, 'inventory_redis_gate_rebuild_failures_total', 'reconcile')).toBe(2);
    expect(await sample(registry, 'inventory_redis_gate_rebuilds_total', 'reconcile')).toBe(1);
    expect(await sample(registry, 'inventory_redis_gate_last_success_timestamp_seconds')).toBe(succeededAt);
    expect(await registry.metrics()).toContain('inventory_redis_gate_rebuild_failures_total{trigger="reconcile"} 2');
  });

  it('labels the start-up pass and rebuilds of named SKUs apart, and only full passes move the last success', async () => {
    const registry = new Registry();
    const failing = { query: async () => Promise.reject(new Error('database gone')) } as unknown as Pool;
    const reconciler = new AtpReconciler(failing, cacheAnswering(async () => new Map()), [], { observer: promAtpRebuildObserver(registry) });
    await expect(reconciler.rebuildAll()).rejects.toThrow('database gone');
    await expect(reconciler.rebuild(['TEA-1'])).rejects.toThrow();
    await expect(reconciler.rebuild([])).resolves.toBe(0);
    expect(await sample(registry, 'inventory_redis_gate_rebuild_failures_total', 'start-up')).toBe(1);
    expect(await sample(registry, 'inventory_redis_gate_rebuild_failures_total', 'skus')).toBe(1);
    expect(await sample(registry, 'inventory_redis_gate_last_success_timestamp_seconds')).toBe(0);
  });
});
