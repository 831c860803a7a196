import { Injectable } from '@nestjs/common';
import { movesAvailability, PRICE_CHANGED, STOCK_CHANGED, type PriceChangedEvent, type StockChangedEvent } from '@omni/contracts';
import { EventHandler, EventScreen, PermanentEventError, type SqlExecutor, type TransactionalEventContext } from '@omni/messaging';
import { queryRows } from '@omni/sql';

/** Largest value of a Postgres integer column. */
const MAX_INT4 = 2_147_483_647;

/** A number no bigint column can hold would fail on every retry: dead-letter it at once instead. */
function checkFits(value: number, field: string): void {
  if (!Number.isSafeInteger(value)) throw new PermanentEventError(`${field} ${value} is outside the safe integer range`, 'EVENT_OUT_OF_RANGE');
}

/**
 * Drops the prices an effective one supersedes: labels show the highest effective version, so
 * lower versions of the same SKU and channel can never show again.
 */
export async function prunePrices(tx: SqlExecutor, sku: string, channel: string, effectiveVersion: number): Promise<void> {
  await tx.query(`DELETE FROM sku_prices WHERE sku = $1 AND channel = $2 AND version < $3`, [sku, channel, effectiveVersion]);
}
import { ShelfLabelWriter } from './shelf-label.writer';

/**
 * Keeps the label inputs catalog does not own (prices, store stock) from pricing's and
 * inventory's events, then refreshes the labels of the SKU. Runs in the inbox transaction (a run of
 * a partition's events in one), so a redelivered event has no second effect; an older version than
 * the one held changes nothing.
 */
@Injectable()
export class PriceStockHandlers {
  constructor(private readonly labels: ShelfLabelWriter) {}

  /** Records a base or channel price and refreshes the SKU's labels. */
  @EventHandler(PRICE_CHANGED, { batched: true })
  async onPriceChanged(event: PriceChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    checkFits(event.price.amount, 'price.amount');
    checkFits(event.version, 'version');
    const channel = event.channel ?? '';
    const [row] = await queryRows<{ activated: boolean }>(
      ctx.manager,
      `INSERT INTO sku_prices (sku, channel, version, amount, currency, effective_from, activated)
       VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz <= now())
       ON CONFLICT (sku, channel, version) DO NOTHING RETURNING activated`,
      [event.sku, channel, event.version, event.price.amount, event.price.currency, event.effectiveFrom],
    );
    if (row?.activated) await prunePrices(ctx.manager, event.sku, channel, event.version);
    await this.labels.refresh(ctx.manager, { skus: [event.sku] });
  }

  /** Records a store's available units for the SKU (newer versions only) and refreshes that label; a shipped reservation leaves them as they were. */
  @EventHandler(STOCK_CHANGED, { batched: true })
  async onStockChanged(event: StockChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    checkStockFits(event);
    if (!movesAvailability(event)) return;
    const applied = await queryRows(
      ctx.manager,
      `INSERT INTO sku_stock (sku, location_id, version, available) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sku, location_id) DO UPDATE SET version = EXCLUDED.version, available = EXCLUDED.available
       WHERE sku_stock.version < EXCLUDED.version RETURNING sku`,
      [event.sku, event.locationId, event.version, event.available],
    );
    if (applied.length > 0) await this.labels.refresh(ctx.manager, { skus: [event.sku], locationId: event.locationId });
  }

  /** Passes a run's shipped reservations by before its transaction (one out of range is left to the handler, which dead-letters it). */
  @EventScreen(STOCK_CHANGED)
  async passByStock(events: readonly StockChangedEvent[]): Promise<Array<[] | null>> {
    return events.map((event) => (movesAvailability(event) || !stockFits(event) ? null : []));
  }
}

/** Whether the columns hold a stock change's figures. */
function stockFits(event: StockChangedEvent): boolean {
  return Number.isSafeInteger(event.version) && event.available <= MAX_INT4;
}

/** Dead-letters a stock change the columns cannot hold, at once. */
function checkStockFits(event: StockChangedEvent): void {
  checkFits(event.version, 'version');
  if (event.available > MAX_INT4) throw new PermanentEventError(`available ${event.available} exceeds ${MAX_INT4}`, 'EVENT_OUT_OF_RANGE');
}
