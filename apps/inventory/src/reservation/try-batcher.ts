import { type SqlExecutor } from '@omni/sql';
import { AtpSnapshot } from '../redis-gate/atp-cache';
import { BranchReply, TryToDecide } from './domain/reservation.types';
import { TxRunner } from './persistence/pg-tx.runner';

/** Decided Trys: a reply per Try, in order, and what to write to Redis once committed. */
export interface DecidedTries {
  replies: BranchReply[];
  snapshots: AtpSnapshot[];
}

/** What the batcher needs from the service. */
export interface TryBatchPort {
  db: TxRunner;
  /** Decides `tries` in `tx`, in arrival order (the service's one way of deciding Trys). */
  decide(tx: SqlExecutor, tries: readonly TryToDecide[]): Promise<DecidedTries>;
  /** Writes the snapshots of a committed transaction to Redis. */
  refresh(snapshots: readonly AtpSnapshot[]): Promise<void>;
}

interface Pending {
  t: TryToDecide;
  resolve(reply: BranchReply): void;
  reject(error: unknown): void;
}

/**
 * Groups concurrent Trys of the same SKUs into one transaction (application-level group commit).
 * A hot SKU serialises on its sku_stock row anyway; without grouping every Try pays the lock
 * hand-over and a commit flush while holding the lock. Grouping is natural: a batch takes what
 * queued while the previous batch ran, so a lone Try is never delayed. Each Try keeps its own
 * barrier row, decision, reservation, ledger rows and events; decisions run in arrival order
 * against the state the earlier Trys of the batch left, exactly as one-at-a-time execution would.
 */
export class TryBatcher {
  private readonly queues = new Map<string, Pending[]>();

  constructor(private readonly port: TryBatchPort, private readonly maxBatch = 100) {}

  /** Queues a Try; resolves with its reply. */
  submit(t: TryToDecide): Promise<BranchReply> {
    const key = [...new Set(t.lines.map((l) => l.sku))].sort().join('\u0000');
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ t, resolve, reject });
        return;
      }
      this.queues.set(key, [{ t, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      await this.runBatch(batch);
    }
    this.queues.delete(key);
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]);
    let decided: DecidedTries;
    try {
      decided = await this.commit(batch.map((p) => p.t));
    } catch {
      // Nothing of the batch committed: give every Try its own transaction (and its own error).
      await Promise.all(batch.map((p) => this.alone(p)));
      return;
    }
    batch.forEach((p, i) => p.resolve(decided.replies[i]));
  }

  private async alone(p: Pending): Promise<void> {
    try {
      p.resolve((await this.commit([p.t])).replies[0]);
    } catch (error) {
      p.reject(error);
    }
  }

  /** Decides `tries` in one transaction, then refreshes Redis from what committed. */
  private async commit(tries: readonly TryToDecide[]): Promise<DecidedTries> {
    const decided = await this.port.db.run(async (tx) => ({ commit: true, value: await this.port.decide(tx, tries) }));
    await this.port.refresh(decided.snapshots);
    return decided;
  }
}
