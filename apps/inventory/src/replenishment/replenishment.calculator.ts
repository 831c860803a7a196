/** Everything a suggestion is computed from; echoed back so a planner can see why. */
export interface ReplenishmentInput {
  readonly sku: string;
  /** Units sold (deducted) at the location in the window. */
  readonly unitsSold: number;
  /** Length of the sales window in days (N). */
  readonly windowDays: number;
  /** Days from ordering to the goods being sellable at the location. */
  readonly leadTimeDays: number;
  /** Days of sales the location should hold once the order arrives. */
  readonly targetDaysOfCover: number;
  readonly onHand: number;
  /** Units already promised to buyers; they leave soon and cover nobody else. */
  readonly reserved: number;
  /** Units in transit to the location (transfers sent, not yet received). */
  readonly inbound: number;
}

/** A suggestion with its inputs and the intermediate figures. */
export interface ReplenishmentSuggestion extends ReplenishmentInput {
  /** Average units sold per day over the window. */
  readonly dailyVelocity: number;
  /** Units expected to sell during lead time plus target cover, rounded up. */
  readonly demandOverHorizon: number;
  /** onHand − reserved + inbound. */
  readonly stockPosition: number;
  /** Integer, never negative. */
  readonly suggestedQuantity: number;
}

/** An input outside what the formula accepts. */
export class ReplenishmentInputError extends Error {
  constructor(readonly field: keyof ReplenishmentInput, message: string) {
    super(message);
  }
}

const NON_NEGATIVE_INTEGERS: readonly (keyof ReplenishmentInput)[] = [
  'unitsSold',
  'leadTimeDays',
  'targetDaysOfCover',
  'onHand',
  'reserved',
  'inbound',
];

/**
 * Order-up-to suggestion: cover (lead time + target days) of the observed daily velocity, minus
 * what the location has or is getting. Integer arithmetic only, so the result is exact.
 */
export function suggestReplenishment(input: ReplenishmentInput): ReplenishmentSuggestion {
  if (!Number.isInteger(input.windowDays) || input.windowDays < 1) {
    throw new ReplenishmentInputError('windowDays', 'windowDays must be an integer >= 1');
  }
  for (const field of NON_NEGATIVE_INTEGERS) {
    const value = input[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new ReplenishmentInputError(field, `${field} must be an integer >= 0`);
    }
  }
  const horizon = input.leadTimeDays + input.targetDaysOfCover;
  const demandOverHorizon = Math.ceil((input.unitsSold * horizon) / input.windowDays);
  const stockPosition = input.onHand - input.reserved + input.inbound;
  return {
    ...input,
    dailyVelocity: input.unitsSold / input.windowDays,
    demandOverHorizon,
    stockPosition,
    suggestedQuantity: Math.max(0, demandOverHorizon - stockPosition),
  };
}
