import { PricingDomainError } from '../pricing.error';

/**
 * Splits `total` minor units across parts proportionally to `weights` with the largest-remainder
 * method: every part gets the floor of its exact share, and the leftover units go one each to the
 * parts with the largest fractional remainders (ties: the earlier index). The parts sum exactly to
 * `total`, and no part exceeds its weight when total ≤ Σ weights.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new PricingDomainError('INVALID_AMOUNT', `allocation total must be a non-negative integer, got ${total}`);
  }
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new PricingDomainError('INVALID_AMOUNT', `allocation weight must be a non-negative integer, got ${weight}`);
    }
  }
  let weightSum = 0;
  let maxWeight = 0;
  for (const weight of weights) {
    weightSum += weight;
    if (weight > maxWeight) maxWeight = weight;
  }
  if (total === 0) return weights.map(() => 0);
  if (weightSum === 0) {
    throw new PricingDomainError('INVALID_AMOUNT', `cannot allocate ${total} over zero weights`);
  }
  // Plain numbers are exact while total × weight and Σ weights stay below 2^53; BigInt beyond.
  const exactInNumbers = Number.isSafeInteger(weightSum) && total * maxWeight <= Number.MAX_SAFE_INTEGER;
  return exactInNumbers ? allocateNumbers(total, weights, weightSum) : allocateBigInts(total, weights);
}

function allocateNumbers(total: number, weights: readonly number[], weightSum: number): number[] {
  const parts: number[] = [];
  const remainders: number[] = [];
  let allocated = 0;
  for (const weight of weights) {
    const exact = total * weight;
    const remainder = exact % weightSum;
    const part = (exact - remainder) / weightSum;
    parts.push(part);
    remainders.push(remainder);
    allocated += part;
  }
  distributeLeftover(parts, remainders, total - allocated, (a, b) => b - a);
  return parts;
}

function allocateBigInts(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  const bigTotal = BigInt(total);
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const weight of weights) {
    const exact = bigTotal * BigInt(weight);
    const part = exact / weightSum;
    parts.push(part);
    remainders.push(exact % weightSum);
    allocated += part;
  }
  const numbers = parts.map(Number);
  distributeLeftover(numbers, remainders, Number(bigTotal - allocated), (a, b) => (b > a ? 1 : b < a ? -1 : 0));
  return numbers;
}

/** One unit each to the largest remainders; equal remainders go to the earlier index. */
function distributeLeftover<R>(parts: number[], remainders: R[], leftover: number, byRemainderDesc: (a: R, b: R) => number): void {
  if (leftover === 0) return;
  const order = parts.map((_, index) => index);
  order.sort((a, b) => byRemainderDesc(remainders[a], remainders[b]) || a - b);
  for (let i = 0; i < leftover; i++) parts[order[i]] += 1;
}
