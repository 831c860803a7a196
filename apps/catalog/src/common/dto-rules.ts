import { ValidateIf } from 'class-validator';

/**
 * Optional but never null: only an absent field skips validation, so a PATCH cannot blank a
 * required column with `null`.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Optional and nullable: `null` clears the column, absent leaves it. */
export function IsClearable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null);
}

/** Most SKUs one product may have. */
export const MAX_SKUS = 200;
/** Most media one product or listing may have. */
export const MAX_MEDIA = 50;
/** Most SKUs one assortment request may carry. */
export const MAX_ASSORTMENT_ITEMS = 5000;
