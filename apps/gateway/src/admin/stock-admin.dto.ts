import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsIn, IsInt, Max, Min, NotEquals } from 'class-validator';
import { IsId, IsSkuCode, IsText } from '@omni/contracts';
import { IsOmittable, ObjectArray } from './dto-rules';

/** Largest quantity one stock line may move. */
export const MAX_STOCK_QUANTITY = 1_000_000;
/** Most lines one stock document may have. */
export const MAX_STOCK_LINES = 500;
/** Why stock was adjusted by hand. */
export const ADJUSTMENT_REASONS = ['damaged', 'lost', 'found', 'expired', 'theft', 'correction'] as const;

const QTY = `$property must be an integer between 1 and ${MAX_STOCK_QUANTITY}`;
const DELTA = `$property must be a non-zero integer between ${-MAX_STOCK_QUANTITY} and ${MAX_STOCK_QUANTITY}`;

/** A signed change of on-hand stock. */
export class AdjustmentLineDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$' })
  @IsSkuCode()
  sku: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  locationId: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  ownerId: string;

  @ApiProperty({ description: 'Units added (positive) or removed (negative)', minimum: -MAX_STOCK_QUANTITY, maximum: MAX_STOCK_QUANTITY })
  @IsInt({ message: DELTA })
  @NotEquals(0, { message: DELTA })
  @Min(-MAX_STOCK_QUANTITY, { message: DELTA })
  @Max(MAX_STOCK_QUANTITY, { message: DELTA })
  delta: number;

  @ApiProperty({ enum: ADJUSTMENT_REASONS })
  @IsIn(ADJUSTMENT_REASONS, { message: `$property must be one of ${ADJUSTMENT_REASONS.join(', ')}` })
  reasonCode: (typeof ADJUSTMENT_REASONS)[number];
}

/** Body of POST /admin/stock/adjustments. */
export class AdjustmentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Business document id; an idempotency key when no header is sent' })
  @IsOmittable()
  @IsId()
  documentId?: string;

  @ApiProperty({ type: [AdjustmentLineDto], minItems: 1, maxItems: MAX_STOCK_LINES })
  @ObjectArray(MAX_STOCK_LINES, () => AdjustmentLineDto)
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  lines: AdjustmentLineDto[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsText(500)
  note?: string;
}

/** A received quantity of a SKU at a location and owner. */
export class ReceiptLineDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$' })
  @IsSkuCode()
  sku: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  locationId: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  ownerId: string;

  @ApiProperty({ minimum: 1, maximum: MAX_STOCK_QUANTITY })
  @IsInt({ message: QTY })
  @Min(1, { message: QTY })
  @Max(MAX_STOCK_QUANTITY, { message: QTY })
  quantity: number;
}

/** Body of POST /admin/stock/receipts. */
export class ReceiptDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsId()
  documentId?: string;

  @ApiProperty({ type: [ReceiptLineDto], minItems: 1, maxItems: MAX_STOCK_LINES })
  @ObjectArray(MAX_STOCK_LINES, () => ReceiptLineDto)
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  lines: ReceiptLineDto[];
}
