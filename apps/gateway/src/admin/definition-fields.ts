import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { CHANNEL_PATTERN, SKU_PATTERN } from '@omni/contracts';
import { IsOmittable } from './dto-rules';

/**
 * Field rules shared by the price-rule and coupon-template bodies. They mirror the pricing service's
 * definition validator field by field, so a body with a bad field is refused here with the field
 * named; rules across fields (window order, non-empty targets, ascending thresholds, the
 * deployment's currency) stay with pricing, whose 400 the gateway relays.
 */

/** Ids of rules and templates, coupon codes, groups, tiers, stores, categories: what pricing calls a code. */
export const DEFINITION_CODE_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const CODE_SHAPE = '(1-64 characters of A-Z a-z 0-9 . _ : -)';
/** Largest amount (minor units) in a definition, as pricing bounds it. */
export const MAX_DEFINITION_AMOUNT = 10_000_000_000_000;
/** Most entries of one list in a definition (SKUs, categories, channels, prices). */
export const MAX_DEFINITION_LIST = 10_000;

/** A code of a definition (`what` names it in the message). */
export function IsDefinitionCode(what = 'a code'): PropertyDecorator {
  return Matches(DEFINITION_CODE_PATTERN, { message: `$property must be ${what} ${CODE_SHAPE}` });
}

/** Swagger schema of a code. */
export const CODE_SCHEMA = { type: String, pattern: DEFINITION_CODE_PATTERN.source, example: 'spring-tea-10' } as const;

/** An integer in [min, max], one message for every way of missing it. */
export function IsIntBetween(min: number, max: number): PropertyDecorator {
  const message = `$property must be an integer between ${min} and ${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** What a list in a definition holds: its pattern and how its entries are named in messages. */
export interface CodeListKind {
  pattern: RegExp;
  /** Singular noun, e.g. 'SKU code'. */
  noun: string;
  shape: string;
}

/** SKU codes, as the contracts define them. */
export const SKU_LIST: CodeListKind = { pattern: SKU_PATTERN, noun: 'SKU code', shape: '(1-64 characters of A-Z a-z 0-9 . _ -)' };
/** Channel codes, as the contracts define them. */
export const CHANNEL_LIST: CodeListKind = { pattern: CHANNEL_PATTERN, noun: 'channel code', shape: '(1-32 characters of a-z 0-9 -)' };

/** Codes of `noun`s (category, store, tier, group): pricing's code pattern. */
export function codesOf(noun: string): CodeListKind {
  return { pattern: DEFINITION_CODE_PATTERN, noun, shape: CODE_SHAPE };
}

/** A list of codes of one kind; `nonEmpty` refuses []. */
export function IsCodeList(kind: CodeListKind, nonEmpty: boolean): PropertyDecorator {
  return applyDecorators(
    IsArray({ message: `$property must be an array of ${kind.noun}s` }),
    ArrayMaxSize(MAX_DEFINITION_LIST, { message: `$property must have at most ${MAX_DEFINITION_LIST} entries` }),
    Matches(kind.pattern, { each: true, message: `each value in $property must be a ${kind.noun} ${kind.shape}` }),
    ...(nonEmpty ? [ArrayNotEmpty({ message: `$property must list at least one ${kind.noun}` })] : []),
  );
}

/** Swagger schema of a list of codes of one kind. */
export function codeListSchema(kind: CodeListKind, description: string, nonEmpty = false) {
  return { type: 'array', items: { type: 'string', pattern: kind.pattern.source }, maxItems: MAX_DEFINITION_LIST, ...(nonEmpty ? { minItems: 1 } : {}), description } as const;
}

/** The discriminator of one definition class: its `kind` is exactly `value`. */
export function IsKind(value: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ enum: [value], description: 'Discriminator: which kind of definition this is' }), IsIn([value], { message: `$property must be ${value}` }));
}

/** `version`: accepted and ignored, pricing numbers versions itself. */
export function IsIgnoredVersion(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000_000, description: 'Ignored: the pricing service numbers versions (1 on create, +1 per update)' }),
    IsOmittable(),
    IsIntBetween(1, 1_000_000_000),
  );
}

/** Route params naming a price rule or coupon template. */
export class DefinitionIdParamDto {
  @ApiProperty({ pattern: DEFINITION_CODE_PATTERN.source, example: 'spring-tea-10' })
  @IsDefinitionCode('a rule or template id')
  id: string;
}
