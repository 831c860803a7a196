import { isURL, isUUID } from 'class-validator';
import { IS_STRING_RECORD, IS_TEXT, IS_UTC_TIMESTAMP, isUtcTimestamp } from './validators';

/** A JSON Schema node as plain data. */
export type JsonSchema = { [key: string]: unknown };

/** Keyword of a string length counted in UTF-16 code units, as JavaScript's `.length` counts (ajv counts code points). */
export const MIN_UTF16_LENGTH = 'minUtf16Length';
/** Upper bound counterpart of MIN_UTF16_LENGTH. */
export const MAX_UTF16_LENGTH = 'maxUtf16Length';
/** Keyword naming a predicate registered with `predicateKey`: a check no JSON Schema keyword states exactly. */
export const SATISFIES = 'satisfies';

/** The schema of one constraint, or why none is exact. */
export type ConstraintSchema = { schema: JsonSchema } | { inexact: string };

const predicates = new Map<string, (value: unknown) => boolean>();

/** The predicate a `satisfies` keyword names. */
export function predicateOf(key: string): ((value: unknown) => boolean) | undefined {
  return predicates.get(key);
}

/** A string schema that calls `check`, registered under a fresh key (arguments such as URL options need not be JSON). */
function predicate(name: string, check: (value: unknown) => boolean): JsonSchema {
  const key = `${name}#${predicates.size + 1}`;
  predicates.set(key, check);
  return { type: 'string', [SATISFIES]: key };
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isPrimitiveChoice = (value: unknown): boolean => typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);

/**
 * Per class-validator constraint name, a schema that accepts a value only if the constraint does (the
 * check it restates is quoted beside it). Soundness rests on this table: a constraint missing here, or
 * whose arguments a builder refuses, sends its payload class to class-validator every time. Every
 * schema here also rejects `undefined` and `null`, as every constraint listed does.
 */
const EXACT: Record<string, (constraints: readonly unknown[]) => JsonSchema | string> = {
  // typeof value === 'number' && Number.isInteger(value)
  isInt: () => ({ type: 'integer' }),
  // typeof num === 'number' && num >= min (ajv also refuses ±Infinity: stricter, never looser)
  min: ([min]) => (isFiniteNumber(min) ? { type: 'number', minimum: min } : 'min bound is not a finite number'),
  max: ([max]) => (isFiniteNumber(max) ? { type: 'number', maximum: max } : 'max bound is not a finite number'),
  // value instanceof String || typeof value === 'string' (JSON has no String objects)
  isString: () => ({ type: 'string' }),
  isBoolean: () => ({ type: 'boolean' }),
  // Array.isArray(value)
  isArray: () => ({ type: 'array' }),
  // value != null && typeof value === 'object' && !Array.isArray(value)
  isObject: () => ({ type: 'object' }),
  arrayMinSize: ([min]) => (isCount(min) ? { type: 'array', minItems: min } : 'size bound is not a whole number'),
  arrayMaxSize: ([max]) => (isCount(max) ? { type: 'array', maxItems: max } : 'size bound is not a whole number'),
  // possibleValues.some((possible) => possible === value); ajv's enum compares deeply, the same for these values
  isIn: ([values]) =>
    Array.isArray(values) && values.length > 0 && values.every(isPrimitiveChoice) ? { enum: values } : 'choices are not strings, booleans or finite numbers',
  // typeof value === 'string' && !!value.match(pattern); ajv compiles the source without flags, as given (unicodeRegExp off)
  matches: ([pattern, modifiers]) =>
    pattern instanceof RegExp && pattern.flags === '' && modifiers === undefined ? { type: 'string', pattern: pattern.source } : 'pattern has flags',
  // typeof value === 'string' && isLength(value, { max }); validator.js counts a surrogate pair or a variation
  // selector as one, so counting code units refuses a little more, never less
  maxLength: ([max]) => (isCount(max) ? { type: 'string', [MAX_UTF16_LENGTH]: max } : 'length bound is not a whole number'),
  // class-validator's own functions: exact by construction
  isUuid: ([version]) => predicate('isUuid', (value) => isUUID(value, version as Parameters<typeof isUUID>[1])),
  isUrl: ([options]) => predicate('isUrl', (value) => isURL(value as string, options as Parameters<typeof isURL>[1])),
  // The project's rules (validators.ts)
  [IS_TEXT]: ([max]) => (isCount(max) ? { type: 'string', [MIN_UTF16_LENGTH]: 1, [MAX_UTF16_LENGTH]: max } : 'length bound is not a whole number'),
  [IS_UTC_TIMESTAMP]: () => predicate(IS_UTC_TIMESTAMP, isUtcTimestamp),
  [IS_STRING_RECORD]: ([maxKey, maxValue]) =>
    isCount(maxKey) && isCount(maxValue)
      ? {
          type: 'object',
          propertyNames: { type: 'string', [MIN_UTF16_LENGTH]: 1, [MAX_UTF16_LENGTH]: maxKey },
          additionalProperties: { type: 'string', [MAX_UTF16_LENGTH]: maxValue },
        }
      : 'length bounds are not whole numbers',
};

/** The schema of constraint `name` with its arguments, or why there is no exact one. */
export function constraintSchema(name: string, constraints: readonly unknown[] | undefined): ConstraintSchema {
  const build = Object.hasOwn(EXACT, name) ? EXACT[name] : undefined;
  if (!build) return { inexact: `no exact schema for constraint ${name}` };
  const schema = build(constraints ?? []);
  return typeof schema === 'string' ? { inexact: `${name}: ${schema}` } : { schema };
}
