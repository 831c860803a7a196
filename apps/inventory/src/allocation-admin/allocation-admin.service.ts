import { DomainError, DomainErrorType } from '@omni/platform';
import type { DataSource } from 'typeorm';
import { channelAtp, ruleFor } from '../allocation/atp.calculator';
import { lockSkus, type StockLedger } from '../stock/stock-ledger';
import { basisOf, loadSkuStates, type SkuStockState } from '../stock/stock-reader';
import type { AllocationView, PutAllocationDto } from './allocation.dto';

function viewOf(state: SkuStockState, channel: string): AllocationView {
  const rule = ruleFor(new Map(state.rules.map((r) => [r.channel, r])), channel);
  return {
    sku: state.sku,
    channel,
    mode: rule.mode,
    safetyStock: rule.mode === 'shared' ? rule.safetyStock : 0,
    quota: rule.mode === 'dedicated' ? rule.quotaRemaining : 0,
    available: channelAtp(basisOf(state), channel),
  };
}

/** Ops-facing changes of channel allocation (shared with safety stock, or a dedicated quota). */
export class AllocationAdminService {
  constructor(
    private readonly dataSource: DataSource,
    /** Publishes the new ATP (stock-changed, cause `allocation`) in the transaction that changed the rule. */
    private readonly ledger: Pick<StockLedger, 'announce'>,
    /** Drops the cached ATP of a SKU (the Redis gate); null when the service runs without Redis. */
    private readonly invalidateAtp: ((sku: string) => Promise<unknown>) | null = null,
  ) {}

  /**
   * Sets a channel's rule for a SKU under the same per-SKU lock as reservations, so no Try sees
   * half a change. A dedicated quota may take only units that are free and not already set aside
   * for other dedicated channels (its own previous quota is given back first). A rule that
   * actually changed is announced as stock-changed (cause `allocation`) with every channel's new
   * ATP, so channel views and shelf labels follow it like any stock change.
   */
  async put(sku: string, channel: string, input: PutAllocationDto): Promise<AllocationView> {
    const view = await this.dataSource.transaction(async (tx) => {
      await lockSkus(tx, [sku], true);
      const state = (await loadSkuStates(tx, [sku])).get(sku)!;
      if (input.mode === 'dedicated') {
        const quota = input.quota ?? 0;
        const basis = basisOf(state);
        const others = state.rules.filter((r) => r.mode === 'dedicated' && r.channel !== channel).reduce((s, r) => s + r.quotaRemaining, 0);
        const unallocated = Math.max(0, basis.available - others);
        if (quota > unallocated) {
          throw new DomainError(DomainErrorType.Conflict, 'QUOTA_EXCEEDS_UNALLOCATED', `Only ${unallocated} units of ${sku} are free and not set aside for other channels`, [
            { field: 'quota', reason: `must be at most ${unallocated}` },
          ]);
        }
      }
      await tx.query(
        `INSERT INTO channel_allocations (sku, channel, mode, safety_stock, quota_remaining) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sku, channel) DO UPDATE
           SET mode = EXCLUDED.mode, safety_stock = EXCLUDED.safety_stock, quota_remaining = EXCLUDED.quota_remaining, updated_at = now()`,
        [sku, channel, input.mode, input.mode === 'shared' ? (input.safetyStock ?? 0) : 0, input.mode === 'dedicated' ? (input.quota ?? 0) : 0],
      );
      const after = (await loadSkuStates(tx, [sku])).get(sku)!;
      const was = state.rules.find((r) => r.channel === channel);
      const now = after.rules.find((r) => r.channel === channel)!;
      if (!was || was.mode !== now.mode || was.safetyStock !== now.safetyStock || was.quotaRemaining !== now.quotaRemaining) {
        await this.ledger.announce(tx, [sku], 'allocation');
      }
      return viewOf(after, channel);
    });
    await this.invalidate(sku);
    return view;
  }

  /**
   * A rule change moves ATP without a new SKU version, so a cached entry at the same version would
   * stay stale (the cache only accepts newer versions): drop it, and the next Try asks Postgres
   * and rebuilds it.
   */
  private async invalidate(sku: string): Promise<void> {
    if (!this.invalidateAtp) return;
    try {
      await this.invalidateAtp(sku);
    } catch {
      // Redis down: nothing cached can be stale once it is back empty or reconciled.
    }
  }

  /** Every channel rule of a SKU (channels without a row are shared with safety 0), with ATP. */
  async list(sku: string): Promise<AllocationView[]> {
    const state = (await loadSkuStates(this.dataSource.manager, [sku])).get(sku);
    if (!state) return [];
    return state.rules.map((r) => viewOf(state, r.channel));
  }
}
