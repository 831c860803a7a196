/** The field rules inventory shares with the gateway live in @omni/contracts (one home). */
export { IsNonZeroInt, IsOmittable, MAX_LINE_QUANTITY, MAX_LINES } from '@omni/contracts';
