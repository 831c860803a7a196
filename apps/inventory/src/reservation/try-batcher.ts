import { AtpSnapshot } from '../redis-gate/atp-cache';
import { type SqlExecutor, queryRows } from '@omni/sql';
import { TryResult, TryToDecide } from './try-batch.writer';
import { BranchReply, TxRunner } from './reservation.types';

/** What the batcher needs from the service. */
export interface TryBatchPort {
  db: TxRunner;
  /** Decides and writes Trys whose barrier rows are written (one lock, one statement). */
  write(tx: SqlExecutor, tries: readonly TryToDecide[]): Promise<{ results: TryResult[]; snapshots: AtpSnapshot[] }>;
  /** The one-at-a-time path (barrier through runTccBranch): duplicates, suspensions and fallbacks. */
  alone(t: TryToDecide): Promise<BranchReply>;
  /** The reply of a freshly decided Try. */
  replyOf(t: TryToDecide, result: TryResult): BranchReply;
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
    let written: WrittenTries;
    try {
      written = await this.port.db.run(async (tx) => ({ commit: true, value: await writeFreshTries(tx, batch.map((p) => p.t), this.port.write) }));
    } catch {
      // Nothing of the batch committed: give every Try its own transaction (and its own error).
      await Promise.all(batch.map((p) => this.alone(p)));
      return;
    }
    await this.port.refresh(written.snapshots);
    const rest: Pending[] = [];
    batch.forEach((p, i) => {
      const result = written.results[i];
      if (result) p.resolve(this.port.replyOf(p.t, result));
      else rest.push(p);
    });
    await Promise.all(rest.map((p) => this.alone(p)));
  }

  private async alone(p: Pending): Promise<void> {
    try {
      p.resolve(await this.port.alone(p.t));
    } catch (error) {
      p.reject(error);
    }
  }
}

/** What `writeFreshTries` decided: a result per Try (null: not decided here), and the cache snapshots. */
export interface WrittenTries {
  results: Array<TryResult | null>;
  snapshots: AtpSnapshot[];
}

/**
 * Writes the barrier rows of `tries` in one statement (sorted, so two batches never deadlock) and
 * decides the Trys whose row is new with `write`, in arrival order. A Try whose row already
 * existed (tried or cancelled before) or that repeats an earlier one of `tries` gets null: it must
 * take the one-at-a-time path (runTccBranch), which answers duplicates and suspensions.
 */
export async function writeFreshTries(tx: SqlExecutor, tries: readonly TryToDecide[], write: TryBatchPort['write']): Promise<WrittenTries> {
  const keyOf = (t: TryToDecide) => `${t.cmd.gid}\u0000${t.cmd.branchId}`;
  const firsts = new Map<string, number>();
  tries.forEach((t, i) => {
    if (!firsts.has(keyOf(t))) firsts.set(keyOf(t), i);
  });
  const unique = [...firsts.values()].map((i) => tries[i]);
  const sorted = [...unique].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const inserted = await queryRows(
    tx,
    `INSERT INTO tcc_barrier (gid, branch_id, op)
     SELECT g, b, 'try' FROM unnest($1::text[], $2::text[]) AS x(g, b) ORDER BY g, b
     ON CONFLICT (gid, branch_id, op) DO NOTHING RETURNING gid, branch_id`,
    [sorted.map((t) => t.cmd.gid), sorted.map((t) => t.cmd.branchId)],
  );
  const fresh = new Set(inserted.map((r) => `${String(r.gid)}\u0000${String(r.branch_id)}`));
  const toDecide = [...firsts].filter(([k]) => fresh.has(k)).map(([, i]) => i);
  const written = toDecide.length > 0 ? await write(tx, toDecide.map((i) => tries[i])) : { results: [], snapshots: [] };
  const results: Array<TryResult | null> = tries.map(() => null);
  toDecide.forEach((i, n) => (results[i] = written.results[n]));
  return { results, snapshots: written.snapshots };
}
