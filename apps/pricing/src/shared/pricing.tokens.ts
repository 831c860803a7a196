/** Injection token of the Clock that quotes, locks and the boundary publisher read time from. */
export const PRICING_CLOCK = Symbol('PRICING_CLOCK');
