/** The field rules catalog shares with the gateway live in @omni/contracts (one home). */
export { IsClearable, IsOmittable, MAX_ASSORTMENT_ITEMS } from '@omni/contracts';

/** Most SKUs one product may have. */
export const MAX_SKUS = 200;
/** Most media one product or listing may have. */
export const MAX_MEDIA = 50;
