/** Injection token of the clock every order decision uses. */
export const ORDER_CLOCK = Symbol('ORDER_CLOCK');
/** Injection token of inventory's stock client for routing; null when ORDER_INVENTORY_URL is unset (routing without stock). */
export const ORDER_STOCK_CLIENT = Symbol('ORDER_STOCK_CLIENT');
