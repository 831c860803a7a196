import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId } from '../core/validators';
import { DeductedStockLine } from './stock-line.value';

/** Reserved stock was taken off hand for good: the order is paid and the sale is final. */
export class StockDeductedEvent extends EventPayloadBase {
  /** Order the stock left for. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** Deducted lines with their owner type, at least one. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ValidateNested({ each: true })
  @Type(() => DeductedStockLine)
  lines: DeductedStockLine[];
}

/** stock-deducted: keyed by order id. */
export const STOCK_DEDUCTED = defineEvent<StockDeductedEvent>({
  topic: 'stock-deducted',
  type: 'com.omniretail.inventory.stock-deducted.v1',
  version: 1,
  source: 'inventory',
  payload: StockDeductedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'Reserved stock was deducted for a paid order (saga Confirm); consignor-owned lines become payable.',
});
