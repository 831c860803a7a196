/** Injection token of the scheduled marketing interval (ms; 0 off). */
export const MARKETING_INTERVAL_MS = Symbol('MARKETING_INTERVAL_MS');
