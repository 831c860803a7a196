import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { constraintSchema, JsonSchema } from './constraint-schemas';

// class-transformer keeps @Type metadata in an internal module (no public API reads it); the AsyncAPI generator reads it too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage: typeStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** A class payloads are built as (a payload class or one nested in it). */
export type PayloadClass = new () => object;

/** A class-validator ValidateIf / IsOptional condition: validators of the property run only when it holds. */
export type Condition = (object: object, value: unknown) => boolean;

/** How to build one payload class from validated JSON, as class-transformer would. */
export interface ClassPlan {
  readonly cls: PayloadClass;
  /** Properties with an @Type class: their objects (or arrays of them) become instances of it. */
  readonly nested: ReadonlyMap<string, ClassPlan>;
  /** Conditional properties: when one is null or undefined, its conditions decide whether class-validator would check it. */
  readonly conditions: ReadonlyArray<readonly [property: string, conditions: readonly Condition[]]>;
}

/**
 * What validating a payload class with a JSON Schema takes: the schema of the class tree (every class
 * under `definitions`, unknown fields forbidden) and the plan to build its instances; or, when some
 * rule has no exact schema, the reasons class-validator must check it instead.
 */
export type PayloadPlan = { ok: true; schema: JsonSchema; root: ClassPlan } | { ok: false; reasons: string[] };

const DEFINITIONS = '#/definitions/';
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
// Classes class-transformer converts itself (String(value), new Date(value)...) rather than building them key by key.
const BUILT_INS = new Set<unknown>([String, Number, Boolean, Date, Object, Array, Map, Set, Promise, globalThis.Buffer]);

/**
 * Derives the plan of `payload` from the metadata class-validator and class-transformer hold for it,
 * read the way class-validator's executor reads it (own and inherited rules, grouped by property).
 * `schemaVersion`, when the class has it, is pinned to `version`.
 */
