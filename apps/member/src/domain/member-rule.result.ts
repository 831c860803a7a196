/** A business refusal: an expected outcome with a stable code (e.g. COUPON_USED), never an exception. */
export interface Refusal {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

/** Either the value of a rule that held, or the refusal saying why it did not. */
export type RuleResult<T> = { readonly ok: true; readonly value: T } | Refusal;

/** A rule that held. */
export function allowed<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

/** A rule that did not hold, with its code and a human-readable reason. */
export function refused(code: string, message: string): Refusal {
  return { ok: false, code, message };
}
