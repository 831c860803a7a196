// class-transformer's @Type reads design:type metadata, so the polyfill must load before any definition class.
import 'reflect-metadata';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { CHANNEL_PATTERN, SKU_PATTERN, UTC_TIMESTAMP_PATTERN } from '@omni/contracts';

/** Identifiers of rules, groups, tiers, stores and categories: stable, URL-safe codes. */
export const CODE_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
/** Upper bound for any amount in a definition: 10^13 minor units keeps every product exact. */
export const MAX_DEFINITION_AMOUNT = 10_000_000_000_000;

/** Applies several property decorators as one, so field rules read as one word. */
export function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** An integer of at least 1. */
export function IsPositiveInt(max = MAX_DEFINITION_AMOUNT): PropertyDecorator {
  const message = 'must be a positive integer';
  return compose(IsInt({ message }), Min(1, { message }), Max(max, { message: `must be at most ${max}` }));
}

/** An integer of at least 0 (minor units). */
export function IsNonNegativeInt(max = MAX_DEFINITION_AMOUNT): PropertyDecorator {
  const message = 'must be an integer >= 0';
  return compose(IsInt({ message }), Min(0, { message }), Max(max, { message: `must be at most ${max}` }));
}

/** Basis points in [min, max]: 1 bps = 0.01 %. */
export function IsBps(min: number, max: number): PropertyDecorator {
  const message = `must be an integer number of basis points between ${min} and ${max}`;
  return compose(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** Any integer in [min, max]. */
export function IsIntBetween(min: number, max: number): PropertyDecorator {
  const message = `must be an integer between ${min} and ${max}`;
  return compose(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** A short code such as a rule id, group, tier, store or category. */
export function IsCode(): PropertyDecorator {
  return compose(
    IsString({ message: 'must be a string' }),
    Matches(CODE_PATTERN, { message: 'must be a code (1-64 characters of A-Z a-z 0-9 . _ : -)' }),
  );
}

/** A channel code as the contracts define it. */
export function IsChannel(): PropertyDecorator {
  return compose(
    IsString({ message: 'must be a string' }),
    Matches(CHANNEL_PATTERN, { message: 'must be a channel code (1-32 characters of a-z 0-9 -)' }),
  );
}

/** A SKU code as the contracts define it. */
export function IsSku(): PropertyDecorator {
  return compose(
    IsString({ message: 'must be a string' }),
    Matches(SKU_PATTERN, { message: 'must be a SKU code (1-64 characters of A-Z a-z 0-9 . _ -)' }),
  );
}

/** An array of codes matching `pattern`; `nonEmpty` rejects []. */
export function IsCodeList(pattern: RegExp, what: string, nonEmpty: boolean): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    IsArray({ message: `must be an array of ${what}` }),
    ArrayMaxSize(10_000, { message: 'must have at most 10000 entries' }),
    Matches(pattern, { each: true, message: `must contain only ${what}` }),
  ];
  if (nonEmpty) decorators.push(ArrayNotEmpty({ message: `must list at least one ${what.replace(/s$/, '')}` }));
  return compose(...decorators);
}

/** A UTC ISO-8601 instant ending in 'Z' that denotes a real date. */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && UTC_TIMESTAMP_PATTERN.test(value) && !Number.isNaN(Date.parse(value)),
      defaultMessage: () => 'must be a UTC ISO-8601 instant such as 2026-11-11T00:00:00Z',
    },
  });
}

/** A non-empty display name. */
export function IsName(): PropertyDecorator {
  return compose(
    IsString({ message: 'must be a string' }),
    MinLength(1, { message: 'must not be empty' }),
    MaxLength(200, { message: 'must be at most 200 characters' }),
  );
}

/** An ISO 4217 currency code. */
export function IsCurrency(): PropertyDecorator {
  return Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as CNY' });
}

/** A value from a fixed list. */
export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return IsIn(values as string[], { message: `must be one of ${values.join(', ')}` });
}

/** A boolean flag. */
export function IsFlag(): PropertyDecorator {
  return IsBoolean({ message: 'must be a boolean' });
}

/** A JSON object (its shape is checked elsewhere). */
export function IsJsonObject(): PropertyDecorator {
  return IsObject({ message: 'must be an object' });
}
