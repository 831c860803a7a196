/** What the low-stock flag remembers for one SKU × location, and what the new available is. */
export interface LowStockInput {
  /** Alert when available drops below this; a threshold of 0 never alerts. */
  readonly threshold: number;
  /** True when the last evaluation left the pair below the threshold (the alert already fired). */
  readonly wasBelow: boolean;
  /** Available (on hand − reserved) at the location after the change. */
  readonly available: number;
}

/** Whether to publish `stock-low` now and what the flag should remember. */
export interface LowStockDecision {
  readonly publish: boolean;
  readonly below: boolean;
}

/**
 * Fires once per crossing: publish only when going from "not below" to "below"; the flag re-arms
 * when available is back at or above the threshold. Keeping the state in a flag (not comparing
 * previous and new available) means a threshold set under current stock still alerts once.
 */
export function evaluateLowStock(input: LowStockInput): LowStockDecision {
  const below = input.available < input.threshold;
  return { publish: below && !input.wasBelow, below };
}

/** The same decision from previous and new available, for callers without a flag row. */
export function crossesBelow(threshold: number, previousAvailable: number, newAvailable: number): boolean {
  return evaluateLowStock({ threshold, wasBelow: previousAvailable < threshold, available: newAvailable }).publish;
}
