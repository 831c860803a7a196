import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsId, IsSkuCode, IsText } from '@omni/contracts';
import { IsNonZeroInt, IsOmittable, MAX_LINE_QUANTITY, MAX_LINES } from './dto-rules';

const QTY = `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}`;
const COUNT = `$property must be an integer between 0 and ${MAX_LINE_QUANTITY}`;

/** Rules of the `lines` array every stock document has. */
function Lines(type: () => new () => object): PropertyDecorator {
  return (target, key) => {
    IsArray({ message: '$property must be an array' })(target, key);
    ArrayMinSize(1, { message: '$property must contain at least 1 line' })(target, key);
    ArrayMaxSize(MAX_LINES, { message: `$property must contain at most ${MAX_LINES} lines` })(target, key);
    // ValidateNested alone lets an array nested in the array through (it validates its items).
    IsObject({ each: true, message: 'each item of $property must be an object' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
  };
}

/** Optional id of the business document (delivery note, return slip, count sheet); an idempotency key when no header is sent. */
abstract class StockDocumentDto {
  @IsOmittable()
  @IsId()
  documentId?: string;
}

/** A quantity of a SKU at a location and owner. */
export class LocatedLineDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;

  @IsId()
  ownerId: string;

  @IsInt({ message: QTY })
  @Min(1, { message: QTY })
  @Max(MAX_LINE_QUANTITY, { message: QTY })
  quantity: number;
}

/** A quantity of a SKU of an owner, where the document names the location(s). */
export class OwnedLineDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  ownerId: string;

  @IsInt({ message: QTY })
  @Min(1, { message: QTY })
  @Max(MAX_LINE_QUANTITY, { message: QTY })
  quantity: number;
}

/** Body of POST /internal/stock/receipts: goods arrived. */
export class ReceiptDto extends StockDocumentDto {
  @Lines(() => LocatedLineDto)
  lines: LocatedLineDto[];
}

/** Body of POST /internal/stock/returns: returned goods put back on hand at a location. */
export class ReturnDto extends StockDocumentDto {
  @IsId()
  orderId: string;

  @IsId()
  locationId: string;

  @Lines(() => OwnedLineDto)
  lines: OwnedLineDto[];
}

/** Why stock was adjusted by hand; kept with the operation for audit. */
export const ADJUSTMENT_REASONS = ['damaged', 'lost', 'found', 'expired', 'theft', 'correction'] as const;
/** An adjustment reason code. */
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** A signed change of on-hand stock. */
export class AdjustmentLineDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;

  @IsId()
  ownerId: string;

  @IsNonZeroInt()
  @Min(-MAX_LINE_QUANTITY, { message: `$property must be between ${-MAX_LINE_QUANTITY} and ${MAX_LINE_QUANTITY}` })
  @Max(MAX_LINE_QUANTITY, { message: `$property must be between ${-MAX_LINE_QUANTITY} and ${MAX_LINE_QUANTITY}` })
  delta: number;

  @IsIn(ADJUSTMENT_REASONS, { message: `$property must be one of ${ADJUSTMENT_REASONS.join(', ')}` })
  reasonCode: AdjustmentReason;
}

/** Body of POST /internal/stock/adjustments. */
export class AdjustmentDto extends StockDocumentDto {
  @Lines(() => AdjustmentLineDto)
  lines: AdjustmentLineDto[];

  @IsOmittable()
  @IsText(500)
  note?: string;
}

/** A counted quantity; the variance against on hand becomes a movement. */
export class StocktakeLineDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;

  @IsId()
  ownerId: string;

  @IsInt({ message: COUNT })
  @Min(0, { message: COUNT })
  @Max(MAX_LINE_QUANTITY, { message: COUNT })
  counted: number;
}

/** Body of POST /internal/stocktakes. */
export class StocktakeDto extends StockDocumentDto {
  @Lines(() => StocktakeLineDto)
  lines: StocktakeLineDto[];
}

/** Body of POST /internal/stock/transfers. */
export class TransferDto extends StockDocumentDto {
  @IsId()
  fromLocationId: string;

  @IsId()
  toLocationId: string;

  /** True: the goods travel (transfer-out now, transfer-in on receive); false: both at once. */
  @IsOmittable()
  @IsBoolean({ message: '$property must be a boolean' })
  inTransit?: boolean;

  @Lines(() => OwnedLineDto)
  lines: OwnedLineDto[];
}
