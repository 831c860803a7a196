import { QueryInt } from '@omni/platform';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsChannelCode, IsId, IsNonNegativeInt, IsSkuCode, IsText } from '@omni/contracts';
import { IsOmittable, MAX_ASSORTMENT_ITEMS } from '../common/dto-rules';

/** Route params naming one store by its inventory location id. */
export class StoreParamDto {
  @IsId()
  locationId: string;
}

/** Body of PUT /internal/stores/:locationId. */
export class PutStoreDto {
  /** Channel whose prices the store's labels show. */
  @IsChannelCode()
  channel: string;

  @IsText(200)
  name: string;

  /** At or below this many units a label says "only N left" (default 3). */
  @IsOmittable()
  @IsNonNegativeInt()
  @Max(1_000_000, { message: '$property must be at most 1000000' })
  lowStockThreshold?: number;
}

/** Body of PUT /internal/stores/:locationId/assortment: the full list of SKUs the store carries. */
export class PutAssortmentDto {
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_ASSORTMENT_ITEMS, { message: `$property must contain at most ${MAX_ASSORTMENT_ITEMS} items` })
  @IsSkuCode({ each: true })
  skus: string[];
}

/** Body of POST /internal/stores/:locationId/assortment/changes. */
export class AssortmentChangesDto {
  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_ASSORTMENT_ITEMS, { message: `$property must contain at most ${MAX_ASSORTMENT_ITEMS} items` })
  @IsSkuCode({ each: true })
  add?: string[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_ASSORTMENT_ITEMS, { message: `$property must contain at most ${MAX_ASSORTMENT_ITEMS} items` })
  @IsSkuCode({ each: true })
  remove?: string[];
}

const PAGE = '$property must be an integer between 1 and 5000';

/** Query of GET /internal/stores/:locationId/labels. */
export class LabelExportQueryDto {
  /** Labels with SKUs after this one (the previous page's nextAfter). */
  @IsOptional()
  @IsSkuCode()
  after?: string;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}

/** Query of GET /internal/stores/:locationId/labels/changes. */
export class LabelChangesQueryDto {
  /** Label version the caller already has (0 for everything). */
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 0 and 9007199254740991' })
  @Min(0, { message: '$property must be an integer between 0 and 9007199254740991' })
  @Max(Number.MAX_SAFE_INTEGER, { message: '$property must be an integer between 0 and 9007199254740991' })
  since: number;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}

/** A store as the API returns it. */
export interface StoreView {
  locationId: string;
  channel: string;
  name: string;
  lowStockThreshold: number;
  labelVersion: number;
}
