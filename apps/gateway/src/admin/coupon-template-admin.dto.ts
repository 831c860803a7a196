import { COUPON_TEMPLATE_KINDS, COUPON_TEMPLATE_SHAPES } from '@omni/contracts';
import { gatewayBodies } from './definition-fields';

/** Every kind of coupon template pricing knows, in its order (from the contracts). */
export { COUPON_TEMPLATE_KINDS };

/** The body class of each coupon kind, built from pricing's schema in @omni/contracts. */
export const COUPON_TEMPLATE_BODIES = gatewayBodies(COUPON_TEMPLATE_KINDS, COUPON_TEMPLATE_SHAPES);
