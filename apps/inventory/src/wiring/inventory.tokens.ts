/** Injection token of the pg pool the service owns for its hot paths (reservations, ATP reads and rebuilds). */
export const INVENTORY_PG_POOL = Symbol('INVENTORY_PG_POOL');
/** Injection token of the Redis connection of the ATP cache and gate. */
export const ATP_REDIS = Symbol('ATP_REDIS');
/** Injection token of the clock deadlines and expiry use. */
export const INVENTORY_CLOCK = Symbol('INVENTORY_CLOCK');
/** Injection token of the sink every stock change emits through (stock-changed, then stock-low). */
export const STOCK_CHANGED_SINK = Symbol('STOCK_CHANGED_SINK');
/** Injection token of the test-only crash switch (INVENTORY_FAULT_AT; inert when unset). */
export const INVENTORY_FAULTS = Symbol('INVENTORY_FAULTS');
