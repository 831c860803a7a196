import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsUtcTimestamp } from '../core/validators';
import { StockLine } from './stock-line.value';

/** Stock was reserved for an order by the saga's Try on the inventory branch. */
export class StockReservedEvent extends EventPayloadBase {
  /** Order the stock is held for. */
  @IsId()
  orderId: string;

  /** Global transaction id of the order saga. */
  @IsId()
  gid: string;

  /** Inventory branch id within the saga. */
  @IsId()
  branchId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** Reserved lines, at least one. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  lines: StockLine[];

  /** When the reservation lapses if the order is not paid. */
  @IsUtcTimestamp()
  expiresAt: string;
}

/** stock-reserved: keyed by order id so an order's reserve/deduct/release stay in order. */
export const STOCK_RESERVED = defineEvent<StockReservedEvent>({
  topic: 'stock-reserved',
  type: 'com.omniretail.inventory.stock-reserved.v1',
  version: 1,
  source: 'inventory',
  payload: StockReservedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'Stock was reserved for an order (saga Try on the inventory branch); it lapses at expiresAt unless deducted.',
});
