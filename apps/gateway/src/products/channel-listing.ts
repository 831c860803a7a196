import type { ChannelDisplay, StockHintRule } from '@omni/contracts';

/** The stock hint rule a channel uses when its listing names no display profile. */
export const DEFAULT_STOCK_HINT: StockHintRule = { kind: 'online', lowStockThreshold: 5 };

/** The stock hint rule of the listing's display profile. */
export function stockHintRule(display: ChannelDisplay | null): StockHintRule {
  return display?.stockHint ?? DEFAULT_STOCK_HINT;
}
