import Ajv, { _, KeywordCxt, type ValidateFunction } from 'ajv';
import { MAX_UTF16_LENGTH, MIN_UTF16_LENGTH, predicateOf, SATISFIES } from './constraint-schemas';
import { EventContract } from './event-contract';
import { ClassPlan, PayloadClass, payloadPlan } from './payload-plan';

/**
 * The cheap way to accept a payload: the contract's JSON Schema (compiled once, on first use) and a
 * key-by-key build of the instance. `accept` answers the instance plainToInstance would build, only
 * when class-validator would find nothing wrong with it; otherwise undefined, and the caller runs
 * class-validator for the verdict and its messages. `reasons` says why a contract never takes it.
 */
export interface PayloadFastPath {
  readonly reasons: readonly string[];
  accept(raw: object): object | undefined;
}

const byClass = new Map<PayloadClass, Map<number, PayloadFastPath>>();
let compiler: Ajv | undefined;

/** The fast path of `contract` (payload class and version), built on first use and kept. */
export function payloadFastPath(contract: Pick<EventContract, 'payload' | 'version'>): PayloadFastPath {
  let byVersion = byClass.get(contract.payload);
  if (!byVersion) byClass.set(contract.payload, (byVersion = new Map()));
  let fastPath = byVersion.get(contract.version);
  if (!fastPath) byVersion.set(contract.version, (fastPath = build(contract)));
  return fastPath;
}

function build(contract: Pick<EventContract, 'payload' | 'version'>): PayloadFastPath {
  let validate: ValidateFunction;
  let root: ClassPlan;
  try {
    const plan = payloadPlan(contract.payload, contract.version);
    if (!plan.ok) return declined(plan.reasons);
    validate = ajv().compile(plan.schema);
    root = plan.root;
  } catch (error: unknown) {
    return declined([`its schema could not be compiled: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return {
    reasons: [],
    accept(raw) {
      try {
        return validate(raw) ? buildInstance(root, raw) : undefined;
      } catch {
        // A shape the fast path does not build (a Date, a reserved key, a condition that holds): class-validator decides.
        return undefined;
      }
    },
  };
}

function declined(reasons: string[]): PayloadFastPath {
  return { reasons, accept: () => undefined };
}

/** One ajv for every contract: lengths in UTF-16 code units and regular expressions without flags, as class-validator reads them. */
function ajv(): Ajv {
  if (compiler) return compiler;
  compiler = new Ajv({ strict: true, allErrors: false, messages: false, unicodeRegExp: false });
  compiler.addKeyword({
    keyword: MIN_UTF16_LENGTH,
    type: 'string',
    schemaType: 'number',
    code: (cxt: KeywordCxt) => cxt.fail(_`${cxt.data}.length < ${cxt.schemaCode}`),
  });
  compiler.addKeyword({
    keyword: MAX_UTF16_LENGTH,
    type: 'string',
    schemaType: 'number',
    code: (cxt: KeywordCxt) => cxt.fail(_`${cxt.data}.length > ${cxt.schemaCode}`),
  });
  compiler.addKeyword({
    keyword: SATISFIES,
    type: 'string',
    schemaType: 'string',
    errors: false,
    compile: (key: string) => {
      const check = predicateOf(key);
      if (!check) throw new Error(`no predicate ${key}`);
      return (data: unknown) => check(data);
    },
  });
  return compiler;
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
// Keys class-transformer leaves out of a plain object it copies: what Object.prototype already answers.
const OBJECT_PROTOTYPE_KEYS = new Set(
  Object.getOwnPropertyNames(Object.prototype).filter((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key);
    return (descriptor && !descriptor.set) || ({} as Record<string, unknown>)[key] instanceof Function;
  }),
);

/** Thrown for a shape whose build class-validator must judge; never leaves this module. */
class Declined extends Error {}

/** The instance plainToInstance builds from JSON the schema accepted; throws Declined where the two could differ. */
function buildInstance(plan: ClassPlan, raw: object): object {
  const source = raw as Record<string, unknown>;
  // class-transformer converts these itself rather than key by key.
  if (source instanceof Date || source instanceof Map || source instanceof Set || globalThis.Buffer?.isBuffer(source) || isThenable(source)) {
    throw new Declined();
  }
  const instance = new plan.cls() as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (RESERVED.has(key)) throw new Declined();
    const nested = plan.nested.get(key);
    instance[key] = nested ? buildTyped(nested, source[key]) : copyUntyped(source[key]);
  }
  for (const [property, conditions] of plan.conditions) {
    const value = instance[property];
    // Every condition is evaluated, as class-validator does; if all hold it would check a missing value.
    if ((value === null || value === undefined) && conditions.map((holds) => holds(instance, value)).every(Boolean)) throw new Declined();
  }
  return instance;
}

/** A value under an @Type property: arrays item by item, objects as the class, anything else as it is. */
function buildTyped(plan: ClassPlan, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    value.forEach((item) => items.push(buildTyped(plan, item)));
    return items;
  }
  return typeof value === 'object' && value !== null ? buildInstance(plan, value) : value;
}

/** A deep copy of free-form JSON (a record, a detail object), leaving out the keys class-transformer leaves out. */
function copyUntyped(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    // forEach, as class-transformer: holes of a sparse array are dropped.
    value.forEach((item) => items.push(copyUntyped(item)));
    return items;
  }
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  if (!isPlainObject(source)) throw new Declined();
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (RESERVED.has(key)) throw new Declined();
    if (OBJECT_PROTOTYPE_KEYS.has(key)) {
      // Not copied, yet validatePayload still reports a reserved key below it.
      assertNoReservedKey(source[key]);
      continue;
    }
    copy[key] = copyUntyped(source[key]);
  }
  return copy;
}

function assertNoReservedKey(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (RESERVED.has(key)) throw new Declined();
    assertNoReservedKey((value as Record<string, unknown>)[key]);
  }
}

/** JSON.parse's objects (and null-prototype ones, which class-transformer copies alike); not a class instance or a promise. */
function isPlainObject(value: Record<string, unknown>): boolean {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !isThenable(value);
}

/** class-transformer hands anything with a then() method back untouched. */
function isThenable(value: Record<string, unknown>): boolean {
  return typeof value.then === 'function';
}
