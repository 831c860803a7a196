import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Optional but never null: unlike IsOptional, only an absent field skips validation, so a
 * PATCH cannot blank a required column with `null`.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
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

/** Largest quantity one line may move; keeps sums far from integer overflow in SQL. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** Most lines one document may carry. */
export const MAX_LINES = 500;
