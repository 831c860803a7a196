import { ArrayMaxSize, IsArray, Max } from 'class-validator';
import { IsChannelCode, IsId, IsNonNegativeInt, IsSkuCode, IsText } from '../core/validators';
import { IsClearable, IsOmittable, MAX_ASSORTMENT_ITEMS } from './body-rules';

/** Body of creating or renaming a brand (catalog's internal route and the gateway's staff route). */
export class BrandBody {
  @IsText(200)
  name: string;
}

/** Body of creating a category; `parentId` absent or null makes a root. */
export class CreateCategoryBody {
  @IsText(200)
  name: string;

  @IsClearable()
  @IsId()
  parentId?: string | null;
}

/** Body of renaming or moving a category; `parentId: null` moves it to the root. */
export class UpdateCategoryBody {
  @IsOmittable()
  @IsText(200)
  name?: string;

  @IsClearable()
  @IsId()
  parentId?: string | null;
}

/** Body of registering or editing a store (by its inventory location id). */
export class PutStoreBody {
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

/** Body replacing a store's assortment: the full list of SKUs the store carries. */
export class PutAssortmentBody {
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_ASSORTMENT_ITEMS, { message: `$property must contain at most ${MAX_ASSORTMENT_ITEMS} items` })
  @IsSkuCode({ each: true })
  skus: string[];
}

/** Body adding and removing SKUs of a store's assortment. */
export class AssortmentChangesBody {
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
