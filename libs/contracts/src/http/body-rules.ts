import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, ValidateBy, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';

/**
 * Field rules of the HTTP bodies that a service and the gateway both validate (one schema, two
 * edges): the service at its internal route, the gateway before it relays.
 */

/** Optional but never null: only an absent field skips validation, so a PATCH cannot blank a required column with `null`. */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Optional and nullable: `null` clears the column, absent leaves it. */
export function IsClearable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null);
}

/** A signed integer other than zero (an adjustment that changes something). */
export function IsNonZeroInt(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNonZeroInt',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value !== 0,
        defaultMessage: () => '$property must be a non-zero integer',
      },
    },
    options,
  );
}

/** Largest quantity one stock line may move; keeps sums far from integer overflow in SQL. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** Most lines one stock document may carry. */
export const MAX_LINES = 500;
/** Most SKUs one assortment request may carry. */
export const MAX_ASSORTMENT_ITEMS = 5000;

/** 1..MAX_LINES objects, each validated as `type` (an array nested in the array is refused, not searched). */
export function DocumentLines(type: () => new () => object): PropertyDecorator {
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
