import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsObject, Matches, Max, Min, ValidateNested } from 'class-validator';
import {
  CHANNEL_PATTERN,
  DEFINITION_CODE_PATTERN,
  definitionClasses,
  DefinitionCodeList,
  DefinitionField,
  DefinitionFieldRenderer,
  DefinitionShape,
  IsSkuCode,
  IsText,
  IsUtcTimestamp,
  MAX_DEFINITION_LIST,
  MAX_DEFINITION_NAME,
  SKU_PATTERN,
} from '@omni/contracts';
import { IsOmittable, ObjectArray } from './dto-rules';

/**
 * The gateway's rendering of pricing's definition schema (@omni/contracts): the back-office bodies
 * of price rules and coupon templates, with their OpenAPI document, are built from the same field
 * rules pricing validates with, so a body with a bad field is refused here with the field named.
 * Rules across fields (window order, non-empty targets, ascending thresholds, the deployment's
 * currency) stay with pricing, whose 400 the gateway relays.
 */

const CODE_SHAPE = '(1-64 characters of A-Z a-z 0-9 . _ : -)';

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

/** How the entries of a list of codes look, and how messages name them. */
const LISTS: Readonly<Record<DefinitionCodeList, { pattern: RegExp; shape: string }>> = {
  sku: { pattern: SKU_PATTERN, shape: '(1-64 characters of A-Z a-z 0-9 . _ -)' },
  channel: { pattern: CHANNEL_PATTERN, shape: '(1-32 characters of a-z 0-9 -)' },
  code: { pattern: DEFINITION_CODE_PATTERN, shape: CODE_SHAPE },
};

/** A list of codes of one kind; `nonEmpty` refuses []. */
function IsCodeList(field: Extract<DefinitionField, { rule: 'codes' }>): PropertyDecorator {
  const list = LISTS[field.list];
  return applyDecorators(
    IsArray({ message: `$property must be an array of ${field.noun}s` }),
    ArrayMaxSize(MAX_DEFINITION_LIST, { message: `$property must have at most ${MAX_DEFINITION_LIST} entries` }),
    Matches(list.pattern, { each: true, message: `each value in $property must be a ${field.noun} ${list.shape}` }),
    ...(field.nonEmpty ? [ArrayNotEmpty({ message: `$property must list at least one ${field.noun}` })] : []),
  );
}

/** The OpenAPI schema of a field (its type given, since built classes carry no design types). */
function openApiOf(field: DefinitionField): Record<string, unknown> {
  const { description } = field;
  const example = field.example !== undefined ? { example: field.example } : {};
  switch (field.rule) {
    case 'kind':
      return { type: String, enum: [field.value], description };
    case 'code':
      return { ...CODE_SCHEMA, ...example, description };
    case 'version':
      return { type: 'integer', minimum: 1, maximum: field.max, description: 'Ignored: the pricing service numbers versions (1 on create, +1 per update)' };
    case 'name':
      return { type: String, maxLength: MAX_DEFINITION_NAME, description };
    case 'currency':
      return { type: String, pattern: '^[A-Z]{3}$', ...example, description };
    case 'instant':
      return { type: String, format: 'date-time', description };
    case 'flag':
      return { type: Boolean, description };
    case 'condition':
      return { type: 'object', additionalProperties: true, description };
    case 'int':
      return { type: 'integer', minimum: field.min, maximum: field.max, description };
    case 'sku':
      return { type: String, pattern: SKU_PATTERN.source, ...example, description };
    case 'codes':
      return { type: 'array', items: { type: 'string', pattern: LISTS[field.list].pattern.source }, maxItems: MAX_DEFINITION_LIST, ...(field.nonEmpty ? { minItems: 1 } : {}), description };
    case 'object':
      return { type: gatewayDefinitionClass(field.shape), description };
    case 'objects':
      return { type: [gatewayDefinitionClass(field.shape)], minItems: 1, maxItems: MAX_DEFINITION_LIST, description };
  }
}

/** The validators of one field in the gateway's words (messages name the field). */
function fieldRules(field: DefinitionField): PropertyDecorator[] {
  switch (field.rule) {
    case 'kind':
      // A body class is one kind (the pipe picks the class by `kind`).
      return [IsIn([field.value], { message: `$property must be ${field.value}` })];
    case 'code':
      return [IsDefinitionCode(`a ${field.noun}`)];
    case 'version':
      return [IsIntBetween(1, field.max)];
    case 'name':
      return [IsText(MAX_DEFINITION_NAME)];
    case 'currency':
      return [Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code such as CNY' })];
    case 'instant':
      return [IsUtcTimestamp()];
    case 'flag':
      return [IsBoolean({ message: '$property must be a boolean' })];
    case 'condition':
      return [IsObject({ message: '$property must be a JsonLogic object' })];
    case 'int':
      return [IsIntBetween(field.min, field.max)];
    case 'sku':
      return [IsSkuCode()];
    case 'codes':
      return [IsCodeList(field)];
    case 'object': {
      const nested = gatewayDefinitionClass(field.shape);
      return [IsObject({ message: '$property must be an object' }), ValidateNested(), Type(() => nested)];
    }
    case 'objects': {
      const nested = gatewayDefinitionClass(field.shape);
      return [ObjectArray(MAX_DEFINITION_LIST, () => nested), ArrayNotEmpty({ message: `$property must list at least one ${field.noun}` })];
    }
  }
}

/**
 * The gateway's rendering of a definition field: its OpenAPI property, then its validators; an
 * optional field may be absent but never null (IsOmittable), and `version` is accepted and ignored,
 * since pricing numbers versions itself.
 */
export const renderGatewayField: DefinitionFieldRenderer = (field) => {
  const optional = field.optional === true || field.rule === 'version';
  return [(optional ? ApiPropertyOptional : ApiProperty)(openApiOf(field)), ...(optional ? [IsOmittable()] : []), ...fieldRules(field)];
};

/** The body class of a definition shape (`<name>Dto`), built once from the contracts' schema. */
export const gatewayDefinitionClass: (shape: DefinitionShape) => new () => object = definitionClasses('Dto', (field, key, shape) => renderGatewayField(field, key, shape));

/** The body classes of every kind of a definition store, keyed by kind in the contracts' order. */
export function gatewayBodies<K extends string>(kinds: readonly K[], shapes: Readonly<Record<K, DefinitionShape>>): Readonly<Record<K, new () => object>> {
  return Object.fromEntries(kinds.map((kind) => [kind, gatewayDefinitionClass(shapes[kind])])) as Record<K, new () => object>;
}

/** Route params naming a price rule or coupon template. */
export class DefinitionIdParamDto {
  @ApiProperty({ pattern: DEFINITION_CODE_PATTERN.source, example: 'spring-tea-10' })
  @IsDefinitionCode('a rule or template id')
  id: string;
}
