import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EventContract } from './event-contract';
import { payloadFastPath } from './payload-fast-path';

/** Outcome of validating a raw payload: the typed instance, or readable errors naming each field path. */
export type PayloadValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Turns raw JSON into an instance of the contract's payload class and validates it (whitelist, unknown
 * fields forbidden, nested objects and arrays, schemaVersion === contract.version). Never throws on bad input.
 * A payload the contract's compiled JSON Schema accepts is built without running class-validator (the
 * schema never accepts what class-validator refuses); anything else goes to validatePayloadStrict, so a
 * rejection costs and reads as it always did.
 */
export function validatePayload<T extends object>(contract: EventContract<T>, raw: unknown): PayloadValidation<T> {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const value = payloadFastPath(contract).accept(raw);
    if (value) return { ok: true, value: value as T };
  }
  return validatePayloadStrict(contract, raw);
}

/** validatePayload by class-transformer and class-validator alone: the reference the fast path answers for. */
export function validatePayloadStrict<T extends object>(contract: EventContract<T>, raw: unknown): PayloadValidation<T> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [`payload must be a JSON object (got ${describe(raw)})`] };
  }
  let value: T;
  let validationErrors: ValidationError[];
  try {
    value = plainToInstance(contract.payload, raw, { enableImplicitConversion: false });
    validationErrors = validateSync(value, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
  } catch (error: unknown) {
    // A hostile shape (getters, cycles) must end as a rejection, never as a crash of the consumer.
    return { ok: false, errors: [`payload could not be read: ${error instanceof Error ? error.message : String(error)}`] };
  }
  // class-transformer silently skips these keys, so whitelisting alone would let them through unreported.
  const errors = [...reservedKeys(raw, ''), ...flatten(validationErrors, '')];
  const schemaVersion = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (Number.isInteger(schemaVersion) && schemaVersion !== contract.version) {
    errors.push(`schemaVersion: schemaVersion must be ${contract.version} for ${contract.topic} (got ${String(schemaVersion)})`);
  }
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
}

/** Flattens class-validator's error tree into "path: message" lines, one per distinct message. */
function flatten(errors: ValidationError[], prefix: string): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = new Set(Object.values(error.constraints ?? {}));
    for (const message of messages) lines.push(`${path}: ${message}`);
    if (error.children?.length) lines.push(...flatten(error.children, path));
  }
  return lines;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of prototype-related keys anywhere in the raw tree, reported like any other unknown field. */
function reservedKeys(node: unknown, prefix: string): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.keys(node).flatMap((key) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const own = RESERVED_KEYS.has(key) ? [`${path}: property ${key} should not exist`] : [];
    return [...own, ...reservedKeys((node as Record<string, unknown>)[key], path)];
  });
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw;
}
