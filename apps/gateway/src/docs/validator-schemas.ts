import { applyDecorators } from '@nestjs/common';
import { ApiBody, type OpenAPIObject } from '@nestjs/swagger';
import { IS_STRING_RECORD, IS_TEXT, IS_UTC_TIMESTAMP, UTC_TIMESTAMP_PATTERN } from '@omni/contracts';
import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';

// class-transformer keeps @Type metadata in an internal module; nested classes need it to become $refs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** Where the document keeps schemas. */
const REF_PREFIX = '#/components/schemas/';

type Schema = { [key: string]: unknown };

// The contracts' own rules, in OpenAPI words; Min/Max must not claim `number` (that drops `integer`).
const converters: ISchemaConverters = {
  [ValidationTypes.CUSTOM_VALIDATION]: {},
  [ValidationTypes.CONDITIONAL_VALIDATION]: {},
  min: (meta) => ({ minimum: meta.constraints[0] }),
  max: (meta) => ({ maximum: meta.constraints[0] }),
  [IS_UTC_TIMESTAMP]: { type: 'string', format: 'date-time', pattern: UTC_TIMESTAMP_PATTERN.source },
  [IS_TEXT]: (meta) => ({ type: 'string', minLength: 1, maxLength: meta.constraints[0] }),
  [IS_STRING_RECORD]: (meta) => ({ type: 'object', additionalProperties: { type: 'string', maxLength: meta.constraints[1] } }),
};

/**
 * The request body is a class-validator class shared with the owning service (@omni/contracts):
 * the document refers to it by name, and `completeValidatorSchemas` derives its schema from the
 * same rules the gateway validates with, so the two cannot drift.
 */
export function ApiValidatedBody(body: new () => object, description?: string): MethodDecorator {
  return applyDecorators(ApiBody({ description, schema: { $ref: `${REF_PREFIX}${body.name}` } }));
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value.slice(REF_PREFIX.length)] : refsIn(value)));
}

/**
 * Adds to `document` the schema of every class it refers to but does not define (the shared
 * bodies of `ApiValidatedBody` and the classes nested in them), from their class-validator rules;
 * unknown fields are refused, so each says `additionalProperties: false`.
 */
export function completeValidatorSchemas(document: OpenAPIObject): OpenAPIObject {
  const defined = (document.components ??= {}).schemas ??= {};
  const missing = refsIn(document.paths).filter((name) => !defined[name]);
  if (missing.length === 0) return document;
  const all = validationMetadatasToSchemas({ refPointerPrefix: REF_PREFIX, classTransformerMetadataStorage: defaultMetadataStorage, additionalConverters: converters }) as Record<string, Schema>;
  const queue = [...missing];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (defined[name]) continue;
    const schema = all[name];
    if (!schema) throw new Error(`no schema for ${name}: is it a class with class-validator rules?`);
    defined[name] = { ...schema, additionalProperties: false };
    queue.push(...refsIn(schema));
  }
  return document;
}
