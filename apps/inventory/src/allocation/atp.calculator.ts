/** How a channel takes its share of a SKU: from the common pool (minus safety stock) or a quota of its own. */
export type AllocationMode = 'shared' | 'dedicated';

/** One channel's allocation rule for a SKU; a channel without one is shared with safety 0. */
export interface ChannelAllocationRule {
  channel: string;
  mode: AllocationMode;
  /** Units of the shared pool this (shared) channel may not sell. */
  safetyStock: number;
  /** Units set aside for this (dedicated) channel that it has not reserved yet. */
  quotaRemaining: number;
}

/** A SKU's stock at one location (summed over owners). */
export interface LocationStock {
  locationId: string;
  open: boolean;
  onHand: number;
  reserved: number;
}

/** What a SKU can promise, before channel rules are applied per channel. */
export interface AtpBasis {
  /** Free units over open locations: Σ (on hand − reserved). */
  available: number;
  /** Σ quota_remaining of dedicated channels. */
  dedicatedTotal: number;
  /** Free units not set aside for a dedicated channel (never below 0, even if an adjustment shrank stock under the quotas). */
  sharedPool: number;
  /** Free units per open location. */
  byLocation: Map<string, number>;
  /** Allocation rules by channel. */
  rules: Map<string, ChannelAllocationRule>;
}

/** The rule in force for a channel: its own row, or shared with no safety stock. */
export function ruleFor(rules: Map<string, ChannelAllocationRule>, channel: string): ChannelAllocationRule {
  return rules.get(channel) ?? { channel, mode: 'shared', safetyStock: 0, quotaRemaining: 0 };
}

/** Computes the pool figures every ATP is derived from. Closed locations promise nothing. */
export function atpBasis(stock: readonly LocationStock[], rules: readonly ChannelAllocationRule[]): AtpBasis {
  const byLocation = new Map<string, number>();
  let available = 0;
  for (const s of stock) {
    if (!s.open) continue;
    const free = Math.max(0, s.onHand - s.reserved);
    byLocation.set(s.locationId, (byLocation.get(s.locationId) ?? 0) + free);
    available += free;
  }
  const dedicatedTotal = rules.filter((r) => r.mode === 'dedicated').reduce((sum, r) => sum + r.quotaRemaining, 0);
  return {
    available,
    dedicatedTotal,
    sharedPool: Math.max(0, available - dedicatedTotal),
    byLocation,
    rules: new Map(rules.map((r) => [r.channel, r])),
  };
}

/** ATP of a channel: min(quota, A) for a dedicated channel, max(0, P − safety) for a shared one. */
export function channelAtp(basis: AtpBasis, channel: string): number {
  const rule = ruleFor(basis.rules, channel);
  if (rule.mode === 'dedicated') return Math.min(rule.quotaRemaining, basis.available);
  return Math.max(0, basis.sharedPool - rule.safetyStock);
}

/** ATP of a channel at one location: the channel's ATP, capped by what that location has free. */
export function channelLocationAtp(basis: AtpBasis, channel: string, locationId: string): number {
  return Math.min(channelAtp(basis, channel), basis.byLocation.get(locationId) ?? 0);
}

/** ATP for each of `channels` (deduplicated, in the order given). */
export function channelAtps(basis: AtpBasis, channels: Iterable<string>): Array<{ channel: string; available: number }> {
  return [...new Set(channels)].map((channel) => ({ channel, available: channelAtp(basis, channel) }));
}
