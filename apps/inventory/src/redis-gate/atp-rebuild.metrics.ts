import { Logger } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AtpRebuildObserver, AtpRebuildTrigger } from './atp.reconciler';

/** Full passes (start-up, reconcile) whose success means every SKU's gate matched Postgres. */
const FULL_PASSES: ReadonlySet<AtpRebuildTrigger> = new Set(['start-up', 'reconcile']);

/**
 * Prometheus view of the Redis gate's rebuilds (alert OmniRedisGateRebuildFailing, deploy/RUNBOOK.md):
 * `inventory_redis_gate_rebuild_failures_total{trigger}` counts failed rebuilds,
 * `inventory_redis_gate_rebuilds_total{trigger}` successful ones, and
 * `inventory_redis_gate_last_success_timestamp_seconds` says when a full pass last brought every SKU in step.
 */
export function promAtpRebuildObserver(registry: Registry, logger = new Logger('RedisGate')): AtpRebuildObserver {
  const failures =
    (registry.getSingleMetric('inventory_redis_gate_rebuild_failures_total') as Counter<'trigger'> | undefined) ??
    new Counter({ name: 'inventory_redis_gate_rebuild_failures_total', help: 'Rebuilds of the Redis ATP gate from Postgres that failed, by trigger', labelNames: ['trigger'], registers: [registry] });
  const rebuilds =
    (registry.getSingleMetric('inventory_redis_gate_rebuilds_total') as Counter<'trigger'> | undefined) ??
    new Counter({ name: 'inventory_redis_gate_rebuilds_total', help: 'Rebuilds of the Redis ATP gate from Postgres that succeeded, by trigger', labelNames: ['trigger'], registers: [registry] });
  const lastSuccess =
    (registry.getSingleMetric('inventory_redis_gate_last_success_timestamp_seconds') as Gauge | undefined) ??
    new Gauge({ name: 'inventory_redis_gate_last_success_timestamp_seconds', help: 'When a full pass (start-up or reconcile) last brought the Redis ATP gate in step with Postgres, unix seconds; 0 before any', registers: [registry] });
  // Present from the start, so a gate that never rebuilt shows 0 failures and a last success of 0.
  for (const trigger of ['start-up', 'reconcile', 'skus'] as const) {
    failures.inc({ trigger }, 0);
    rebuilds.inc({ trigger }, 0);
  }
  return {
    succeeded: (trigger) => {
      rebuilds.inc({ trigger });
      if (FULL_PASSES.has(trigger)) lastSuccess.set(Date.now() / 1000);
    },
    failed: (trigger, error) => {
      failures.inc({ trigger });
      // Full passes are logged by their caller; a failed rebuild of named SKUs has no other trace.
      if (!FULL_PASSES.has(trigger)) logger.warn({ msg: 'Redis gate rebuild failed', trigger, err: error instanceof Error ? error.message : String(error) });
    },
  };
}
