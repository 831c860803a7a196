import { PRICE_RULE_KINDS, PRICE_RULE_SHAPES } from '@omni/contracts';
import { gatewayBodies } from './definition-fields';

/** Every kind of price rule pricing knows, in its order (from the contracts). */
export { PRICE_RULE_KINDS };

/** The body class of each price-rule kind, built from pricing's schema in @omni/contracts. */
export const PRICE_RULE_BODIES = gatewayBodies(PRICE_RULE_KINDS, PRICE_RULE_SHAPES);
