// class-transformer's @Type reads design:type metadata, so the polyfill must load before any definition class.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  CHANNEL_PATTERN,
  DEFINITION_CODE_PATTERN,
  definitionClasses,
  DefinitionCodeList,
  DefinitionField,
  DefinitionFieldRenderer,
  DefinitionShape,
  MAX_DEFINITION_AMOUNT,
  MAX_DEFINITION_LIST,
  MAX_DEFINITION_NAME,
  SKU_PATTERN,
  UTC_TIMESTAMP_PATTERN,
} from '@omni/contracts';

/** Identifiers of rules, groups, tiers, stores and categories: stable, URL-safe codes (the contracts' definition code). */
export const CODE_PATTERN = DEFINITION_CODE_PATTERN;
export { MAX_DEFINITION_AMOUNT };

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
    ArrayMaxSize(MAX_DEFINITION_LIST, { message: `must have at most ${MAX_DEFINITION_LIST} entries` }),
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
    MaxLength(MAX_DEFINITION_NAME, { message: `must be at most ${MAX_DEFINITION_NAME} characters` }),
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

const LIST_PATTERNS: Readonly<Record<DefinitionCodeList, RegExp>> = { sku: SKU_PATTERN, channel: CHANNEL_PATTERN, code: CODE_PATTERN };

/** The validators of one field in pricing's words, in the order they apply (the first broken one is reported). */
function fieldRules(field: DefinitionField): PropertyDecorator[] {
  switch (field.rule) {
    case 'kind':
      return [IsOneOf(field.kinds)];
    case 'code':
      return [IsCode()];
    case 'version':
      return [IsPositiveInt(field.max)];
    case 'name':
      return [IsName()];
    case 'currency':
      return [IsCurrency()];
    case 'instant':
      return [IsInstant()];
    case 'flag':
      return [IsFlag()];
    case 'condition':
      return [IsJsonObject()];
    case 'sku':
      return [IsSku()];
    case 'int':
      if (field.unit === 'positive') return [IsPositiveInt(field.max)];
      if (field.unit === 'non-negative') return [IsNonNegativeInt(field.max)];
      if (field.unit === 'bps') return [IsBps(field.min, field.max)];
      return [IsIntBetween(field.min, field.max)];
    case 'codes':
      return [IsCodeList(LIST_PATTERNS[field.list], `${field.noun}s`, field.nonEmpty)];
    case 'object': {
      const nested = pricingDefinitionClass(field.shape);
      // A required nested object must be one; an optional one is checked only when present.
      return [Type(() => nested), ValidateNested(), ...(field.optional ? [] : [IsJsonObject()])];
    }
    case 'objects': {
      const nested = pricingDefinitionClass(field.shape);
      return [Type(() => nested), ValidateNested({ each: true }), ArrayNotEmpty({ message: `must list at least one ${field.noun}` }), IsArray({ message: 'must be an array' })];
    }
  }
}

/**
 * Pricing's rendering of a definition field. The ends of a rule's effective window are optional
 * here even for the kinds that require them: `ruleInvariants` says which kind needs them, in words
 * that name the kind.
 */
export const renderPricingField: DefinitionFieldRenderer = (field) => {
  const optional = field.optional === true || (field.rule === 'instant' && field.window === true);
  return optional ? [...fieldRules(field), IsOptional()] : fieldRules(field);
};

/** The validation class of a definition shape (`<name>Definition`), built once from the contracts' schema. */
export const pricingDefinitionClass: (shape: DefinitionShape) => new () => object = definitionClasses('Definition', (field, key, shape) => renderPricingField(field, key, shape));