export function payloadPlan(payload: PayloadClass, version: number): PayloadPlan {
  const storage = getMetadataStorage();
  const reasons: string[] = [];
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<PayloadClass, string>();
  const plans = new Map<PayloadClass, ClassPlan>();

  const visit = (cls: PayloadClass): string => {
    const known = names.get(cls);
    if (known) return known;
    let name = cls.name || 'Anonymous';
    while (Object.hasOwn(definitions, name)) name = `${name}_`;
    names.set(cls, name);
    definitions[name] = {};
    const nested = new Map<string, ClassPlan>();
    const conditions: [string, Condition[]][] = [];
    plans.set(cls, { cls, nested, conditions });

    const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false);
    if (metadatas.length === 0) reasons.push(`${cls.name} has no validation rules (class-validator refuses it as an unknown value)`);
    reasons.push(...transformerRules(cls));
    const sample = new cls() as Record<string, unknown>;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [property, rules] of Object.entries(storage.groupByPropertyName(metadatas))) {
      const where = `${cls.name}.${property}`;
      if (RESERVED.has(property)) reasons.push(`${where}: a reserved name`);
      const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, property);
      // class-transformer skips such keys, so class-validator would see something else than the JSON.
      if ((descriptor && !descriptor.set) || sample[property] instanceof Function) reasons.push(`${where}: class-transformer does not assign it`);
      const property$ = propertySchema(cls, property, rules, where);
      reasons.push(...property$.reasons);
      if (typeStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length) reasons.push(`${where}: @Transform`);
      if (property$.nested) nested.set(property, plans.get(property$.nested)!);
      if (property$.conditions.length) conditions.push([property, property$.conditions]);
      if (property$.required) required.push(property);
      properties[property] = property$.schema;
    }
    definitions[name] = { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
    return name;
  };

  /** The schema of one property: every rule's schema at once; a conditional property may also be null or absent. */
  const propertySchema = (cls: PayloadClass, property: string, rules: ValidationMetadata[], where: string) => {
    const parts: JsonSchema[] = [];
    const conditions: Condition[] = [];
    const out = { schema: {} as JsonSchema, required: false, conditions, nested: undefined as PayloadClass | undefined, reasons: [] as string[] };
    const typeMeta = typeStorage.findTypeMetadata(cls, property);
    for (const rule of rules) {
      switch (rule.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(rule.constraints[0] as Condition);
          break;
        case ValidationTypes.NESTED_VALIDATION: {
          const target = nestedClass(typeMeta);
          if (typeof target === 'string') {
            out.reasons.push(`${where}: ${target}`);
            break;
          }
          out.nested = target;
          const ref = { $ref: `${DEFINITIONS}${visit(target)}` };
          parts.push(rule.each ? { type: 'array', items: ref } : ref);
          break;
        }
        case ValidationTypes.CUSTOM_VALIDATION: {
          const constraints = storage.getTargetValidatorConstraints(rule.constraintCls);
          if (constraints.length !== 1 || constraints[0].async) {
            out.reasons.push(`${where}: a constraint class with ${constraints.length} validators or an async one`);
            break;
          }
          const part = constraintSchema(constraints[0].name, rule.constraints);
          if ('inexact' in part) {
            out.reasons.push(`${where}: ${part.inexact}`);
            break;
          }
          // { each: true } checks every item of an array (and a lone value itself; asking for an array is stricter).
          parts.push(rule.each ? { type: 'array', items: part.schema } : part.schema);
          // Every constraint with an exact schema refuses undefined, so the property must be present.
          out.required = true;
          break;
        }
        default:
          out.reasons.push(`${where}: no exact schema for ${rule.type}`);
      }
    }
    if (typeMeta && !rules.some((rule) => rule.type === ValidationTypes.NESTED_VALIDATION)) out.reasons.push(`${where}: @Type without @ValidateNested`);
    const all: JsonSchema = parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { allOf: parts };
    if (conditions.length) {
      // Absent or null, the conditions decide (checked on the built instance); present, the rules must hold.
      out.required = false;
      out.schema = { anyOf: [{ type: 'null' }, all] };
    } else {
      out.schema = all;
    }
    return out;
  };

  const rootName = visit(payload);
  if (reasons.length) return { ok: false, reasons: [...new Set(reasons)] };
  const root = definitions[rootName];
  const properties = root.properties as Record<string, JsonSchema>;
  if (properties.schemaVersion) {
    // validatePayload also requires schemaVersion to equal the contract's version.
    properties.schemaVersion = { allOf: [properties.schemaVersion, { const: version }] };
  }
  return { ok: true, schema: { $ref: `${DEFINITIONS}${rootName}`, definitions }, root: plans.get(payload)! };
}

/** The class @Type names for a nested property, or why there is none class-transformer builds key by key. */
function nestedClass(typeMeta: ReturnType<typeof typeStorage.findTypeMetadata> | undefined): PayloadClass | string {
  if (!typeMeta) return '@ValidateNested without @Type (class-transformer would leave a plain object)';
  if (typeMeta.options?.discriminator) return '@Type with a discriminator';
  // A type function that reads its options may answer differently per object.
  if (typeMeta.typeFunction.length > 0) return '@Type whose type function takes arguments';
  const target = typeMeta.typeFunction();
  if (typeof target !== 'function' || BUILT_INS.has(target)) return `@Type(() => ${String((target as { name?: string })?.name ?? target)}) is not a payload class`;
  return target as PayloadClass;
}

/** Class-wide class-transformer rules that would make plainToInstance differ from a key-by-key copy. */
function transformerRules(cls: PayloadClass): string[] {
  const reasons: string[] = [];
  if (typeStorage.getStrategy(cls) !== 'none') reasons.push(`${cls.name}: class-level @Expose or @Exclude`);
  if (typeStorage.getExposedMetadatas(cls).length || typeStorage.getExcludedMetadatas(cls).length) reasons.push(`${cls.name}: @Expose or @Exclude`);
  return reasons;
}
