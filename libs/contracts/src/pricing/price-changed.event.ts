import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { Money } from '../core/money.value';
import { IsChannelCode, IsSkuCode, IsUtcTimestamp, IsVersion } from '../core/validators';

/** A SKU's price changed, either for one channel or as the base price. */
export class PriceChangedEvent extends EventPayloadBase {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Channel of the override; null or absent means the base price for channels without an override. */
  @IsOptional()
  @IsChannelCode()
  channel?: string | null;

  /** The new price per unit. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  price: Money;

  /** When the price applies from (may be in the future). */
  @IsUtcTimestamp()
  effectiveFrom: string;

  /** Grows per SKU price change; consumers keep only the newest. */
  @IsVersion()
  version: number;
}

/** price-changed: keyed by SKU so one SKU's prices arrive in order. */
export const PRICE_CHANGED = defineEvent<PriceChangedEvent>({
  topic: 'price-changed',
  type: 'com.omniretail.pricing.price-changed.v1',
  version: 1,
  source: 'pricing',
  payload: PriceChangedEvent,
  key: (payload) => payload.sku,
  partitions: 6,
  summary: "A SKU's base price or a channel's override price changed, effective from a given instant.",
});
