import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { PRICE_RULE_SHAPES } from '@omni/contracts';
import { validateCondition } from './condition.evaluator';
import { COUPON_KINDS, COUPON_TEMPLATE_CLASSES, CouponKind, CouponTemplateDefinition } from './coupon-template.definition';
import {
  PriceRuleDefinition,
  RULE_DEFINITION_CLASSES,
  RULE_KINDS,
  RuleKind,
  RuleTargetDefinition,
  SkuPriceDefinition,
  ThresholdDefinition,
} from './price-rule.definition';

/** Outcome of validating a definition: the accepted value, or one "path: message" per problem. */
export type DefinitionValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validates one price rule definition; error paths start with `path` (e.g. "rules[0]"). */
export function validatePriceRule(input: unknown, path = 'rule'): DefinitionValidation<PriceRuleDefinition> {
  const kind = kindOf(input, RULE_KINDS, path);
  if (typeof kind !== 'string') return kind;
  const errors = runClassValidation(RULE_DEFINITION_CLASSES[kind as RuleKind], input, path);
  if (errors.length === 0) errors.push(...ruleInvariants(input as PriceRuleDefinition, path));
  return errors.length ? { ok: false, errors } : { ok: true, value: structuredClone(input) as PriceRuleDefinition };
}

/** Validates a list of price rules (paths "rules[i]...") and rejects duplicate id + version pairs. */
export function validatePriceRules(inputs: unknown): DefinitionValidation<PriceRuleDefinition[]> {
  if (!Array.isArray(inputs)) return { ok: false, errors: ['rules: must be an array'] };
  const errors: string[] = [];
  const values: PriceRuleDefinition[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const result = validatePriceRule(input, `rules[${index}]`);
    if (!result.ok) return void errors.push(...result.errors);
    const key = `${result.value.id}@${result.value.version}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push(`rules[${index}].version: duplicates rules[${first}] (${key})`);
    else seen.set(key, index);
    values.push(result.value);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: values };
}

/** Validates one coupon template; error paths start with `path` (e.g. "coupons[0]"). */
export function validateCouponTemplate(input: unknown, path = 'coupon'): DefinitionValidation<CouponTemplateDefinition> {
  const kind = kindOf(input, COUPON_KINDS, path);
  if (typeof kind !== 'string') return kind;
  const errors = runClassValidation(COUPON_TEMPLATE_CLASSES[kind as CouponKind], input, path);
  if (errors.length === 0) {
    const coupon = input as CouponTemplateDefinition;
    errors.push(...windowInvariant(coupon.validFrom, coupon.validTo, `${path}.validTo`, 'validFrom'));
    if (coupon.target) errors.push(...targetInvariant(coupon.target, `${path}.target`));
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: structuredClone(input) as CouponTemplateDefinition };
}

/**
 * Validates a list of coupon templates (paths "coupons[i]..."). A code belongs to one template id;
 * that template may list several versions, each once.
 */
export function validateCouponTemplates(inputs: unknown): DefinitionValidation<CouponTemplateDefinition[]> {
  if (!Array.isArray(inputs)) return { ok: false, errors: ['coupons: must be an array'] };
  const errors: string[] = [];
  const values: CouponTemplateDefinition[] = [];
  const owners = new Map<string, { index: number; id: string }>();
  const versions = new Map<string, number>();
  inputs.forEach((input, index) => {
    const result = validateCouponTemplate(input, `coupons[${index}]`);
    if (!result.ok) return void errors.push(...result.errors);
    const { code, id, version } = result.value;
    const owner = owners.get(code);
    const key = `${code}@${version}`;
    if (owner && owner.id !== id) {
      errors.push(`coupons[${index}].code: "${code}" already belongs to template ${owner.id} (coupons[${owner.index}])`);
    } else if (versions.has(key)) {
      errors.push(`coupons[${index}].version: duplicates coupons[${versions.get(key)}] (${key})`);
    } else {
      owners.set(code, owner ?? { index, id });
      versions.set(key, index);
    }
    values.push(result.value);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: values };
}

function kindOf(input: unknown, kinds: readonly string[], path: string): string | { ok: false; errors: string[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [`${path}: must be an object`] };
  }
  const kind = (input as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    return { ok: false, errors: [`${path}.kind: must be one of ${kinds.join(', ')}`] };
  }
  return kind;
}

function runClassValidation(cls: new () => object, input: unknown, path: string): string[] {
  const instance = plainToInstance(cls, input);
  return flatten(validateSync(instance, OPTIONS), path);
}

/** Turns class-validator's error tree into "rules[0].thresholds[1].discount: message" lines. */
function flatten(errors: ValidationError[], parent: string): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const messages = Object.entries(error.constraints ?? {}).map(([name, message]) =>
      name === 'whitelistValidation' ? 'is not an allowed field' : name === 'nestedValidation' ? 'must be an object' : message,
    );
    // One message per field: the first constraint it breaks (a missing number is not also "too large").
    if (messages.length) lines.push(`${path}: ${messages[0]}`);
    if (error.children?.length) lines.push(...flatten(error.children, path));
  }
  return lines;
}

function ruleInvariants(rule: PriceRuleDefinition, path: string): string[] {
  const errors: string[] = [];
  // The contracts' schema says which kinds live only within a window.
  const window = PRICE_RULE_SHAPES[rule.kind].fields;
  if (!window.effectiveFrom.optional && rule.effectiveFrom === undefined) errors.push(`${path}.effectiveFrom: is required for a ${rule.kind} rule`);
  if (!window.effectiveTo.optional && rule.effectiveTo === undefined) errors.push(`${path}.effectiveTo: is required for a ${rule.kind} rule`);
  errors.push(...windowInvariant(rule.effectiveFrom, rule.effectiveTo, `${path}.effectiveTo`, 'effectiveFrom'));
  if (rule.conditions !== undefined) errors.push(...validateCondition(rule.conditions, `${path}.conditions`));
  if ('target' in rule && rule.target) errors.push(...targetInvariant(rule.target, `${path}.target`));
  if (rule.kind === 'special-price' && !rule.channels?.length && !rule.storeIds?.length) {
    errors.push(`${path}.channels: a special price needs at least one channel or store (channels or storeIds)`);
  }
  if (rule.kind === 'special-price' || rule.kind === 'limited-time-price') {
    errors.push(...uniqueSkus(rule.prices, `${path}.prices`));
  }
  if (rule.kind === 'spend-threshold') errors.push(...thresholdInvariants(rule.thresholds, `${path}.thresholds`));
  return errors;
}

function windowInvariant(from: string | undefined, to: string | undefined, path: string, fromName: string): string[] {
  if (from === undefined || to === undefined) return [];
  return Date.parse(to) > Date.parse(from) ? [] : [`${path}: must be after ${fromName} (windows are [from, to))`];
}

function targetInvariant(target: RuleTargetDefinition, path: string): string[] {
  return target.skus?.length || target.categoryIds?.length
    ? []
    : [`${path}: must list at least one SKU or category (skus or categoryIds)`];
}

function uniqueSkus(prices: SkuPriceDefinition[], path: string): string[] {
  const seen = new Set<string>();
  const errors: string[] = [];
  prices.forEach((price, index) => {
    if (seen.has(price.sku)) errors.push(`${path}[${index}].sku: "${price.sku}" is listed twice`);
    seen.add(price.sku);
  });
  return errors;
}

function thresholdInvariants(thresholds: ThresholdDefinition[], path: string): string[] {
  const errors: string[] = [];
  thresholds.forEach((step, index) => {
    if (step.discount > step.minSubtotal) {
      errors.push(`${path}[${index}].discount: must not exceed minSubtotal (${step.minSubtotal})`);
    }
    const previous = thresholds[index - 1];
    if (previous && step.minSubtotal <= previous.minSubtotal) {
      errors.push(`${path}[${index}].minSubtotal: must be greater than thresholds[${index - 1}].minSubtotal`);
    }
    if (previous && step.discount < previous.discount) {
      errors.push(`${path}[${index}].discount: must not be less than thresholds[${index - 1}].discount`);
    }
  });
  return errors;
}
