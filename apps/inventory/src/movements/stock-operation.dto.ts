import { IsIn, IsInt, Max, Min } from 'class-validator';
import { DocumentLines, IsId, IsSkuCode, IsText, OwnedLineBody as OwnedLineDto } from '@omni/contracts';
import { IsNonZeroInt, IsOmittable, MAX_LINE_QUANTITY } from './dto-rules';

const QTY = `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}`;

/** Rules of the `lines` array every stock document has (one home, in @omni/contracts). */
const Lines = DocumentLines;

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

/** Bodies of stocktakes and transfers and their lines (shared with the gateway). */
export { OwnedLineBody as OwnedLineDto, StocktakeBody as StocktakeDto, StocktakeLineBody as StocktakeLineDto, TransferBody as TransferDto } from '@omni/contracts';
