import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { IsId, IsSkuCode, IsText } from '../core/validators';
import { OWNER_TYPES, type OwnerType } from '../inventory/stock-line.value';
import { DocumentLines, IsOmittable, MAX_LINE_QUANTITY } from './body-rules';

/** Kinds of stock location. */
export const LOCATION_TYPES = ['warehouse', 'store', 'dark_store'] as const;
/** One kind of stock location. */
export type LocationType = (typeof LOCATION_TYPES)[number];
/** Whether a location takes part in selling. */
export const LOCATION_STATUSES = ['open', 'closed'] as const;
/** Open or closed. */
export type LocationStatus = (typeof LOCATION_STATUSES)[number];
/** A location's short code. */
export const LOCATION_CODE_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;
/** How a channel gets its stock of a SKU: shared with a safety stock, or a dedicated quota. */
export const ALLOCATION_MODES = ['shared', 'dedicated'] as const;

const CODE_MESSAGE = '$property must be 1-32 characters of A-Z a-z 0-9 . _ -';
const INT_DAYS = '$property must be an integer between 0 and 365';
const QTY = `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}`;
const COUNT = `$property must be an integer between 0 and ${MAX_LINE_QUANTITY}`;
const TYPES = `$property must be one of ${LOCATION_TYPES.join(', ')}`;
const STATUSES = `$property must be one of ${LOCATION_STATUSES.join(', ')}`;

function Latitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })(target, key);
    Min(-90, { message: '$property must be between -90 and 90' })(target, key);
    Max(90, { message: '$property must be between -90 and 90' })(target, key);
  };
}

function Longitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })(target, key);
    Min(-180, { message: '$property must be between -180 and 180' })(target, key);
    Max(180, { message: '$property must be between -180 and 180' })(target, key);
  };
}

function IntBetween(min: number, max: number, message: string): PropertyDecorator {
  return (target, key) => {
    IsInt({ message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

/** Body of creating a location (warehouse, store, dark store). */
export class CreateLocationBody {
  @Matches(LOCATION_CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;

  @IsText(200)
  name: string;

  @IsIn(LOCATION_TYPES, { message: TYPES })
  type: LocationType;

  @Latitude()
  lat: number;

  @Longitude()
  lng: number;

  @IsOmittable()
  @IsIn(LOCATION_STATUSES, { message: STATUSES })
  status?: LocationStatus;

  /** Days a shipment from here takes (routing and "ships in N days" hints). */
  @IsOmittable()
  @IntBetween(0, 365, INT_DAYS)
  shipsInDays?: number;
}

/** Body of editing some fields of a location (e.g. closing a store). */
export class UpdateLocationBody {
  @IsOmittable()
  @Matches(LOCATION_CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @IsOmittable()
  @IsText(200)
  name?: string;

  @IsOmittable()
  @IsIn(LOCATION_TYPES, { message: TYPES })
  type?: LocationType;

  @IsOmittable()
  @Latitude()
  lat?: number;

  @IsOmittable()
  @Longitude()
  lng?: number;

  @IsOmittable()
  @IsIn(LOCATION_STATUSES, { message: STATUSES })
  status?: LocationStatus;

  @IsOmittable()
  @IntBetween(0, 365, INT_DAYS)
  shipsInDays?: number;
}

/** Query of listing locations. */
export class ListLocationsQuery {
  @IsOptional()
  @IsIn(LOCATION_TYPES, { message: TYPES })
  type?: LocationType;

  @IsOptional()
  @IsIn(LOCATION_STATUSES, { message: STATUSES })
  status?: LocationStatus;
}

/** Body of registering a stock owner (the retailer or a consignor). */
export class CreateOwnerBody {
  @IsText(200)
  name: string;

  @IsIn(OWNER_TYPES, { message: `$property must be one of ${OWNER_TYPES.join(', ')}` })
  type: OwnerType;
}

/** Body of renaming a stock owner (its type cannot change). */
export class UpdateOwnerBody {
  @IsText(200)
  name: string;
}

function OnlyWithMode(mode: 'shared' | 'dedicated'): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWithMode',
    validator: {
      validate: (_value: unknown, args) => (args?.object as { mode?: unknown }).mode === mode,
      defaultMessage: () => `$property is only allowed with mode ${mode}`,
    },
  });
}

/** Body of a channel's allocation rule for a SKU: shared with a safety stock, or a dedicated quota. */
export class PutAllocationBody {
  @IsIn(ALLOCATION_MODES, { message: `$property must be one of ${ALLOCATION_MODES.join(', ')}` })
  mode: 'shared' | 'dedicated';

  /** Shared mode: units kept back from this channel (default 0). */
  @ValidateIf((o: PutAllocationBody) => o.mode !== 'dedicated' || o.safetyStock !== undefined)
  @OnlyWithMode('shared')
  @IntBetween(0, MAX_LINE_QUANTITY, COUNT)
  safetyStock?: number;

  /** Dedicated mode: units reserved for this channel alone (required). */
  @ValidateIf((o: PutAllocationBody) => o.mode === 'dedicated' || o.quota !== undefined)
  @OnlyWithMode('dedicated')
  @IntBetween(0, MAX_LINE_QUANTITY, COUNT)
  quota?: number;
}

/** Body of a low-stock threshold of a SKU at a location. */
export class PutThresholdBody {
  @IntBetween(0, MAX_LINE_QUANTITY, COUNT)
  threshold: number;
}

/** A counted quantity of a SKU at a location and owner. */
export class StocktakeLineBody {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;

  @IsId()
  ownerId: string;

  @IntBetween(0, MAX_LINE_QUANTITY, COUNT)
  counted: number;
}

/** Body of a stocktake: counted quantities; each variance becomes a movement. */
export class StocktakeBody {
  /** Business document id; an idempotency key when no header is sent. */
  @IsOmittable()
  @IsId()
  documentId?: string;

  @DocumentLines(() => StocktakeLineBody)
  lines: StocktakeLineBody[];
}

/** A quantity of a SKU of one owner (the location is the document's). */
export class OwnedLineBody {
  @IsSkuCode()
  sku: string;

  @IsId()
  ownerId: string;

  @IntBetween(1, MAX_LINE_QUANTITY, QTY)
  quantity: number;
}

/** Body of a transfer from one location to another, optionally in transit until received. */
export class TransferBody {
  /** Business document id; an idempotency key when no header is sent. */
  @IsOmittable()
  @IsId()
  documentId?: string;

  @IsId()
  fromLocationId: string;

  @IsId()
  toLocationId: string;

  @IsOmittable()
  @IsBoolean({ message: '$property must be a boolean' })
  inTransit?: boolean;

  @DocumentLines(() => OwnedLineBody)
  lines: OwnedLineBody[];
}
