import { Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { HeldBranchObserver } from '../held-branch.resolver';

/**
 * Prometheus counters and error logs for a participant's held branches: releases on the
 * coordinator's decision, and alerts (no answer, a contradiction) logged at error level with the
 * transaction id, which is the order id in the order saga.
 */
export function promHeldBranchObserver(registry: Registry, participant: string, logger = new Logger('HeldBranches')): HeldBranchObserver {
  const released =
    (registry.getSingleMetric('tcc_held_branches_released_total') as Counter<'participant' | 'status'> | undefined) ??
    new Counter({ name: 'tcc_held_branches_released_total', help: 'Branches held past their deadline and released on the coordinator decision', labelNames: ['participant', 'status'], registers: [registry] });
  const alerts =
    (registry.getSingleMetric('tcc_held_branch_alerts_total') as Counter<'participant'> | undefined) ??
    new Counter({ name: 'tcc_held_branch_alerts_total', help: 'Held branches kept past their deadline in a state a human should look at', labelNames: ['participant'], registers: [registry] });
  return {
    released: (branch, answer) => {
      released.inc({ participant, status: answer.status });
      logger.log({ msg: 'held branch released on the coordinator decision', participant, gid: branch.gid, branchId: branch.branchId, status: answer.status, cause: answer.cause });
    },
    alert: (branch, why) => {
      alerts.inc({ participant });
      logger.error({ msg: 'held branch past its deadline kept', participant, gid: branch.gid, branchId: branch.branchId, why });
    },
  };
}
