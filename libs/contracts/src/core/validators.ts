// class-transformer's @Type reads design:type metadata, so the polyfill must load before any payload class.
import 'reflect-metadata';
import {
  IsInt,
  IsUUID,
  Matches,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';

/** SKU codes: what every channel can carry in a URL or a label barcode. */
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Channel codes are data (own app, marketplaces, stores), so a code pattern rather than an enum. */
export const CHANNEL_PATTERN = /^[a-z0-9-]{1,32}$/;
/** UTC instants as produced by Date.prototype.toISOString (milliseconds optional). */
export const UTC_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Name of the custom constraint behind IsUtcTimestamp; the AsyncAPI generator maps it to a schema. */
export const IS_UTC_TIMESTAMP = 'isUtcTimestamp';
/** Name of the custom constraint behind IsStringRecord; the AsyncAPI generator maps it to a schema. */
export const IS_STRING_RECORD = 'isStringRecord';

/** Applies several property decorators as one, so field rules read as one word. */
function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A message that says 'each value in' when the rule applies to array items, so array errors do not read as scalar ones. */
function message(options: ValidationOptions | undefined, text: string): string {
  return options?.each ? `each value in ${text}` : text;
}

/** A UUID string (services produce UUIDv7; any version is accepted on the wire). */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return IsUUID('all', { ...options, message: message(options, '$property must be a UUID') });
}

/** A SKU code: 1..64 characters of [A-Za-z0-9._-]. */
export function IsSkuCode(options?: ValidationOptions): PropertyDecorator {
  // Matches also fails on non-strings, so one rule gives one message for a wrong type and a wrong shape.
  return Matches(SKU_PATTERN, { ...options, message: message(options, '$property must be a SKU code (1-64 characters of A-Z a-z 0-9 . _ -)') });
}

/** A channel code: 1..32 characters of lowercase [a-z0-9-]. */
export function IsChannelCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(CHANNEL_PATTERN, { ...options, message: message(options, '$property must be a channel code (1-32 characters of a-z 0-9 -)') });
}

/** A quantity that moves stock: an integer of at least 1. */
export function IsQuantity(options?: ValidationOptions): PropertyDecorator {
  const text = message(options, '$property must be a positive integer');
  return compose(IsInt({ ...options, message: text }), Min(1, { ...options, message: text }));
}

/** A count or level that cannot go below zero: an integer of at least 0. */
export function IsNonNegativeInt(options?: ValidationOptions): PropertyDecorator {
  const text = message(options, '$property must be an integer >= 0');
  return compose(IsInt({ ...options, message: text }), Min(0, { ...options, message: text }));
}

/** A monotonic version number: an integer of at least 1. */
export function IsVersion(options?: ValidationOptions): PropertyDecorator {
  const text = message(options, '$property must be an integer >= 1');
  return compose(IsInt({ ...options, message: text }), Min(1, { ...options, message: text }));
}

/** Name of the custom constraint behind IsText; the AsyncAPI generator maps it to a schema. */
export const IS_TEXT = 'isText';

/** A bounded, non-empty free-text string; one message per failure, saying which bound was missed. */
export function IsText(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_TEXT,
      constraints: [maxLength],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length >= 1 && value.length <= maxLength,
        defaultMessage: (args) => {
          // With { each: true } the arguments carry the whole array; explain its first bad item.
          const raw: unknown = args?.value;
          const fits = (item: unknown) => typeof item === 'string' && item.length >= 1 && item.length <= maxLength;
          const value = Array.isArray(raw) && options?.each ? raw.find((item) => !fits(item)) : raw;
          if (typeof value !== 'string') return message(options, '$property must be a string');
          if (value.length === 0) return message(options, '$property must not be empty');
          return message(options, `$property must be at most ${maxLength} characters`);
        },
      },
    },
    options,
  );
}

/** A UTC ISO-8601 instant ending in 'Z' that denotes a real date. */
export function IsUtcTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_UTC_TIMESTAMP,
      validator: {
        validate: isUtcTimestamp,
        defaultMessage: () => '$property must be a UTC ISO-8601 timestamp like 2024-05-01T12:00:00.000Z',
      },
    },
    options,
  );
}

/** Whether `value` is what IsUtcTimestamp accepts: a string matching UTC_TIMESTAMP_PATTERN that denotes a real instant. */
export function isUtcTimestamp(value: unknown): boolean {
  return typeof value === 'string' && UTC_TIMESTAMP_PATTERN.test(value) && isRealInstant(value);
}

/** Date.parse rolls 2024-02-30 over to March; a real instant survives the round trip unchanged. */
function isRealInstant(value: string): boolean {
  const millis = Date.parse(value);
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 19) === value.slice(0, 19);
}

/** A flat JSON object whose values are all strings (e.g. SKU attributes), with bounded keys and values. */
export function IsStringRecord(maxKeyLength = 64, maxValueLength = 256, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_STRING_RECORD,
      constraints: [maxKeyLength, maxValueLength],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([key, entry]) =>
              key.length >= 1 && key.length <= maxKeyLength && typeof entry === 'string' && entry.length <= maxValueLength,
          ),
        defaultMessage: () =>
          `$property must be an object of string values (keys 1-${maxKeyLength}, values up to ${maxValueLength} characters)`,
      },
    },
    options,
  );
}
