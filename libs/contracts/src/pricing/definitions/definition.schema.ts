import 'reflect-metadata';

/**
 * The schema of pricing's versioned definitions (price rules, coupon templates), as data: which
 * fields each kind has, which are optional, and the rule each field follows. Pricing validates
 * stored definitions with classes built from it, and the gateway its back-office bodies (with
 * their OpenAPI document): one schema, each side rendering it in its own words.
 */

/** Ids of rules and templates, coupon codes, groups, tiers, stores, categories: what pricing calls a code. */
export const DEFINITION_CODE_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
/** Upper bound for any amount in a definition: 10^13 minor units keeps every product exact. */
export const MAX_DEFINITION_AMOUNT = 10_000_000_000_000;
/** Most entries of one list in a definition (SKUs, categories, channels, prices, thresholds). */
export const MAX_DEFINITION_LIST = 10_000;
/** Longest display name of a definition. */
export const MAX_DEFINITION_NAME = 200;

/** What the codes of a list are: SKUs and channels as the contracts define them, anything else a definition code. */
export type DefinitionCodeList = 'sku' | 'channel' | 'code';

/** How an integer field is bounded, and how pricing words it (the gateway always says "between min and max"). */
export type DefinitionIntUnit = 'positive' | 'non-negative' | 'bps' | 'between';

/** The rule of one field of a definition. */
export type DefinitionFieldRule =
  /** The discriminator: `value` in a shape of one kind, among `kinds`. */
  | { rule: 'kind'; kinds: readonly string[]; value: string }
  /** A definition code; `noun` names it in messages ('rule id', 'coupon code'). */
  | { rule: 'code'; noun: string }
  /** A version number, set by pricing (a body may carry one; it is ignored). */
  | { rule: 'version'; max: number }
  /** A display name of 1 to MAX_DEFINITION_NAME characters. */
  | { rule: 'name' }
  /** An ISO 4217 currency code. */
  | { rule: 'currency' }
  /** A UTC ISO-8601 instant; `window` marks an end of a rule's effective window, which only some kinds require. */
  | { rule: 'instant'; window?: boolean }
  /** A boolean. */
  | { rule: 'flag' }
  /** A JsonLogic condition over the quote facts (its operators are checked by pricing). */
  | { rule: 'condition' }
  /** An integer in [min, max]. */
  | { rule: 'int'; min: number; max: number; unit: DefinitionIntUnit }
  /** A SKU code. */
  | { rule: 'sku' }
  /** A list of codes; `noun` names one entry ('SKU code', 'store code'), `nonEmpty` refuses []. */
  | { rule: 'codes'; list: DefinitionCodeList; noun: string; nonEmpty: boolean }
  /** A nested object of `shape`. */
  | { rule: 'object'; shape: DefinitionShape }
  /** A non-empty list of objects of `shape`; `noun` names one entry in messages ('price'). */
  | { rule: 'objects'; shape: DefinitionShape; noun: string };

/** One field of a definition: its rule, whether it may be absent, and what it means (documentation). */
export type DefinitionField = DefinitionFieldRule & {
  optional?: boolean;
  description: string;
  /** The OpenAPI example, where a pattern alone does not say enough. */
  example?: string;
};

/** A named set of fields (one kind of definition, or a nested value such as a target). */
export interface DefinitionShape {
  /** Base name of the classes each side builds from it ('ChannelAdjustmentRule' → ChannelAdjustmentRuleDefinition, ChannelAdjustmentRuleDto). */
  name: string;
  /** What it is (documentation). */
  description: string;
  /** Fields in document order. */
  fields: Readonly<Record<string, DefinitionField>>;
}

/** What a `kind` field says of itself in the document. */
export const KIND_DESCRIPTION = 'Discriminator: which kind of definition this is';

/** Turns one field into the property decorators a side applies, in order. */
export type DefinitionFieldRenderer = (field: DefinitionField, key: string, shape: DefinitionShape) => PropertyDecorator[];

/**
 * Builds a class named `name` whose properties carry the decorators `render` gives each field of
 * `shape` (class-validator, class-transformer, OpenAPI): a validation or body class without restating
 * the fields.
 */
export function definitionClass(shape: DefinitionShape, name: string, render: DefinitionFieldRenderer): new () => object {
  // A computed key names the class, so messages, instanceof checks and OpenAPI components say `name`.
  const built = { [name]: class {} }[name];
  for (const [key, field] of Object.entries(shape.fields)) {
    for (const decorate of render(field, key, shape)) decorate(built.prototype, key);
  }
  return built;
}

/**
 * One side's classes of the definition shapes (`<name><suffix>`, rendered by `render`), each built
 * once, so a nested shape (a target) is the same class wherever it appears.
 */
export function definitionClasses(suffix: string, render: DefinitionFieldRenderer): (shape: DefinitionShape) => new () => object {
  const built = new Map<DefinitionShape, new () => object>();
  return (shape) => {
    let cls = built.get(shape);
    if (!cls) {
      cls = definitionClass(shape, `${shape.name}${suffix}`, render);
      built.set(shape, cls);
    }
    return cls;
  };
}
