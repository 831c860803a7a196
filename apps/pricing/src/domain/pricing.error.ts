/** Codes of exceptional pricing failures (programming or data errors, not business outcomes). */
export type PricingErrorCode =
  | 'INVALID_AMOUNT'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_QUOTE_INPUT'
  | 'INVALID_DEFINITION'
  | 'INVALID_TIME_RANGE';

/** An exceptional pricing failure carrying a stable code for transports to map once. */
export class PricingDomainError extends Error {
  constructor(
    readonly code: PricingErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PricingDomainError';
  }
}
