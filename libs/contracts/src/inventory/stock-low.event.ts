import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsNonNegativeInt, IsSkuCode } from '../core/validators';

/** Available stock of a SKU at a location fell to or below its low-stock threshold. */
export class StockLowEvent extends EventPayloadBase {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Location running low. */
  @IsId()
  locationId: string;

  /** Units available when the alert fired. */
  @IsNonNegativeInt()
  available: number;

  /** Configured threshold that was crossed. */
  @IsNonNegativeInt()
  threshold: number;
}

/** stock-low: keyed by SKU, like stock-changed. */
export const STOCK_LOW = defineEvent<StockLowEvent>({
  topic: 'stock-low',
  type: 'com.omniretail.inventory.stock-low.v1',
  version: 1,
  source: 'inventory',
  payload: StockLowEvent,
  key: (payload) => payload.sku,
  partitions: 6,
  summary: 'Available stock of a SKU at a location fell to or below its low-stock threshold.',
});
