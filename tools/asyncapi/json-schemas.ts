import { EventContract, IS_STRING_RECORD, IS_TEXT, IS_UTC_TIMESTAMP, UTC_TIMESTAMP_PATTERN } from '@omni/contracts';
import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';

// class-transformer keeps @Type metadata in an internal module; nested classes need it to become $refs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** A JSON Schema node as plain data. */
export type JsonSchema = { [key: string]: unknown };

/** Where payload schemas live in the AsyncAPI document. */
export const SCHEMA_REF_PREFIX = '#/components/schemas/';

// Defaults that would be wrong for us: Min() claims type number (dropping integer), IsUrl says 'url' (not a JSON Schema format).
// IsOptional also lets null through, which the schema must admit; NULLABLE marks it until the type is widened.
const NULLABLE = 'x-nullable';
const converters: ISchemaConverters = {
  [ValidationTypes.CUSTOM_VALIDATION]: {},
  [ValidationTypes.CONDITIONAL_VALIDATION]: (meta) => (meta.name === 'isOptional' ? { [NULLABLE]: true } : {}),
  min: (meta) => ({ minimum: meta.constraints[0] }),
  max: (meta) => ({ maximum: meta.constraints[0] }),
  isUrl: { type: 'string', format: 'uri' },
  [IS_UTC_TIMESTAMP]: { type: 'string', format: 'date-time', pattern: UTC_TIMESTAMP_PATTERN.source },
  [IS_TEXT]: (meta) => ({ type: 'string', minLength: 1, maxLength: meta.constraints[0] }),
  [IS_STRING_RECORD]: (meta) => ({
    type: 'object',
    propertyNames: { minLength: 1, maxLength: meta.constraints[0] },
    additionalProperties: { type: 'string', maxLength: meta.constraints[1] },
  }),
};

/**
 * JSON Schemas (keyed by class name) for every payload class and the classes nested in them,
 * derived from class-validator metadata. schemaVersion is pinned to each contract's version.
 */
export function payloadSchemas(contracts: readonly EventContract[]): Record<string, JsonSchema> {
  const all = validationMetadatasToSchemas({
    refPointerPrefix: SCHEMA_REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: converters,
  }) as Record<string, JsonSchema>;

  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    const schema = all[name];
    if (!schema) throw new Error(`no JSON Schema for class ${name}: does it have class-validator decorators?`);
    wanted.add(name);
    for (const ref of refsIn(schema)) visit(ref);
  };
  for (const contract of contracts) visit(contract.payload.name);

  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...wanted].sort()) schemas[name] = canonical(tidy(all[name])) as JsonSchema;
  for (const contract of contracts) {
    const schema = schemas[contract.payload.name];
    const properties = schema.properties as Record<string, JsonSchema>;
    properties.schemaVersion = { type: 'integer', const: contract.version, description: 'Schema version of this payload.' };
    // Payloads are validated with forbidNonWhitelisted: an unknown field is an error, so say so.
    schema.additionalProperties = false;
  }
  for (const schema of Object.values(schemas)) schema.additionalProperties = false;
  return schemas;
}

/** Widens nullable types and drops keywords beside $ref (draft-07 ignores them anyway). */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as JsonSchema;
  if (typeof schema.$ref === 'string') return schema[NULLABLE] ? { oneOf: [{ $ref: schema.$ref }, { type: 'null' }] } : { $ref: schema.$ref };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === NULLABLE) continue;
    out[key] = key === 'type' && schema[NULLABLE] && typeof value === 'string' ? [value, 'null'] : tidy(value);
  }
  return out;
}

/** Names of classes a schema refers to. */
function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value.slice(SCHEMA_REF_PREFIX.length)] : refsIn(value),
  );
}

/** Sorts keys of schema keywords for a stable document; property maps keep declaration order. */
function canonical(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => canonical(item));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node);
  if (!isPropertyMap) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, value]) => [key, canonical(value, !isPropertyMap && key === 'properties')]));
}
