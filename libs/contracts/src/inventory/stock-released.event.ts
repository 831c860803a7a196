import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId } from '../core/validators';
import { StockLine } from './stock-line.value';

/** Why reserved stock went back to available. */
export const RELEASE_REASONS = ['cancelled', 'expired', 'rejected'] as const;
/** Reason for a release. */
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/** A reservation was undone and its stock is available again. */
export class StockReleasedEvent extends EventPayloadBase {
  /** Order whose reservation was released. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** 'cancelled' (saga Cancel), 'expired' (deadline passed) or 'rejected'. */
  @IsIn(RELEASE_REASONS, { message: `$property must be one of ${RELEASE_REASONS.join(', ')}` })
  reason: ReleaseReason;

  /** Released lines, at least one. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  lines: StockLine[];
}

/** stock-released: keyed by order id. */
export const STOCK_RELEASED = defineEvent<StockReleasedEvent>({
  topic: 'stock-released',
  type: 'com.omniretail.inventory.stock-released.v1',
  version: 1,
  source: 'inventory',
  payload: StockReleasedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'A reservation was released (cancelled, expired or rejected) and its stock is available again.',
});
