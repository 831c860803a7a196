import jsonLogic from 'json-logic-js';

/** A JsonLogic expression (https://jsonlogic.com) over the quote facts, stored as plain JSON. */
export type ConditionExpression = { [operator: string]: unknown };

/** What a rule or coupon condition may look at; all money in minor units. */
export interface QuoteFacts {
  /** Channel code of the quote. */
  channel: string;
  /** Store of the quote (POS, pickup), or null. */
  storeId: string | null;
  /** Member tier, or null for anonymous buyers. */
  memberTier: string | null;
  /** Whether a member is known. */
  isMember: boolean;
  /** Σ unit price × quantity after the price stage, before discounts. */
  subtotal: number;
  /** Σ quantities. */
  itemCount: number;
  /** Distinct SKUs in the cart, sorted. */
  skus: string[];
  /** Distinct category ids in the cart, sorted. */
  categoryIds: string[];
}

/** Fact names a condition may read with `var`. */
export const CONDITION_FACTS: readonly (keyof QuoteFacts)[] = [
  'channel',
  'storeId',
  'memberTier',
  'isMember',
  'subtotal',
  'itemCount',
  'skus',
  'categoryIds',
];

/** Operators allowed in conditions: comparisons, logic and array tests; no arithmetic, strings or logging. */
export const CONDITION_OPERATORS: readonly string[] = [
  'var',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'and',
  'or',
  'if',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'some',
  'all',
  'none',
];

const ITERATORS = new Set(['some', 'all', 'none']);
const OPERATORS = new Set(CONDITION_OPERATORS);
const FACTS = new Set<string>(CONDITION_FACTS);
const MAX_DEPTH = 16;

/**
 * Checks a stored condition before it is accepted: only whitelisted operators, only known facts
 * (`""` only inside some/all/none, where it is the element), bounded depth. Returns one
 * "path: message" string per problem.
 */
export function validateCondition(expression: unknown, path: string): string[] {
  const errors: string[] = [];
  walk(expression, path, false, 0, errors);
  return errors;
}

function walk(node: unknown, path: string, inIterator: boolean, depth: number, errors: string[]): void {
  if (depth > MAX_DEPTH) {
    errors.push(`${path}: nests deeper than ${MAX_DEPTH} levels`);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${path}[${index}]`, inIterator, depth + 1, errors));
    return;
  }
  if (node === null || typeof node !== 'object') {
    if (typeof node === 'number' && !Number.isSafeInteger(node)) {
      errors.push(`${path}: numbers must be integers (money is in minor units)`);
    }
    return;
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    errors.push(`${path}: must be an object with exactly one operator, got ${keys.length} keys`);
    return;
  }
  const operator = keys[0];
  const argument = (node as Record<string, unknown>)[operator];
  const here = `${path}.${operator}`;
  if (!OPERATORS.has(operator)) {
    errors.push(`${here}: unknown operator "${operator}" (allowed: ${CONDITION_OPERATORS.join(' ')})`);
    return;
  }
  if (operator === 'var') {
    const name = Array.isArray(argument) ? argument[0] : argument;
    if (typeof name !== 'string') errors.push(`${here}: must name a fact as a string`);
    else if (name === '' ? !inIterator : !FACTS.has(name)) {
      errors.push(`${here}: unknown fact "${name}" (allowed: ${CONDITION_FACTS.join(' ')})`);
    }
    return;
  }
  if (ITERATORS.has(operator)) {
    if (!Array.isArray(argument) || argument.length !== 2) {
      errors.push(`${here}: must be [array, test]`);
      return;
    }
    walk(argument[0], `${here}[0]`, inIterator, depth + 1, errors);
    walk(argument[1], `${here}[1]`, true, depth + 1, errors);
    return;
  }
  walk(argument, here, inIterator, depth + 1, errors);
}

/** Evaluates a validated condition against the facts with json-logic-js; absent means true. */
export function evaluateCondition(expression: ConditionExpression | undefined, facts: QuoteFacts): boolean {
  if (expression === undefined) return true;
  return jsonLogic.truthy(jsonLogic.apply(expression as jsonLogic.RulesLogic, facts));
}
