import { readOutboxBacklog, type MessagingRuntime } from '@omni/messaging';
import type { SqlExecutor, TccTransportProbe } from '@omni/tcc';

/**
 * When the order saga's resends would only add load: while the outbox cannot reach the broker
 * (its oldest unsent command is older than `backlogHoldMs`), a copy would queue behind the original;
 * while this replica's consumers are joining or were back for less than `settleMs` (after a broker
 * outage, a restart or a rebalance), the replies already on their way have not been read yet.
 */
export class SagaTransportProbe implements TccTransportProbe {
  constructor(
    private readonly runtime: Pick<MessagingRuntime, 'consumingSince'>,
    private readonly backlogHoldMs: number,
    private readonly settleMs: number,
  ) {}

  async isBacklogged(tx: SqlExecutor): Promise<boolean> {
    const since = this.runtime.consumingSince();
    if (since === null || Date.now() - since < this.settleMs) return true;
    return (await readOutboxBacklog(tx)).oldestUnsentAgeMs > this.backlogHoldMs;
  }
}
