import { Type } from 'class-transformer';
import { IsArray, IsIn, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsNonNegativeInt, IsSkuCode, IsVersion } from '../core/validators';

/** Movement types of the stock ledger; every stock change is one of these. */
export const STOCK_MOVEMENT_TYPES = [
  'receipt',
  'reservation',
  'release',
  'deduction',
  'return-restock',
  'adjustment',
  'stocktake-variance',
  'transfer-out',
  'transfer-in',
] as const;
/** A stock ledger movement type. */
export type StockMovementType = (typeof STOCK_MOVEMENT_TYPES)[number];

/**
 * What can cause a stock-changed: a ledger movement, or a change that moves channel ATP without
 * moving stock (a channel's allocation rule; a location opening or closing).
 */
export const STOCK_CHANGE_CAUSES = [...STOCK_MOVEMENT_TYPES, 'allocation', 'location-status'] as const;
/** The cause of a stock-changed. */
export type StockChangeCause = (typeof STOCK_CHANGE_CAUSES)[number];

/** Available-to-promise for one channel after allocation and safety stock. */
export class ChannelAvailability {
  /** Channel code. */
  @IsChannelCode()
  channel: string;

  /** Units this channel may sell now. */
  @IsNonNegativeInt()
  available: number;
}

/** A SKU's levels at a location changed; channels apply it as a delta feed ordered by version. */
export class StockChangedEvent extends EventPayloadBase {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Location whose levels changed. */
  @IsId()
  locationId: string;

  /** Grows by one per change of this SKU; consumers drop anything not newer than what they hold. */
  @IsVersion()
  version: number;

  /** Units physically on hand. */
  @IsNonNegativeInt()
  onHand: number;

  /** Units held by open reservations. */
  @IsNonNegativeInt()
  reserved: number;

  /** Units free to reserve at this location. */
  @IsNonNegativeInt()
  available: number;

  /** Available-to-promise for every channel this change affects. */
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => ChannelAvailability)
  atp: ChannelAvailability[];

  /** The ledger movement type that caused the change, or `allocation` / `location-status` when only ATP moved. */
  @IsIn(STOCK_CHANGE_CAUSES, { message: `$property must be one of ${STOCK_CHANGE_CAUSES.join(', ')}` })
  cause: StockChangeCause;
}

/**
 * Whether a stock change may have moved what is on offer: its location's `available` or any
 * channel's ATP. A `deduction` ships units a reservation held: on hand and reserved fall by the
 * same amount (inventory's ledger refuses any other deduction), so the location's `available` and
 * every channel's ATP are what the SKU's previous change said. Consumers that keep only what is on offer (channel
 * feeds, shelf labels, platform stock) pass such a change by.
 */
export function movesAvailability(event: Pick<StockChangedEvent, 'cause'>): boolean {
  return event.cause !== 'deduction';
}

/** stock-changed: keyed by SKU so one SKU's versions arrive in order on one partition. */
export const STOCK_CHANGED = defineEvent<StockChangedEvent>({
  topic: 'stock-changed',
  type: 'com.omniretail.inventory.stock-changed.v1',
  version: 1,
  source: 'inventory',
  payload: StockChangedEvent,
  key: (payload) => payload.sku,
  partitions: 6,
  summary: "A SKU's stock levels at a location changed; carries per-channel available-to-promise, versioned per SKU.",
});
