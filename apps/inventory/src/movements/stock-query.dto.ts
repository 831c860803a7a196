import { QueryInt } from '@omni/platform';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsId, IsSkuCode } from '@omni/contracts';
import { IsOmittable } from './dto-rules';

/** Query of GET /internal/stock/levels: a SKU, a location, or both. */
export class LevelsQueryDto {
  /** Required unless locationId is given. */
  @ValidateIf((o: LevelsQueryDto) => o.sku !== undefined || o.locationId === undefined)
  @IsSkuCode()
  sku?: string;

  @IsOmittable()
  @IsId()
  locationId?: string;
}

/** Query of GET /internal/stock/movements: one SKU's ledger, oldest first, paged by seq. */
export class MovementsQueryDto {
  @IsSkuCode()
  sku: string;

  @IsOmittable()
  @IsId()
  locationId?: string;

  /** Return rows with seq greater than this (the previous page's nextAfter). */
  @IsOmittable()
  @QueryInt()
  @IsInt({ message: '$property must be an integer >= 0' })
  @Min(0, { message: '$property must be an integer >= 0' })
  after?: number;

  @IsOmittable()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 500' })
  @Min(1, { message: '$property must be an integer between 1 and 500' })
  @Max(500, { message: '$property must be an integer between 1 and 500' })
  limit?: number;
}

/** One stock level with its owner's kind. */
export interface LevelView {
  sku: string;
  locationId: string;
  ownerId: string;
  ownerType: 'retailer' | 'consignor';
  onHand: number;
  reserved: number;
  available: number;
}

/** One ledger row. */
export interface MovementView {
  seq: number;
  id: string;
  sku: string;
  locationId: string;
  ownerId: string;
  type: string;
  onHandDelta: number;
  reservedDelta: number;
  channel: string | null;
  ref: string | null;
  skuVersion: number;
  createdAt: string;
}

/** A page of the ledger; `nextAfter` is null on the last page. */
export interface MovementPage {
  items: MovementView[];
  nextAfter: number | null;
}
